// A town's clerk fills in the whole report on a phone (390×844): totals fill in and rule messages
// appear while typing, 「其余空白填0」 works in place and can be undone, input typed offline
// survives a reload and is then saved, a colleague's save in between is reconciled, and the
// report is submitted. And the same form without JavaScript.
//
// The file sets up its own report through the administration API: 岑港镇 below the demo's 定海区
// (so 李明 reviews it), its clerk, and a 2024 cycle for it alone (never the demo's own year: the
// demo opens the year due next, and a cycle PUT with `units` releases every other unit of that year) — other browser files never touch
// it. That one report serves every test here, in order: the last one submits it.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminPut } from './admin';
import { ARTIFACTS, launch, phone, PHONE, screenshot } from './browser';
import { signInThroughMail } from './session';

const base = inject('baseUrl');
const UNIT = 'CG-330902-104';
const CLERK = 'clerk@cengang.nianbao.local';
const YEAR = 2024;
const FORM = `${base}/app/reports/${UNIT}/${YEAR}`;
const API = `${base}/api/v1/drafts/${UNIT}/${YEAR}`;

interface Draft {
  status: string;
  revision: number;
  sections: Record<string, string>;
  cells: Record<string, number | null>;
  explanations: Record<string, string>;
}

let browser: Browser;
/** The clerk's signed-in browser state: one sign-in (sign-in links are rate-limited per address). */
let clerk: Awaited<ReturnType<BrowserContext['storageState']>>;

beforeAll(async () => {
  await adminPut(base, `/units/${UNIT}`, { name: '岑港镇', parent: 'ZS-DH' });
  await adminPut(base, `/people/${CLERK}`, { name: '张伟', role: 'clerk', units: [UNIT] });
  await adminPut(base, `/cycles/${YEAR}`, { template: 'gov-2021', units: [UNIT], deadline: '2099-01-31T23:59:59+08:00' });
  browser = await launch();
  const context = await phone(browser);
  await signInThroughMail(await context.newPage(), base, CLERK);
  clerk = await context.storageState();
  await context.close();
});
afterAll(async () => {
  await browser?.close();
});

/** A phone context signed in as the clerk; `javaScriptEnabled: false` for the plain form. */
function clerkPhone(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', storageState: clerk, ...options });
}

/** The draft as the server holds it, read with the page's own session cookie. */
async function serverDraft(page: Page): Promise<Draft> {
  const response = await page.request.get(API);
  expect(response.status()).toBe(200);
  return (await response.json()) as Draft;
}

