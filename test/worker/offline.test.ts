// The form page on a weak signal and a small screen (issue 14), from the server's side: the
// service worker script (src/client/sw.ts) may serve the whole origin, the CSP allows only our
// own workers, only the clerk's editable form is marked as a page the worker may keep, and the
// part navigation is rendered without JavaScript.
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminPut, BASE, sessionCookie, submitAllZero } from './report-helpers';

const FORM = '/app/reports/OF-1/2025';
const get = (path: string, cookie?: string) => exports.default.fetch(new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual' }));

let clerk: string;
let supervisor: string;

beforeAll(async () => {
  expect((await adminPut('/units/OF', { name: '定海区' })).status).toBe(201);
  expect((await adminPut('/units/OF-1', { name: '马岙镇', parent: 'OF' })).status).toBe(201);
  expect((await adminPut('/people/of-clerk@example.gov.cn', { name: '周敏', role: 'clerk', units: ['OF-1'] })).status).toBe(201);
  expect((await adminPut('/people/of-sup@example.gov.cn', { name: '李强', role: 'supervisor', units: ['OF'] })).status).toBe(201);
  expect((await adminPut('/cycles/2025', { template: 'gov-2021', units: ['OF-1'] })).status).toBe(201);
  clerk = await sessionCookie('of-clerk@example.gov.cn');
  supervisor = await sessionCookie('of-sup@example.gov.cn');
});

describe('the offline form’s service worker', () => {
  it('is served from /static/ with the right to control the whole origin, under worker-src self', async () => {
    const res = await get('/static/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/javascript/);
    expect(res.headers.get('Service-Worker-Allowed')).toBe('/');
    expect(await res.text()).toContain('Nianbao-Offline');
    expect((await get('/static/app.css')).headers.get('Service-Worker-Allowed')).toBeNull();
    expect(res.headers.get('Content-Security-Policy')).toContain("worker-src 'self'");
  });

  it('renders the part navigation: plain links to each part, with how much of it is filled in', async () => {
    const put = await exports.default.fetch(
      new Request(`${BASE}/api/v1/drafts/OF-1/2025`, {
        method: 'PUT',
        headers: { Cookie: clerk, 'Content-Type': 'application/json' },
        body: JSON.stringify({ revision: 0, cells: { 'appeals.review.upheld': 1, 'appeals.review.corrected': 0 }, sections: { overview: '本年度……' } }),
      }),
    );
    expect(put.status).toBe(200);
    const html = await (await get(FORM, clerk)).text();
    const nav = html.slice(html.indexOf('<nav class="part-nav"'), html.indexOf('</nav>', html.indexOf('<nav class="part-nav"')));
    const links = [...nav.matchAll(/<a href="#([^"]+)">.*?data-part-count="[^"]+">([^<]+)</g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['part-overview', '✓'],
      ['part-proactive', '0/10'],
      ['part-applications', '0/144'],
      ['part-appeals', '2/12'],
      ['part-problems', '未填'],
      ['part-other', '未填'],
    ]);
    for (const [id] of links) expect(html).toContain(`<section class="part" id="${id}">`);
    // 「其余空白填0」 is in the navigation, not in the sticky bar; Enter's default button comes first.
    expect(nav).toContain('value="fill-zero"');
    expect(html.indexOf('<button type="submit" name="action" value="save" hidden')).toBeLessThan(html.indexOf('value="fill-zero"'));
  });

  it('may keep the clerk’s editable form, not the supervisor’s view of it, nor the form once submitted', async () => {
    const form = await get(FORM, clerk);
    expect(form.status).toBe(200);
    expect(form.headers.get('Nianbao-Offline')).toBe('keep');
    expect(form.headers.get('Cache-Control')).toBe('no-store');

    const viewed = await get(FORM, supervisor);
    expect(viewed.status).toBe(200);
    expect(viewed.headers.get('Nianbao-Offline')).toBeNull();
    expect((await get(FORM)).headers.get('Nianbao-Offline')).toBeNull();

    await submitAllZero('OF-1', 2025, clerk);
    const submitted = await get(FORM, clerk);
    expect(submitted.status).toBe(200);
    expect(submitted.headers.get('Nianbao-Offline')).toBeNull();
  });
});
