// The import page in Chromium at phone size (390×844), without JavaScript doing anything for it:
// an administrator pastes a real government page (平潭 2023, test/fixtures/real-html), reads it
// into the official layout, corrects a cell by hand and imports it; neither step scrolls the page
// sideways (the wide tables scroll inside their own box), and the report is published with the
// corrected value. The file's own data: a town below the demo's 定海区 and its administrator.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { adminPut } from './admin';
import { browserForFile, phone, screenshot } from './browser';
import { signInThroughMail } from './session';

const base = inject('baseUrl');
const TOWN = 'IMPORT-ZS-101';
const ADMIN = 'admin@import.nianbao.local';
const YEAR = '2021';
const page2023 = readFileSync(fileURLToPath(new URL('../fixtures/real-html/pingtan-2023.html', import.meta.url)), 'utf8');

const chromium = browserForFile();

beforeAll(async () => {
  await adminPut(base, `/units/${TOWN}`, { name: '导入测试镇', parent: 'ZS-DH' });
  await adminPut(base, `/people/${ADMIN}`, { name: '周洁', role: 'admin', units: [] });
});

describe('an administrator imports an old report on a phone', () => {
  it('pastes a real page, reads it in the official layout, corrects a cell and publishes it', async () => {
    const context = await phone(chromium.browser);
    const page = await context.newPage();
    await signInThroughMail(page, base, ADMIN);
    await page.goto(`${base}/app/admin/import`);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);

    await page.selectOption('#import-unit', TOWN);
    await page.fill('#import-year', YEAR);
    await page.fill('#import-source', page2023);
    await Promise.all([page.waitForURL(`${base}/app/admin/import/read`), page.click('button:has-text("识别")')]);
    await expect.poll(() => page.locator('#import-cell-applications-new-natural').inputValue()).toBe('80');
    expect(await page.locator('#import-published_at').inputValue()).toBe('2024-03-08');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'import-read-phone');

    await page.fill('#import-cell-applications-new-natural', '79');
    await Promise.all([page.waitForURL(/\/app\/admin\/import\/done/), page.click('button:has-text("导入")')]);
    expect(await page.locator('.confirmation h2').textContent()).toBe('已导入并发布');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'import-done-phone');
    const published = (await (await fetch(`${base}/api/v1/reports/${TOWN}/${YEAR}`)).json()) as { cells: Record<string, number | null> };
    expect(published.cells['applications.new.natural']).toBe(79);
    await context.close();
  }, 120_000);
});
