// With English asked for (Accept-Language: en), every page says its own words in English (issue
// 14, item 12). What stays Chinese is what the units wrote and what the official format prints:
// the official report and tables, unit names, people's names — marked lang="zh-CN" on the page,
// or data this test puts there itself. The test removes those (elements marked lang="zh-CN",
// script and style, the test's own unit and person names, and on the form, whose fields are the
// official rows, every official title and label of the templates), then fails on any Han
// character left in the text or in the words a screen reader reads (aria-label, title, alt,
// placeholder).
import { beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../src/core';
import { publishReport } from './report-helpers';
import { call, fillAndSubmit, gov2021, openCycle, setUpTree, zeros, type Sessions } from './review-helpers';

let s: Sessions;
const PUBLISHED = 2020;
const CYCLE = 2063;

/** Data the test itself puts on the pages: unit and person names (setUpTree). */
const DATA = ['定海区人民政府', '金塘镇', '白泉镇', '西山区人民政府', '王芳', '李强', '周敏', '徐立', '陈静'];

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const SPOKEN = /\b(aria-label|title|alt|placeholder)="([^"]*)"/g;

/**
 * The page's own words: its text and spoken attributes, outside elements marked lang="zh-CN"
 * (and outside script and style). Our pages are well-formed (hono/jsx writes them).
 */
export function ownWords(html: string): string {
  const words: string[] = [];
  const skipping: boolean[] = [];
  let skip = 0;
  for (const m of html.matchAll(/<!--[\s\S]*?-->|<!doctype[^>]*>|<(\/?)([a-zA-Z][\w-]*)([^>]*)>|([^<]+)/gi)) {
    const [, closing, tag, attrs = '', text] = m;
    if (text !== undefined) {
      if (skip === 0) words.push(text);
      continue;
    }
    if (!tag) continue;
    const name = tag.toLowerCase();
    if (closing) {
      if (skipping.pop()) skip--;
      continue;
    }
    const chinese = /\blang="zh-CN"/.test(attrs) || name === 'script' || name === 'style';
    if (skip === 0 && !chinese) for (const [, , value] of attrs.matchAll(SPOKEN)) words.push(value!);
    if (VOID.has(name) || attrs.endsWith('/')) continue;
    skipping.push(chinese);
    if (chinese) skip++;
  }
  let text = words.join(' ').replace(/&[a-z]+;|&#\d+;/g, ' ');
  for (const name of DATA) text = text.replaceAll(name, '');
  return text;
}

/**
 * The official format's own words, which stay Chinese in every language: titles, blocks, rows,
 * their groups, columns and the printed headings of every template. Longest first, so a label
 * is removed before a shorter one inside it.
 */
const OFFICIAL = [
  ...new Set(
    TEMPLATES.flatMap((t) => [
      t.title,
      t.basis,
      ...t.sections.flatMap((s) => [s.title, s.hint ?? '']),
      ...t.parts.flatMap((p) => (p.type === 'tables' ? [p.title, ...[...p.layout.head, ...p.layout.body].flat().map((c) => c.text ?? '')] : [])),
      ...t.tables.flatMap((table) => [table.block ?? '', ...table.columns.map((c) => c.label), ...table.rows.flatMap((r) => [r.label, r.heading ?? '', ...(r.groups ?? [])])]),
    ]),
  ),
]
  .filter((text) => /\p{Script=Han}/u.test(text))
  .sort((a, b) => b.length - a.length);

const withoutOfficial = (text: string) => OFFICIAL.reduce((rest, label) => rest.replaceAll(label, ' '), text);

/** Each run of Han characters left, with a little of what surrounds it. */
function chineseIn(text: string): string[] {
  return [...text.matchAll(/\p{Script=Han}[\p{Script=Han}\p{P}\s\d]*/gu)].map((m) =>
    text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 10).replace(/\s+/g, ' ').trim(),
  );
}

async function englishPage(path: string, cookie?: string): Promise<string> {
  const res = await call(path, { headers: { 'Accept-Language': 'en' }, ...(cookie ? { cookie } : {}) });
  expect(res.status, path).toBe(200);
  const html = await res.text();
  expect(html, path).toContain('<html lang="en">');
  return html;
}