const cell = (page: Page, key: string) => page.locator(`[id="f-c.${key}"]`);
const saveState = (page: Page) => page.locator('[data-save-state]');
const savedState = (page: Page) => saveState(page).getAttribute('data-state');
/** What the phone's screen shows right now (screenshot() takes the whole page). */
async function screenShot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png` });
}

/** Waits for a condition the page reaches on its own (a save after typing pauses, a retry after backoff). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

describe('the report form without JavaScript', () => {
  it('saves by posting, keeps the value over a reload, fills the blanks with 0 and undoes it', async () => {
    const context = await clerkPhone({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(FORM);

    await cell(page, 'applications.disclosed.natural').fill('２'); // full width, as a Chinese IME types it
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForURL(/\?saved=\d+$/);
    await page.reload();
    expect(await cell(page, 'applications.disclosed.natural').inputValue()).toBe('2');
    expect(await page.locator('output[data-cell="applications.results_total.natural"]').textContent()).toBe('2');

    const fill = page.locator('button[data-fill-zero]');
    const blanks = Number((await fill.textContent())!.match(/\d+/)![0]);
    expect(blanks).toBeGreaterThan(100);
    await fill.click();
    await page.getByText(`已将 ${blanks} 个空白填为 0 并保存。`).waitFor();
    expect(await cell(page, 'applications.new.natural').inputValue()).toBe('0');
    expect(await page.locator('button[data-fill-zero]').count()).toBe(0);

    await page.getByRole('button', { name: '撤销' }).click();
    await page.waitForURL(/\?saved=\d+$/);
    expect(await cell(page, 'applications.new.natural').inputValue()).toBe('');
    expect(await cell(page, 'applications.disclosed.natural').inputValue()).toBe('2');
    expect(await page.locator('button[data-fill-zero]').textContent()).toContain(`其余 ${blanks} 个空白填 0`);
    await context.close();
  });
});

describe('the report form with JavaScript, on a phone', () => {
  it('when a colleague saved the same cell meanwhile, shows both and keeps the clerk’s on request', async () => {
    const context = await clerkPhone();
    const page = await context.newPage();
    await page.goto(FORM);
    const key = 'enforcement.penalty.decisions';

    // Offline, the clerk's 7 waits in the browser …
    await context.setOffline(true);
    await cell(page, key).fill('7');
    await eventually(() => savedState(page)).toBe('offline');
    // … while a colleague saves 4 in the same cell.
    const before = await serverDraft(page);
    const colleague = await page.request.put(API, { data: { revision: before.revision, cells: { [key]: 4 } } });
    expect(colleague.status()).toBe(200);

    await context.setOffline(false);
    const panel = page.locator('[data-conflict]');
    await panel.waitFor();
    const text = await panel.innerText();
    expect(text).toContain('第二项 行政处罚·本年处理决定数量');
    expect(text).toContain('原为 空白 → 服务器为 4（您填的是 7）');
    expect(await savedState(page)).toBe('error');

    await panel.getByRole('button', { name: '保留我的' }).click();
    await eventually(() => savedState(page)).toBe('saved');
    expect((await serverDraft(page)).cells[key]).toBe(7);
    await context.close();
  });

  it('fills a whole report: live totals and messages, 其余空白填0, offline input restored after a reload, submitted', async () => {
    const context = await clerkPhone();
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(FORM);

    // A total fills in as the clerk types; Enter moves on to the next cell.
    const natural = cell(page, 'applications.disclosed.natural');
    await natural.fill('3');
    expect(await page.locator('output[data-cell="applications.results_total.natural"]').textContent()).toBe('3');
    expect(await page.locator('output[data-cell="applications.disclosed.total"]').textContent()).toBe('3');
    await natural.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-c.applications.disclosed.business');

    // 一 + 二 ≠ 三 + 四: the balance message under 一's row, the cell marked, the summary names it.
    const newRow = page.locator('[data-messages="applications.new"]');
    await cell(page, 'applications.new.natural').fill('1');
    expect(await newRow.innerText()).toContain('第三项「自然人」列：第一项加第二项之和为 1，第三项加第四项之和为 3，两者应相等');
    expect(await cell(page, 'applications.new.natural').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-summary] a[href="#f-c.applications.new.natural"]').count()).toBe(1);
    await newRow.scrollIntoViewIfNeeded();
    await screenShot(page, 'form-phone-message');
    await cell(page, 'applications.new.natural').fill('3');
    expect(await newRow.innerText()).toBe('');
    expect(await cell(page, 'applications.new.natural').getAttribute('aria-invalid')).toBeNull();

    // The three narrative sections.
    await page.locator('textarea[name="s.overview"]').fill('2026年，岑港镇认真贯彻《中华人民共和国政府信息公开条例》，主动公开政府信息 126 条。');
    await page.locator('textarea[name="s.problems"]').fill('政务公开专业人员不足；下一步加强培训。上年度指出的问题已整改。');
    await page.locator('textarea[name="s.other"]').fill('本年度未收取信息处理费。');
    await cell(page, 'fees.fees.amount').fill('0');

    // 其余空白填0 counts the blanks live; it fills in place and can be undone exactly.
    const fill = page.locator('button[data-fill-zero]');
    const blanks = await page.locator('input[name^="c."]').evaluateAll((inputs) => inputs.filter((i) => (i as HTMLInputElement).value === '').length);
    expect(blanks).toBeGreaterThan(150);
    expect(await fill.textContent()).toBe(`其余 ${blanks} 个空白填 0`);
    await fill.click();
    await page.getByText(`已将 ${blanks} 个空白填为 0。`).waitFor();
    expect(await fill.isHidden()).toBe(true);
    await page.getByRole('button', { name: '撤销' }).click();
    await page.getByText(`已撤销，${blanks} 个单元格恢复为空白。`).waitFor();
    expect(await cell(page, 'appeals.review.upheld').inputValue()).toBe('');
    expect(await cell(page, 'applications.new.natural').inputValue()).toBe('3');
    await fill.click();
    expect(await cell(page, 'appeals.review.upheld').inputValue()).toBe('0');
    expect(await page.locator('output[data-cell="appeals.review.total"]').textContent()).toBe('0');

    // Saved once typing pauses: the server holds every cell.
    await eventually(() => savedState(page)).toBe('saved');
    const saved = await serverDraft(page);
    expect(Object.values(saved.cells).filter((v) => v === null)).toEqual([]);
    expect(saved.cells['applications.results_total.total']).toBe(3);
    expect(saved.sections.other).toBe('本年度未收取信息处理费。');

    // Offline: the input waits, and says so.
    await context.setOffline(true);
    await cell(page, 'licensing.licensing.decisions').fill('５');
    await eventually(() => savedState(page)).toBe('offline');
    expect(await saveState(page).textContent()).toBe('离线：已保存在本机，恢复网络后自动上传');
    // The network returns and the clerk reloads at once, before any retry got through (saves are
    // held back until the reloaded page is up): what they typed comes back from this phone.
    await context.route('**/api/v1/drafts/**', (route) => (route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue()));
    await context.setOffline(false);
    await page.reload();
    await page.getByText('已恢复上次未保存的输入').waitFor();
    expect(await cell(page, 'licensing.licensing.decisions').inputValue()).toBe('５');
    expect((await serverDraft(page)).cells['licensing.licensing.decisions']).toBe(0);
    await context.unroute('**/api/v1/drafts/**');
    await eventually(() => savedState(page)).toBe('saved');
    expect((await serverDraft(page)).cells['licensing.licensing.decisions']).toBe(5);

    // Every warning explained (there are none without last year's report, but the form may show some).
    for (const box of await page.locator('[data-explanation]:not([hidden]) textarea').all()) {
      await box.fill('经核实，数据无误。');
    }
    await eventually(() => savedState(page)).toBe('saved');
    expect(await page.locator('[data-summary]:not([hidden])').count()).toBe(0);
    await screenshot(page, 'form-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // 检查并提交 → the check page → 确认提交 → the read-only report, naming the reviewer.
    await page.getByRole('button', { name: '检查并提交' }).click();
    await page.waitForURL(`${FORM}/check`);
    await page.getByRole('button', { name: '确认提交' }).click();
    await page.waitForURL(FORM);
    const submitted = await page.locator('main').innerText();
    expect(submitted).toContain('已提交，等待 李明 审核');
    expect(await page.locator('#report-form').count()).toBe(0);
    expect((await serverDraft(page)).status).toBe('submitted');
    expect(failures).toEqual([]);
    await context.close();
  });
});
