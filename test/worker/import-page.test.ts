// /app/admin/import through the real Worker, per role: who may open it, that an administrator of
// another subtree can neither choose nor post a unit outside what they manage, and an
// administrator's whole import — a pasted real page and an uploaded file (UTF-8 and GBK) read into
// the official layout, a cell corrected by hand, imported, published with the corrected value and
// its rule failures kept; refusals come back on the page with every typed value kept; an
// already-published report is a correction that needs its reason.
import { beforeAll, describe, expect, it } from 'vitest';
import pingtan2014 from '../fixtures/real-html/pingtan-2014.html?raw';
import pingtan2023 from '../fixtures/real-html/pingtan-2023.html?raw';
import { request, setUpWorld, stateCounts, type World } from './probe-helpers';

let world: World;
beforeAll(async () => {
  world = await setUpWorld();
}, 30_000);

const ORIGIN = { Origin: 'https://nianbao.test', 'Accept-Language': 'zh-CN' };
/** Years no report of the probe world uses. */
const PASTE_YEAR = 2021;
const UPLOAD_YEAR = 2014;

const formPost = (cookie: string, fields: [string, string][]) => ({
  headers: { ...ORIGIN, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

function multipart(cookie: string, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array; type: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new File([file.bytes], file.name, { type: file.type }));
  return { headers: { ...ORIGIN, Cookie: cookie }, body: form };
}

/** Every control of the page's import form, as the browser would send it (inputs and textareas, in order). */
async function formFields(html: string, action = '/app/admin/import'): Promise<[string, string][]> {
  const fields: [string, string][] = [];
  let inForm = false;
  let textarea: { name: string; text: string } | null = null;
  await new HTMLRewriter()
    .on('form', {
      element(el) {
        inForm = el.getAttribute('action') === action;
      },
    })
    .on('input', {
      element(el) {
        const name = el.getAttribute('name');
        if (inForm && name && el.getAttribute('type') !== 'file') fields.push([name, decode(el.getAttribute('value') ?? '')]);
      },
    })
    .on('textarea', {
      element(el) {
        const name = el.getAttribute('name');
        if (!inForm || !name) return;
        textarea = { name, text: '' };
        el.onEndTag(() => {
          fields.push([textarea!.name, decode(textarea!.text)]);
          textarea = null;
        });
      },
      text(chunk) {
        if (textarea) textarea.text += chunk.text;
      },
    })
    .transform(new Response(html))
    .text();
  return fields;
}

/** The entities hono/jsx writes in attributes and text. */
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const set = (fields: [string, string][], name: string, value: string) => fields.map(([k, v]): [string, string] => [k, k === name ? value : v]);
const valueOf = (fields: [string, string][], name: string) => fields.find(([k]) => k === name)?.[1];

describe('who may use the import page', () => {
  it('sends the anonymous to sign in, and refuses clerks and supervisors', async () => {
    const anonymous = await request('GET', '/app/admin/import');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toMatch(/^\/signin\?next=/);
    for (const cookie of [world.clerkA, world.supervisorP]) {
      expect((await request('GET', '/app/admin/import', { headers: { Cookie: cookie } })).status).toBe(403);
      const read = await request('POST', '/app/admin/import/read', multipart(cookie, { unit: 'A', year: '2021', source: '一、总体情况' }));
      expect(read.status).toBe(403);
    }
  });

  it("offers an administrator of another subtree only their units, and refuses one outside them on both posts, writing nothing", async () => {
    const page = await (await request('GET', '/app/admin/import', { headers: { Cookie: world.adminQ } })).text();
    expect(page).toContain('value="QA"');
    expect(page).not.toContain('value="A"');
    const before = await stateCounts();
    const read = await request('POST', '/app/admin/import/read', multipart(world.adminQ, { unit: 'A', year: String(PASTE_YEAR), template: '', source: pingtan2023 }));
    expect(read.status).toBe(403);
    expect(await read.text()).toContain('该单位不在您管理的范围内');
    const imported = await request('POST', '/app/admin/import', formPost(world.adminQ, [['unit', 'A'], ['year', String(PASTE_YEAR)], ['template', 'gov-2021'], ['published_at', '2024-03-08']]));
    expect(imported.status).toBe(403);
    expect(await stateCounts()).toEqual(before);
  });
});

describe('an administrator imports a report', () => {
  it('reads a pasted real page into the official layout, takes a correction by hand, and publishes it with its issues', async () => {
    const res = await request('POST', '/app/admin/import/read', multipart(world.admin, { unit: 'B', year: String(PASTE_YEAR), template: '', source: pingtan2023 }));
    expect(res.status).toBe(200);
    const html = await res.text();
    // The year's format, the official table, the narrative without the site around it.
    expect(html).toContain('gov-2021');
    expect(html).toContain('class="official"');
    expect(html).not.toContain('data-missing');
    const fields = await formFields(html);
    expect(valueOf(fields, 'cell.applications.new.natural')).toBe('80');
    expect(valueOf(fields, 'cell.fees.fees.amount')).toBe('5949.088667');
    expect(valueOf(fields, 'published_at')).toBe('2024-03-08');
    expect(valueOf(fields, 'section.other')).toBe('2023年，无收取信息处理费情况。');
    expect(valueOf(fields, 'section.overview')).not.toContain('网站支持IPV6');

    // A typo and a bad date: refused on the page, every typed value kept.
    const before = await stateCounts();
    const wrong = set(set(fields, 'cell.applications.new.business', '1O'), 'published_at', '2024-13-45');
    const refused = await request('POST', '/app/admin/import', formPost(world.admin, wrong));
    expect(refused.status).toBe(422);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('class="error-summary"');
    expect(refusedHtml).toContain('href="#import-cell-applications-new-business"');
    expect(refusedHtml).toContain('href="#import-published_at"');
    const kept = await formFields(refusedHtml);
    expect(valueOf(kept, 'cell.applications.new.business')).toBe('1O');
    expect(valueOf(kept, 'published_at')).toBe('2024-13-45');
    expect(valueOf(kept, 'cell.applications.new.natural')).toBe('80');
    expect(await stateCounts()).toEqual(before);

    // Corrected by hand: 81 instead of 80 (now the row's total disagrees: an issue, kept).
    const corrected = set(set(kept, 'cell.applications.new.business', '1'), 'published_at', '2024-03-08');
    const done = await request('POST', '/app/admin/import', formPost(world.admin, set(corrected, 'cell.applications.new.natural', '81')));
    expect(done.status).toBe(303);
    const location = done.headers.get('Location')!;
    expect(location).toBe(`/app/admin/import/done?unit=B&year=${PASTE_YEAR}&result=created`);
    const confirmation = await (await request('GET', location, { headers: { Cookie: world.admin } })).text();
    expect(confirmation).toContain('已导入并发布');
    expect(confirmation).toContain('data-issues');
    expect(confirmation).toContain(`href="/reports/B/${PASTE_YEAR}"`);
    const published = (await (await request('GET', `/api/v1/reports/B/${PASTE_YEAR}`)).json()) as { cells: Record<string, number | null>; imported?: boolean };
    expect(published.cells['applications.new.natural']).toBe(81);
    expect(published.cells['applications.new.total']).toBe(81);
    expect(published.cells['regulations.normative.in_force']).toBe(470);

    // The same report again is a correction: the reason is asked for, then it is version 2.
    const again = await (await request('POST', '/app/admin/import/read', multipart(world.admin, { unit: 'B', year: String(PASTE_YEAR), template: '', source: pingtan2023 }))).text();
    expect(again).toContain('name="reason"');
    const againFields = await formFields(again);
    const noReason = await request('POST', '/app/admin/import', formPost(world.admin, againFields));
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('请说明更正原因');
    const withReason = await request('POST', '/app/admin/import', formPost(world.admin, set(againFields, 'reason', '更正手工改错的申请数')));
    expect(withReason.status).toBe(303);
    expect(withReason.headers.get('Location')).toContain('result=corrected');
    const v2 = (await (await request('GET', `/api/v1/reports/B/${PASTE_YEAR}`)).json()) as { cells: Record<string, number | null> };
    expect(v2.cells['applications.new.natural']).toBe(80);
  });

  it('reads an uploaded page: the provincial table reported as another table, the rows it lacks listed', async () => {
    const bytes = new TextEncoder().encode(pingtan2014);
    const res = await request('POST', '/app/admin/import/read', multipart(world.admin, { unit: 'B', year: String(UPLOAD_YEAR), template: '', source: '' }, { name: 'pingtan-2014.html', bytes, type: 'text/html' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('legacy-2014');
    expect(html).toContain('data-other-table');
    expect(html).toContain('政府信息公开收费减免金额');
    expect(html).toContain('data-row="stats.responses"');
    const fields = await formFields(html);
    expect(valueOf(fields, 'cell.stats.proactive_total.value')).toBe('2543');
    expect(valueOf(fields, 'cell.stats.suits.value')).toBe('0');
    expect(valueOf(fields, 'cell.stats.responses.value')).toBe('');
    expect(valueOf(fields, 'section.body')).not.toContain('历年累计');
    expect(valueOf(fields, 'published_at')).toBe('2015-01-02');
  });

  it('reads a GBK file that says so in its meta charset, and refuses other file types', async () => {
    // <meta charset="gb2312"><p>一、总体情况</p><p>今年公开信息。</p><p>五、存在的主要问题及改进情况</p><p>无。</p>, in GBK.
    const gbk = Uint8Array.from(
      '3c6d65746120636861727365743d22676232333132223e3c703ed2bba1a2d7dccce5c7e9bff63c2f703e3c703ebdf1c4eab9abbfaad0c5cfa2a1a33c2f703e3c703ecee5a1a2b4e6d4dab5c4d6f7d2aacecacce2bcb0b8c4bdf8c7e9bff63c2f703e3c703ecedea1a33c2f703e'
        .match(/../g)!
        .map((h) => parseInt(h, 16)),
    );
    const res = await request('POST', '/app/admin/import/read', multipart(world.admin, { unit: 'B', year: '2020', template: 'gov-2019', source: '' }, { name: 'report.htm', bytes: gbk, type: 'text/html' }));
    expect(res.status).toBe(200);
    const fields = await formFields(await res.text());
    expect(valueOf(fields, 'template')).toBe('gov-2019');
    expect(Object.fromEntries(fields.filter(([k]) => k.startsWith('section.')))).toMatchObject({ 'section.overview': '今年公开信息。' });

    const pdf = await request('POST', '/app/admin/import/read', multipart(world.admin, { unit: 'B', year: '2020', template: '', source: '' }, { name: 'report.pdf', bytes: new Uint8Array([37, 80, 68, 70]), type: 'application/pdf' }));
    expect(pdf.status).toBe(422);
    expect(await pdf.text()).toContain('href="#import-file"');
  });

  it('says what is wrong with the first step, keeping what was pasted', async () => {
    const res = await request('POST', '/app/admin/import/read', multipart(world.admin, { unit: '', year: '19', template: '', source: '粘贴的文字' }));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('href="#import-unit"');
    expect(html).toContain('href="#import-year"');
    expect(html).toContain('粘贴的文字');
  });
});
