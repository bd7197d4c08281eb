// The administrator's cycle page: a form for template, deadline and reminder days, and the
// reminder calendar it implies in Beijing time.
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminPut, BASE, sessionCookie } from './report-helpers';

let admin: string;
let clerk: string;

const call = (path: string, cookie: string, init: RequestInit = {}) =>
  exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) }, redirect: 'manual' }));
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  call(path, cookie, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE }, body: new URLSearchParams(fields).toString() });

beforeAll(async () => {
  await adminPut('/units/ZS-DH', { name: '定海区人民政府' });
  await adminPut('/units/JT', { name: '金塘镇', parent: 'ZS-DH' });
  await adminPut('/people/admin@example.gov.cn', { name: '赵敏', role: 'admin', units: [] });
  await adminPut('/people/jt@example.gov.cn', { name: '王芳', role: 'clerk', units: ['JT'] });
  admin = await sessionCookie('admin@example.gov.cn');
  clerk = await sessionCookie('jt@example.gov.cn');
});

describe('/app/cycles/{year}', () => {
  it('proposes the legal defaults and shows the calendar they imply', async () => {
    const html = await (await call('/app/cycles/2026', admin)).text();
    expect(html).toContain('value="2027-01-31T23:59"');
    expect(html).toContain('value="30,14,7,3,1,0"');
    expect(html).toContain('<option value="gov-2021" selected="">');
    for (const line of ['2027-01-01 · 提前 30 天', '2027-01-24 · 提前 7 天', '2027-01-31 · 截止当天', '2027-02-01 · 逾期通知']) expect(html).toContain(line);
  });

  it('opens the cycle from the form, with drafts for the units', async () => {
    const form = await (await call('/app/cycles/2026', admin)).text();
    expect(form).toContain('name="units" value="JT" checked=""');
    expect(form).not.toContain('name="units" value="ZS-DH" checked=""');
    const res = await post('/app/cycles/2026', admin, { template: 'gov-2021', deadline: '2027-01-15T18:00', days: '10, 3，0', units: 'JT' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/app/cycles/2026?saved=1');
    const html = await (await call(res.headers.get('Location')!, admin)).text();
    expect(html).toContain('已保存。新建草稿 1 份。');
    expect(html).toContain('应报单位 1 个。');
    expect(html).toContain('2027-01-05 · 提前 10 天');
    const cycle = (await (await exports.default.fetch(new Request(`${BASE}/api/v1/admin/cycles/2026`, { headers: { Authorization: 'Bearer test-admin-token' } }))).json()) as { cycle: { deadline: string; reminder_days: number[] } };
    expect(cycle.cycle).toMatchObject({ deadline: '2027-01-15T18:00:59+08:00', reminder_days: [10, 3, 0] });
  });

  it('is linked from the administrator’s home page, with the progress of each cycle', async () => {
    const home = await (await call('/app', admin)).text();
    expect(home).toContain('href="/app/progress/2026"');
    expect(home).toContain('href="/app/cycles/2026"');
    expect(await (await call('/app', clerk)).text()).not.toContain('/app/cycles/');
  });

  it('names each bad field beside it, and refuses everyone but administrators', async () => {
    const res = await post('/app/cycles/2026', admin, { template: 'gov-2099', deadline: 'soon', days: '7,7' });
    expect(await res.clone().text()).toContain('请至少选择一个应报单位');
    expect(res.status).toBe(422);
    const html = await res.text();
    for (const message of ['请选择报告格式', '请输入有效的截止时间', '提醒天数应为 0 到 366 之间互不相同的整数，最多 20 个']) expect(html).toContain(message);
    expect((await call('/app/cycles/2026', clerk)).status).toBe(403);
    expect((await post('/app/cycles/2026', clerk, { template: 'gov-2021', deadline: '2027-01-15T18:00', days: '1', units: 'JT' })).status).toBe(403);
  });

  it('refuses an absurd reminder day or deadline beside its field, never failing to draw the calendar, and writes nothing', async () => {
    const before = await (await call('/api/v1/admin/cycles/2026', '', { headers: { Authorization: 'Bearer test-admin-token' } })).text();
    for (const days of ['10000000000', '1e20', '1e308', '9007199254740993', '7,-1', '0x10', Array.from({ length: 21 }, (_, i) => i).join(',')]) {
      const res = await post('/app/cycles/2026', admin, { template: 'gov-2021', deadline: '2027-01-15T18:00', days, units: 'JT' });
      expect(res.status, days).toBe(422);
      const html = await res.text();
      expect(html).toContain('<p class="field-message" id="cycle-days-error">提醒天数应为 0 到 366 之间互不相同的整数，最多 20 个</p>');
      // The calendar still shows the deadline's overdue day, and only that.
      expect(html).toContain('2027-01-16 · 逾期通知');
    }
    for (const deadline of ['9999-01-31T23:59', '2102-01-01T00:00', '2007-12-31T23:59', '2027-02-30T23:59']) {
      const res = await post('/app/cycles/2026', admin, { template: 'gov-2021', deadline, days: '7', units: 'JT' });
      expect(res.status, deadline).toBe(422);
      expect(await res.text()).toContain('<p class="field-message" id="cycle-deadline-error">请输入有效的截止时间（2008 年到 2101 年之间），例如 2026-01-31 23:59</p>');
    }
    const en = await call('/app/cycles/2026', admin, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE, 'Accept-Language': 'en' },
      body: new URLSearchParams({ template: 'gov-2021', deadline: '9999-01-31T23:59', days: '1e20', units: 'JT' }).toString(),
    });
    const english = await en.text();
    expect(english).toContain('Reminder days must be different whole numbers from 0 to 366, at most 20 of them');
    expect(english).toContain('Enter a valid deadline (between 2008 and 2101), e.g. 2026-01-31 23:59');
    expect(await (await call('/api/v1/admin/cycles/2026', '', { headers: { Authorization: 'Bearer test-admin-token' } })).text()).toBe(before);
  });

  it('tells a screen reader which field is wrong and why: aria-invalid, described by its hint and error; the summary links to each', async () => {
    const html = await (await post('/app/cycles/2026', admin, { template: 'gov-2021', deadline: '2027-01-15T18:00', days: '7,7', units: 'JT' })).text();
    const days = html.match(/<input id="cycle-days"[^>]*>/)![0];
    expect(days).toContain('aria-invalid="true"');
    expect(days).toContain('aria-describedby="cycle-days-hint cycle-days-error"');
    expect(html).toContain('<p class="field-message" id="cycle-days-error">提醒天数应为 0 到 366 之间互不相同的整数，最多 20 个</p>');
    expect(html).toContain('<p class="hint" id="cycle-days-hint">');
    // The fields that are right are not marked.
    const deadline = html.match(/<input id="cycle-deadline"[^>]*>/)![0];
    expect(deadline).not.toContain('aria-invalid');
    expect(deadline).toContain('aria-describedby="cycle-deadline-hint"');
    expect(html).toMatch(/<div class="error-summary" role="alert" tabindex="-1">/);
    expect(html).toContain('<a href="#cycle-days">提醒天数应为 0 到 366 之间互不相同的整数，最多 20 个</a>');

    // No unit chosen: the error beside the checkboxes, and the summary's link lands on the first.
    const none = await (await post('/app/cycles/2026', admin, { template: 'gov-2021', deadline: '2027-01-15T18:00', days: '7' })).text();
    expect(none).toContain('<a href="#cycle-units">请至少选择一个应报单位</a>');
    expect(none).toMatch(/<fieldset class="field field-error unit-choice" aria-describedby="cycle-units-error">/);
    expect(none).toContain('<p class="field-message" id="cycle-units-error">请至少选择一个应报单位</p>');
    expect(none).toMatch(/<input id="cycle-units" type="checkbox" name="units"/);
  });
});
