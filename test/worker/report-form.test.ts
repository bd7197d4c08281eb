// The clerk's form without JavaScript, through the Worker and a real local D1: render, save,
// errors beside their fields, 「其余空白填0」 with undo, a colleague's save in between,
// check your answers, submit, and who may see or change what.
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellKeys, getTemplate } from '../../src/core';
import { adminPut, BASE, sessionCookie } from './report-helpers';
import { COMPLETE_SECTIONS } from './review-helpers';

/** A complete text as the form posts it (issue 16's completeness checks). */
const TEXT = Object.fromEntries(Object.entries(COMPLETE_SECTIONS).map(([k, v]) => [`s.${k}`, v]));

const FORM = '/app/reports/JT-330903-101/2025';
const template = getTemplate('gov-2021')!;
const derived = new Set(template.checks.filter((c) => c.derived).map((c) => c.left[0]!.cell));
const typedKeys = cellKeys(template).filter((k) => !derived.has(k));

let clerk: string;
let otherClerk: string;
let supervisor: string;

function call(path: string, cookie: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Cookie', cookie);
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, redirect: 'manual' }));
}

const post = (path: string, cookie: string, fields: Record<string, string>) =>
  call(path, cookie, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE },
    body: new URLSearchParams(fields).toString(),
  });

const revision = async () =>
  (await env.DB.prepare(`select r.revision as n from reports r join units u on u.id = r.unit_id where u.code = 'JT-330903-101' and r.year = 2025`).first<{ n: number }>())!.n;

/** The value the cell's input shows: '' when it has none (an empty input carries no value attribute). */
const inputValue = (html: string, key: string) => {
  const tag = html.match(new RegExp(`<input[^>]*name="c\\.${key.replace(/\./g, '\\.')}"[^>]*>`))?.[0];
  return tag === undefined ? undefined : (tag.match(/ value="([^"]*)"/)?.[1] ?? '');
};
const outputValue = (html: string, key: string) => html.match(new RegExp(`<output id="f-c\\.${key.replace(/\./g, '\\.')}"[^>]*>([^<]*)</output>`))?.[1];

beforeAll(async () => {
  expect((await adminPut('/units/ZS-DH', { name: '定海区人民政府' })).status).toBe(201);
  expect((await adminPut('/units/JT-330903-101', { name: '金塘镇', parent: 'ZS-DH' })).status).toBe(201);
  expect((await adminPut('/units/BQ-330902-102', { name: '白泉镇', parent: 'ZS-DH' })).status).toBe(201);
  await adminPut('/people/clerk@example.gov.cn', { name: '王芳', role: 'clerk', units: ['JT-330903-101'] });
  await adminPut('/people/other@example.gov.cn', { name: '陈刚', role: 'clerk', units: ['BQ-330902-102'] });
  await adminPut('/people/supervisor@example.gov.cn', { name: '李强', role: 'supervisor', units: ['ZS-DH'] });
  const cycle = await adminPut('/cycles/2025', { template: 'gov-2021', deadline: '2026-01-31T23:59:59+08:00', reminder_days: [30, 14, 7, 3, 1, 0] });
  expect(cycle.status).toBe(201);
  clerk = await sessionCookie('clerk@example.gov.cn');
  otherClerk = await sessionCookie('other@example.gov.cn');
  supervisor = await sessionCookie('supervisor@example.gov.cn');
});