beforeAll(async () => {
  s = await setUpTree();
  const cells = Object.fromEntries(Object.keys(zeros()).map((key, i) => [key, i % 7]));
  await publishReport('JT', PUBLISHED, cells);
  await openCycle(CYCLE);
  await fillAndSubmit(s.clerk, 'BQ', CYCLE);
  expect(gov2021.id).toBe('gov-2021');
});

describe('ownWords (the stripping the test relies on)', () => {
  it('drops what is marked Chinese, script and style, keeps the rest and spoken attributes', () => {
    const html = '<p>Hello <span lang="zh-CN">金塘镇<b>镇</b></span> world<br><img alt="图"><script>x="中"</script></p><a aria-label="标签">x</a>';
    const words = ownWords(html);
    expect(chineseIn(words).join()).toMatch(/图.*标签/);
    expect(words).toContain('Hello');
    expect(words).toContain('world');
    expect(words).not.toContain('镇');
    expect(words).not.toContain('中');
  });
});

describe('with English asked for, the public pages speak English', () => {
  it.each<[string]>([
    ['/'],
    ['/reports'],
    ['/reports?within=ZS-DH'],
    ['/reports/JT'],
    [`/reports/JT/${PUBLISHED}`],
    [`/stats/${PUBLISHED}`],
    [`/stats/${PUBLISHED}?within=ZS-DH`],
    ['/api'],
    ['/signin'],
  ])('%s', async (path) => {
    expect(chineseIn(ownWords(await englishPage(path))).join('\n')).toBe('');
  });

  it('and the same pages stay Chinese without it: the cache keeps one copy per language', async () => {
    for (const path of ['/reports', `/reports/JT/${PUBLISHED}`, `/stats/${PUBLISHED}`]) {
      await englishPage(path);
      const chinese = await call(path);
      expect(chinese.headers.get('Vary')).toContain('Accept-Language');
      const html = await chinese.text();
      expect(html, path).toContain('<html lang="zh-CN">');
      expect(html, path).toContain('政府信息公开工作年度报告');
    }
    expect(await (await call(`/stats/${PUBLISHED}?lang=en`)).text()).toContain('<html lang="en">');
  });
});

describe('with English asked for, the signed-in pages speak English', () => {
  const pages: [string, keyof Sessions, string][] = [
    ['clerk', 'clerk', '/app'],
    ['clerk', 'clerk', `/app/reports/JT/${CYCLE}`],
    ['clerk', 'clerk', `/app/reports/JT/${CYCLE}/check`],
    ['clerk', 'clerk', `/app/reports/BQ/${CYCLE}`],
    ['supervisor', 'supervisor', '/app'],
    ['supervisor', 'supervisor', '/app/review'],
    ['supervisor', 'supervisor', `/app/review/BQ/${CYCLE}`],
    ['supervisor', 'supervisor', `/app/progress/${CYCLE}`],
    ['administrator', 'admin', '/app'],
    ['administrator', 'admin', `/app/cycles/${CYCLE}`],
    ['administrator', 'admin', `/app/progress/${CYCLE}`],
  ];
  it('the check page with rule messages: each in English, naming the official rows as printed', async () => {
    // Numbers that break the rules between the tables, saved as a draft of JT.
    const path = `/api/v1/drafts/JT/${CYCLE}`;
    const draft = (await (await call(path, { cookie: s.clerk })).json()) as { revision: number };
    const cells = Object.fromEntries(Object.keys(zeros()).map((key, i) => [key, (i * 7) % 11]));
    const saved = await call(path, { method: 'PUT', cookie: s.clerk, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ revision: draft.revision, cells }) });
    expect(saved.status).toBe(200);
    for (const page of [`/app/reports/JT/${CYCLE}/check`, `/app/reports/JT/${CYCLE}`]) {
      const html = await englishPage(page, s.clerk);
      expect(html, page).toMatch(/must|should|equal|sum/i); // the rule messages are there
      expect(chineseIn(withoutOfficial(ownWords(html))).join('\n'), page).toBe('');
    }
  });

  it.each(pages)('the %s: %s %s', async (_, who, path) => {
    expect(chineseIn(withoutOfficial(ownWords(await englishPage(path, s[who])))).join('\n')).toBe('');
  });
});
