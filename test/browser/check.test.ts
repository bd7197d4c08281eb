// 检查并提交 on a phone (390×844, issue 14): with a cell that cannot be saved, the button moves
// focus to the error summary naming that cell (not just a red status line); an absurd number is
// kept as typed, never rewritten as 1e+23; the check page lists part 二's rows in the report as it
// will be published, and its error links bring the field back with its label in view; input
// restored after a reload is announced as information, saying what came back.
//
// The file sets up its own report through the administration API: 小沙街道 below the demo's 定海区,
// its clerk, and a 2029 cycle for it alone — other browser files never touch it.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { adminPut } from './admin';
import { browserForFile, PHONE, screenshot } from './browser';
import { sessionCookie } from './session';

const base = inject('baseUrl');
const UNIT = 'XS-330902-107';
const CLERK = 'clerk@xiaosha.nianbao.local';
const YEAR = 2029;
const FORM = `${base}/app/reports/${UNIT}/${YEAR}`;
const chromium = browserForFile();
let cookie: string;

beforeAll(async () => {
  await adminPut(base, `/units/${UNIT}`, { name: '小沙街道', parent: 'ZS-DH' });
  await adminPut(base, `/people/${CLERK}`, { name: '周丽', role: 'clerk', units: [UNIT] });
  await adminPut(base, `/cycles/${YEAR}`, { template: 'gov-2021', units: [UNIT] });
  cookie = await sessionCookie(base, CLERK);
});

async function clerkPhone(): Promise<BrowserContext> {
  const context = await chromium.browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: base }]);
  return context;
}

const cell = (page: Page, key: string) => page.locator(`[id="f-c.${key}"]`);
const focusedSummary = (page: Page) => page.evaluate(() => document.activeElement?.matches('.error-summary') ?? false);
const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('检查并提交 with a cell that cannot be saved', () => {
  it('moves focus to the error summary naming the cell, and keeps what was typed', async () => {
    const context = await clerkPhone();
    const page = await context.newPage();
    await page.goto(FORM);
    const coercion = cell(page, 'enforcement.coercion.decisions');
    await coercion.fill('99999999999999999999999');
    await coercion.blur();
    // Never scientific notation: the clerk's digits stay as typed, with the plausibility error.
    expect(await coercion.inputValue()).toBe('99999999999999999999999');

    await page.getByRole('button', { name: '检查并提交' }).click();
    await expect.poll(() => focusedSummary(page), { timeout: 10_000 }).toBe(true);
    expect(page.url()).toBe(FORM);
    const summary = page.locator('.error-summary:focus');
    expect(await summary.innerText()).toContain('行政强制·本年处理决定数量：99999999999999999999999 超出合理范围');
    expect(await page.locator('[data-save-state]').innerText()).toContain('行政强制·本年处理决定数量');
    expect(await page.locator('[data-save-state]').innerText()).not.toContain('有单元格不是数字');
    await screenshot(page, 'check-button-focus');

    // Its link brings the cell back, focused, with its row's label on screen.
    await summary.getByRole('link').first().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-c.enforcement.coercion.decisions');
    const legend = await page.locator('fieldset.row:has([id="f-c.enforcement.coercion.decisions"]) legend, .row-single:has([id="f-c.enforcement.coercion.decisions"]) label').first().boundingBox();
    expect(legend!.y).toBeGreaterThanOrEqual(0);

    // Corrected to a number that saves but no unit has: saved (never lost), and an error on the check page.
    await coercion.fill('99999999999999');
    await page.getByRole('button', { name: '检查并提交' }).click();
    await page.waitForURL(`${FORM}/check`);
    const main = await page.locator('main').innerText();
    expect(main).toContain('行政强制·本年处理决定数量：99999999999999 超出合理范围');
    expect(await page.getByRole('button', { name: '确认提交' }).count()).toBe(0);
    await context.close();
  });
});

describe('input restored after a reload', () => {
  it('is an informational notice (not error-pink) saying what came back', async () => {
    const context = await clerkPhone();
    const page = await context.newPage();
    await page.goto(FORM);
    // Saves never get through: what is typed stays on this phone only.
    await context.route('**/api/v1/drafts/**', (route) => (route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue()));
    await cell(page, 'licensing.licensing.decisions').fill('7');
    await cell(page, 'enforcement.penalty.decisions').fill('3');
    await page.locator('textarea[name="s.overview"]').fill('本年度依法推进政务公开。');
    await expect.poll(() => page.locator('[data-save-state]').getAttribute('data-state'), { timeout: 20_000 }).toBe('offline');
    await page.reload();
    const notice = page.locator('[data-client-notice="restored"]');
    await notice.waitFor();
    expect(await notice.getAttribute('class')).toBe('notice notice-info');
    expect(await notice.innerText()).toBe('已恢复上次未保存的输入：2 个单元格、一、总体情况。将自动保存。');
    const background = await notice.evaluate((el) => getComputedStyle(el).backgroundColor);
    const errorBackground = await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.className = 'notice notice-error';
      document.body.append(probe);
      const color = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return color;
    });
    expect(background).not.toBe(errorBackground);
    await context.unroute('**/api/v1/drafts/**');
    await expect.poll(() => page.locator('[data-save-state]').getAttribute('data-state'), { timeout: 20_000 }).toBe('saved');
    await context.close();
  });
});

describe('the check page', () => {
  it('puts the problems first and lists part 二 in the report as it will be published, within the phone’s width', async () => {
    const context = await clerkPhone();
    const page = await context.newPage();
    await page.goto(`${FORM}/check`);
    // The problems come before everything else in main.
    const summaryTop = (await page.locator('[data-check-summary]').boundingBox())!.y;
    expect(summaryTop).toBeLessThan((await page.locator('.summary-list').boundingBox())!.y);
    const preview = await page.locator('.check-preview').innerText();
    for (const label of ['二、主动公开政府信息情况', '规章', '行政规范性文件', '行政许可', '行政处罚', '行政强制', '行政事业性收费']) {
      expect(preview).toContain(label);
    }
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'check-page-phone');
    await context.close();
  });

  it('downloads the draft as a Word document, named by its title, from 下载 Word 文档', async () => {
    const context = await clerkPhone();
    const page = await context.newPage();
    await page.goto(`${FORM}/check`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 Word 文档（已保存的内容）' }).click()]);
    expect(download.suggestedFilename()).toBe(`小沙街道${YEAR}年政府信息公开工作年度报告（草稿）.docx`);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    // A ZIP (a .docx is one): its first bytes are PK\x03\x04.
    expect([...readFileSync(path).subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    await context.close();
  });
});
