// The checks on the text on a phone (390×844, issue 16): a figure the clerk writes in 总体情况
// that contradicts the table is shown, after the autosave, at that part and at the row of its
// cell, with its explanation box; the administrator's quality view fits the phone's width.
//
// The file sets up its own data through the administration API: 马岙街道 below the demo's 定海区,
// its clerk, a 2095 cycle for it alone, and an imported 2024 report with a contradiction.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_TOKEN } from './server';
import { adminPut } from './admin';
import { browserForFile, phone, screenshot } from './browser';
import { sessionCookie } from './session';

const base = inject('baseUrl');
const UNIT = 'MA-330902-195';
const CLERK = 'clerk@maao.nianbao.local';
const ADMIN = 'admin@demo.nianbao.local';
const YEAR = 2095;
const FORM = `${base}/app/reports/${UNIT}/${YEAR}`;
const chromium = browserForFile();
let clerk: string;
let admin: string;

beforeAll(async () => {
  await adminPut(base, `/units/${UNIT}`, { name: '马岙街道', parent: 'ZS-DH' });
  await adminPut(base, `/people/${CLERK}`, { name: '林红', role: 'clerk', units: [UNIT] });
  await adminPut(base, `/cycles/${YEAR}`, { template: 'gov-2021', units: [UNIT] });
  const imported = await fetch(`${base}/api/v1/admin/import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      unit: UNIT,
      year: 2024,
      template: 'gov-2021',
      sections: { overview: '清理并集中发布现行有效行政规范性文件393件。', problems: '存在的问题：……', other: '' },
      cells: { 'regulations.normative.in_force': 470 },
      published_at: '2025-01-20T10:00:00+08:00',
    }),
  });
  if (imported.status !== 201 && imported.status !== 409) throw new Error(`import: ${imported.status} ${await imported.text()}`);
  clerk = await sessionCookie(base, CLERK);
  admin = await sessionCookie(base, ADMIN);
});

async function signedIn(cookie: string) {
  const context = await phone(chromium.browser);
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: base }]);
  return context;
}

const sideways = (page: import('playwright-core').Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('a figure of the text against the table, on the form', () => {
  it('after the autosave: at 一、总体情况 and at the row of 本年新收, with its explanation box; no sideways scroll', async () => {
    const context = await signedIn(clerk);
    const page = await context.newPage();
    await page.goto(FORM);
    await page.locator('[id="f-c.applications.new.natural"]').fill('11');
    await page.locator('[id="f-c.applications.disclosed.natural"]').fill('11');
    await page.locator('[id="f-s.overview"]').fill('全年共受理政府信息公开申请12件，均已按时答复。');
    const atPart = page.locator('ul[data-messages="s.overview"] li.warning');
    await atPart.waitFor({ timeout: 15_000 });
    expect(await atPart.innerText()).toContain('「全年共受理政府信息公开申请12件」');
    expect(await page.locator('ul[data-messages="applications.new"] li.warning').innerText()).toContain('一、本年新收政府信息公开申请数量·总计 为 11');
    expect(await page.locator('[data-explanation="narrative_figures"]').isVisible()).toBe(true);
    // Typing elsewhere keeps the server's warning (the script does not carry the phrase tables).
    await page.locator('[id="f-c.licensing.licensing.decisions"]').fill('3');
    expect(await atPart.count()).toBe(1);
    expect(await sideways(page)).toBe(0);
    await atPart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: (await screenshot(page, 'narrative-form')).replace('.png', '-viewport.png') });
    await context.close();
  });
});

describe('the quality view', () => {
  it('lists 马岙街道’s 2024 report with its mismatch and missing part, at phone width', async () => {
    const context = await signedIn(admin);
    const page = await context.newPage();
    const res = await page.goto(`${base}/app/admin/quality/2024`);
    expect(res!.status()).toBe(200);
    const item = page.locator(`li[data-unit="${UNIT}"]`);
    expect(await item.innerText()).toContain('正文与表格不一致 1 处');
    expect(await sideways(page)).toBe(0);
    await page.getByLabel('排序方式').selectOption('mismatches');
    await page.getByRole('button', { name: '排序', exact: true }).click();
    await page.waitForURL(/sort=mismatches/);
    expect(await page.locator('li[data-unit]').first().getAttribute('data-unit')).toBe(UNIT);
    await screenshot(page, 'quality');
    await context.close();
  });
});