describe('the form', () => {
  it('is listed on the clerk’s home page with its deadline', async () => {
    const home = await (await call('/app', clerk)).text();
    expect(home).toContain(`href="${FORM}"`);
    expect(home).toMatch(/距截止还有 \d+ 天|已逾期 \d+ 天|今天截止/);
  });

  it('renders every typed cell as an input and every total as computed, in official wording', async () => {
    const res = await call(FORM, clerk);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/<input id="f-c\./g)).toHaveLength(typedKeys.length);
    expect(html.match(/<output id="f-c\./g)).toHaveLength(derived.size);
    for (const label of ['一、总体情况', '二、主动公开政府信息情况', '第二十条第（一）项', '三、收到和处理政府信息公开申请情况', '（三）不予公开', '3.危及“三安全一稳定”', '四、政府信息公开行政复议、行政诉讼情况', '六、其他需要报告的事项'])
      expect(html).toContain(label);
    expect(html).toContain('inputmode="numeric"');
    expect(html).toContain('inputmode="decimal"'); // 万元 fees
    expect(html).toContain(`其余 ${typedKeys.length} 个空白填 0`);
    expect(html).toMatch(/<script src="\/static\/form\.js" defer(="")?><\/script>/);
  });

  it('saves a plain POST, derives the totals and shows them after the redirect', async () => {
    const base = await revision();
    const res = await post(FORM, clerk, {
      revision: String(base),
      action: 'save',
      's.overview': '2025年，金塘镇认真贯彻《政府信息公开条例》。',
      'c.applications.disclosed.natural': '３',
      'c.applications.partial.natural': '1,2',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`${FORM}?saved=${base + 1}`);
    const html = await (await call(res.headers.get('Location')!, clerk)).text();
    expect(html).toContain(`已保存（第 ${base + 1} 稿）`);
    expect(inputValue(html, 'applications.disclosed.natural')).toBe('3');
    expect(inputValue(html, 'applications.partial.natural')).toBe('12');
    expect(outputValue(html, 'applications.results_total.natural')).toBe('15');
    expect(outputValue(html, 'applications.results_total.total')).toBe('15');
    expect(html).toContain('2025年，金塘镇认真贯彻《政府信息公开条例》。');
    // A rule message beside the row it concerns, and in the summary at the top, linking to the cell.
    expect(html).toContain('第三项「自然人」列：第一项加第二项之和为 0，第三项加第四项之和为 15，两者应相等');
    expect(html).toContain('href="#f-c.applications.new.natural"');
  });

  // What cannot be read, and a number no cell can hold (beyond 10^15, as the drafts API refuses):
  // named beside its field, linked from the summary, kept as typed, and nothing saved.
  it.each([
    ['names input it cannot read', '十二', '第三项 一、本年新收政府信息公开申请数量·自然人：请输入数字，例如 0 或 12'],
    // Issue 14: the plausibility message (what the clerk can fix) comes before the storage cap's.
    [
      'refuses a number no cell can hold',
      '100000000000000000000',
      '第三项 → 一、本年新收政府信息公开申请数量·自然人：100000000000000000000 超出合理范围（一个单位一年不会超过 1,000,000 件），请核对',
    ],
  ])('%s beside its field, keeps what was typed, and saves nothing', async (_, typed, message) => {
    const base = await revision();
    const res = await post(FORM, clerk, { revision: String(base), action: 'save', 'c.applications.new.natural': typed, 'c.appeals.review.upheld': '4' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('<a href="#f-c.applications.new.natural">');
    expect(inputValue(html, 'applications.new.natural')).toBe(typed);
    expect(inputValue(html, 'appeals.review.upheld')).toBe('4');
    expect(await revision()).toBe(base);
  });

  it('fills the remaining blanks with 0 in one press, and undoes exactly those', async () => {
    const base = await revision();
    const filled = await post(FORM, clerk, { revision: String(base), action: 'fill-zero' });
    expect(filled.status).toBe(200);
    const html = await filled.text();
    const count = Number(html.match(/已将 (\d+) 个空白填为 0 并保存/)![1]);
    expect(count).toBe(typedKeys.length - 2);
    expect(inputValue(html, 'appeals.suit_direct.pending')).toBe('0');
    expect(inputValue(html, 'applications.disclosed.natural')).toBe('3');
    const undoKeys = html.match(/name="undo" value="([^"]*)"/)![1]!;
    const undone = await post(FORM, clerk, { revision: String(base + 1), action: 'undo-fill', undo: undoKeys });
    expect(undone.status).toBe(303);
    const after = await (await call(FORM, clerk)).text();
    expect(inputValue(after, 'appeals.suit_direct.pending')).toBe('');
    expect(inputValue(after, 'applications.disclosed.natural')).toBe('3');
    expect(after).toContain(`其余 ${typedKeys.length - 2} 个空白填 0`);
  });

  it('keeps everything typed when a colleague saved in between (409), and the next save wins', async () => {
    const stale = (await revision()) - 1;
    const res = await post(FORM, clerk, { revision: String(stale), action: 'save', 'c.licensing.licensing.decisions': '57' });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('同事已保存了更新的一稿');
    expect(inputValue(html, 'licensing.licensing.decisions')).toBe('57');
    const current = html.match(/name="revision" value="(\d+)"/)![1]!;
    expect((await post(FORM, clerk, { revision: current, action: 'save', 'c.licensing.licensing.decisions': '57' })).status).toBe(303);
    expect(inputValue(await (await call(FORM, clerk)).text(), 'licensing.licensing.decisions')).toBe('57');
  });
});

describe('check your answers, then submit', () => {
  it('will not submit while there are blanks or errors, and says where', async () => {
    const check = await (await call(`${FORM}/check`, clerk)).text();
    expect(check).toContain('提交前请核对');
    expect(check).toMatch(/还有 \d+ 个单元格空白/);
    expect(check).not.toContain('确认提交');
    const refused = await post(`${FORM}/submit`, clerk, { revision: String(await revision()) });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('处错误需要更正');
  });

  it('submits a complete, consistent report; then it is read-only and says who reviews it', async () => {
    let base = await revision();
    // Balance the 自然人 column: 新收 15 = 办理 15 (3 disclosed, 12 in part); then every other blank is 0.
    expect((await post(FORM, clerk, { revision: String(base), action: 'save', 'c.applications.new.natural': '15', 'c.applications.disclosed.natural': '3', 'c.applications.partial.natural': '12', ...TEXT })).status).toBe(303);
    base = await revision();
    expect((await post(FORM, clerk, { revision: String(base), action: 'fill-zero' })).status).toBe(200);
    const check = await (await call(`${FORM}/check`, clerk)).text();
    expect(check).toContain('提交后报告将交由 李强 审核');
    expect(check).toContain('<dt>本年新收政府信息公开申请</dt>');
    const submitted = await post(`${FORM}/submit`, clerk, { revision: String(await revision()) });
    expect(submitted.status).toBe(303);
    const page = await (await call(FORM, clerk)).text();
    expect(page).toContain('已提交，等待 李强 审核');
    expect(page).not.toContain('<input id="f-c.');
    expect(page).toContain('<table class="official">');
    // Saving after submitting changes nothing.
    const late = await post(FORM, clerk, { revision: String(await revision()), action: 'save', 'c.applications.new.natural': '99' });
    expect(late.status).toBe(303);
    expect(await (await call(`/api/v1/drafts/JT-330903-101/2025`, clerk)).json()).toMatchObject({ status: 'submitted', cells: { 'applications.new.natural': 15 } });
  });
});

describe('who may see and change the form', () => {
  it('a clerk of another unit gets 403; a supervisor sees the report read-only and cannot post', async () => {
    expect((await call(FORM, otherClerk)).status).toBe(403);
    expect((await post(FORM, otherClerk, { revision: '1', action: 'save' })).status).toBe(403);
    const view = await call(FORM, supervisor);
    expect(view.status).toBe(200);
    expect(await view.text()).not.toContain('<input id="f-c.');
    expect((await post(FORM, supervisor, { revision: '1', action: 'save' })).status).toBe(403);
  });

  it('sends someone signed out to sign in', async () => {
    const res = await exports.default.fetch(new Request(`${BASE}${FORM}`, { redirect: 'manual' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/signin?next=${encodeURIComponent(FORM)}`);
  });
});
