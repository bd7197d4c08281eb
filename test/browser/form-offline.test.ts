// The clerk's form on a weak signal and a small screen (issue 14), at 390×844: the sticky action
// bar is one row, the part navigation's links land on their parts and count what is filled in,
// narrative boxes grow with their text; the service worker keeps the form page, so a reload
// without a connection shows the form as last saved, with what was typed since; input typed
// offline goes out when the connection returns (through the revision check: a colleague's save
// meanwhile opens the conflict panel); signing out empties the worker's cache.
//
// The file sets up its own report through the administration API: 马岙镇 below the demo's 定海区,
// its clerk, and a 2028 cycle for it alone — other browser files never touch it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminPut } from './admin';
import { launch, phone, PHONE, screenshot } from './browser';
import { signInThroughMail } from './session';

const base = inject('baseUrl');
const UNIT = 'MA-330902-111';
const CLERK = 'clerk@maao.nianbao.local';
const YEAR = 2028;
const FORM = `${base}/app/reports/${UNIT}/${YEAR}`;
const API = `${base}/api/v1/drafts/${UNIT}/${YEAR}`;
const OFFLINE_CACHE = 'nianbao-offline-v1';

let browser: Browser;
let clerk: Awaited<ReturnType<BrowserContext['storageState']>>;

beforeAll(async () => {
  await adminPut(base, `/units/${UNIT}`, { name: '马岙镇', parent: 'ZS-DH' });
  await adminPut(base, `/people/${CLERK}`, { name: '周敏', role: 'clerk', units: [UNIT] });
  await adminPut(base, `/cycles/${YEAR}`, { template: 'gov-2021', units: [UNIT] });
  browser = await launch();
  const context = await phone(browser);
  await signInThroughMail(await context.newPage(), base, CLERK);
  clerk = await context.storageState();
  await context.close();
});
afterAll(async () => {
  await browser?.close();
});

function clerkPhone(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', storageState: clerk, ...options });
}

const cell = (page: Page, key: string) => page.locator(`[id="f-c.${key}"]`);
const saveState = (page: Page) => page.locator('[data-save-state]');
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

/** The draft as the server holds it (with the page's session cookie). */
async function serverCells(page: Page): Promise<Record<string, number | null>> {
  const response = await page.request.get(API);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { cells: Record<string, number | null> }).cells;
}

/** True once the worker controls the page and keeps a copy of it. */
const pageKept = (page: Page) =>
  page.evaluate(async () => Boolean(navigator.serviceWorker.controller && (await caches.match(location.pathname))));

/** The sticky bar's height, and whether everything in it shares one row. */
const actionBar = (page: Page) =>
  page.locator('.form-actions').evaluate((bar) => {
    const boxes = Array.from(bar.children, (child) => child.getBoundingClientRect());
    return {
      height: bar.getBoundingClientRect().height,
      oneRow: Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom)),
      buttons: Array.from(bar.querySelectorAll('button'), (b) => b.textContent),
    };
  });

/** Where the part's title is on the screen now (px from the top; the page scrolls at once, not smoothly). */
const titleTop = (page: Page, part: string) => page.locator(`#part-${part} .part-title`).evaluate((title) => title.getBoundingClientRect().top);

const partCount = (page: Page, part: string) => page.locator(`[data-part-count="${part}"]`).textContent();

describe('the form page on a phone', () => {
  it('has a one-row action bar, a part navigation that lands on each part and counts it, and narrative boxes that grow', async () => {
    const context = await clerkPhone();
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(FORM);

    // The bar: 保存 and 检查并提交 beside the state line, one row, at most 64 px; 其余空白填0 is in the navigation.
    expect(await actionBar(page)).toEqual({ height: expect.any(Number), oneRow: true, buttons: ['保存', '检查并提交'] });
    expect((await actionBar(page)).height).toBeLessThanOrEqual(64);
    expect(await page.locator('[data-part-nav] button[data-fill-zero]').count()).toBe(1);

    // Each part: a link that lands on it, its title on screen, and its completion.
    const nav = page.locator('[data-part-nav]');
    expect((await nav.locator('a').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '))).toEqual([
      '一 总体情况 未填',
      '二 主动公开政府信息情况 0/10',
      '三 收到和处理政府信息公开申请情况 0/144',
      '四 政府信息公开行政复议、行政诉讼情况 0/12',
      '五 存在的主要问题及改进情况 未填',
      '六 其他需要报告的事项 未填',
    ]);
    for (const [label, part] of [['三', 'applications'], ['六', 'other'], ['二', 'proactive']] as const) {
      await nav.getByRole('link', { name: new RegExp(`^${label}`) }).click();
      expect(new URL(page.url()).hash).toBe(`#part-${part}`);
      const top = await titleTop(page, part);
      expect(top).toBeGreaterThanOrEqual(0);
      // At the top of the screen; the last part, at the end of the page, at least above the bar.
      expect(top).toBeLessThan(part === 'other' ? PHONE.height - 64 - 40 : 60);
    }
    await cell(page, 'applications.new.natural').fill('4');
    await cell(page, 'applications.new.business').fill('1');
    expect(await partCount(page, 'applications')).toBe('2/144');
    await page.locator('[data-fill-zero]').click();
    expect(await partCount(page, 'applications')).toBe('✓');
    expect(await partCount(page, 'appeals')).toBe('✓');
    expect(await partCount(page, 'overview')).toBe('未填');

    // A narrative box grows with its text (no scrolling inside it) and counts it.
    const overview = page.locator('textarea[name="s.overview"]');
    const empty = await overview.evaluate((box) => box.getBoundingClientRect().height);
    const text = Array.from({ length: 24 }, (_, i) => `第${i + 1}段：本年度主动公开政府信息，及时回应社会关切。`).join('\n');
    await overview.fill(text);
    const grown = await overview.evaluate((box) => ({ height: box.getBoundingClientRect().height, inside: box.scrollHeight - box.clientHeight }));
    expect(grown.height).toBeGreaterThan(empty * 3);
    expect(grown.inside).toBeLessThanOrEqual(1);
    expect(await page.locator('[id="f-s.overview-count"]').textContent()).toBe(`已输入 ${text.replace(/\s/g, '').length} 字`);
    expect(await partCount(page, 'overview')).toBe('✓');
    await page.locator('[id="f-s.overview-count"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'form-parts-phone');

    // The longest state line still leaves the bar one row.
    await context.setOffline(true);
    await cell(page, 'licensing.licensing.decisions').fill('7');
    await eventually(() => saveState(page).getAttribute('data-state')).toBe('offline');
    expect((await actionBar(page)).oneRow).toBe(true);
    expect((await actionBar(page)).height).toBeLessThanOrEqual(64);
    await context.setOffline(false);
    await eventually(() => saveState(page).getAttribute('data-state')).toBe('saved');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // In English too, the longer words leave the bar one row.
    await page.goto(`${FORM}?lang=en`);
    expect(await actionBar(page)).toEqual({ height: expect.any(Number), oneRow: true, buttons: ['Save', 'Check and submit'] });
    expect((await actionBar(page)).height).toBeLessThanOrEqual(64);
    expect(failures).toEqual([]);
    await context.close();
  });

  it('without JavaScript: the navigation is plain links to the parts, with the saved counts', async () => {
    const context = await clerkPhone({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(FORM);
    const nav = page.locator('[data-part-nav]');
    expect(await partCount(page, 'applications')).toBe('✓');
    expect(await partCount(page, 'overview')).toBe('✓');
    await nav.getByRole('link', { name: /^四/ }).click();
    expect(new URL(page.url()).hash).toBe('#part-appeals');
    const top = await titleTop(page, 'appeals');
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(60);
    expect(await page.locator('[id="f-s.overview-count"]').count()).toBe(0);

    // Enter in a cell saves (the form's first submit button), rather than 「其余空白填0」 in the navigation.
    await cell(page, 'applications.new.natural').fill('');
    await cell(page, 'applications.new.natural').press('Enter');
    await page.waitForURL(/\?saved=\d+$/);
    expect(await cell(page, 'applications.new.natural').inputValue()).toBe('');
    expect(await partCount(page, 'applications')).toBe('143/144');
    await context.close();
  });
});

describe('the form page offline', () => {
  it('reloads without a connection as last saved, keeps what is typed offline and sends it when the connection returns', async () => {
    const context = await clerkPhone();
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(FORM);
    await eventually(() => pageKept(page)).toBe(true);

    // Typed and saved online: the kept page is older than this save.
    await cell(page, 'licensing.licensing.decisions').fill('126');
    await page.locator('textarea[name="s.overview"]').fill('马岙镇主动公开政府信息 126 条。');
    await eventually(() => saveState(page).getAttribute('data-state')).toBe('saved');
    expect((await serverCells(page))['licensing.licensing.decisions']).toBe(126);

    // No connection: the reload shows the form, with what was saved.
    await context.setOffline(true);
    await page.reload();
    expect(await cell(page, 'licensing.licensing.decisions').inputValue()).toBe('126');
    expect(await page.locator('textarea[name="s.overview"]').inputValue()).toBe('马岙镇主动公开政府信息 126 条。');
    // …styled: the stylesheet was kept too (the script shows itself in what follows).
    expect(await page.locator('.form-actions').evaluate((bar) => getComputedStyle(bar).position)).toBe('sticky');

    // Typed offline: kept on the phone, and the state line says so.
    await cell(page, 'enforcement.penalty.decisions').fill('35');
    await eventually(() => saveState(page).getAttribute('data-state')).toBe('offline');
    expect(await saveState(page).textContent()).toBe('离线：已保存在本机，恢复网络后自动上传');
    await screenshot(page, 'form-offline');

    // Another reload offline: both the saved and the unsaved input are there.
    await page.reload();
    await page.getByText('已恢复上次未保存的输入').waitFor();
    expect(await cell(page, 'licensing.licensing.decisions').inputValue()).toBe('126');
    expect(await cell(page, 'enforcement.penalty.decisions').inputValue()).toBe('35');
    await cell(page, 'enforcement.coercion.decisions').fill('2');

    // Meanwhile a colleague saves the same cell (from elsewhere: this request is not the phone's).
    const current = (await (await page.request.get(API)).json()) as { revision: number };
    expect((await page.request.put(API, { data: { revision: current.revision, cells: { 'enforcement.penalty.decisions': 30 } } })).status()).toBe(200);

    // The connection returns: the queued input goes out by itself, on the revision it was typed
    // on, so the colleague's save is not overwritten unseen: the clerk chooses.
    await context.setOffline(false);
    const panel = page.locator('[data-conflict]');
    await panel.waitFor();
    expect(await panel.innerText()).toContain('原为 0 → 服务器为 30（您填的是 35）'); // 0: the first test filled the blanks
    await panel.getByRole('button', { name: '保留我的' }).click();
    await eventually(() => saveState(page).getAttribute('data-state')).toBe('saved');
    const cells = await serverCells(page);
    expect(cells['enforcement.penalty.decisions']).toBe(35);
    expect(cells['enforcement.coercion.decisions']).toBe(2);
    expect(cells['licensing.licensing.decisions']).toBe(126);

    // Signing out empties the worker's cache: nothing of the report stays on the phone's worker.
    expect(await page.evaluate((name) => caches.has(name), OFFLINE_CACHE)).toBe(true);
    await page.goto(`${base}/app`);
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(/\/signin/);
    await eventually(() => page.evaluate((name) => caches.has(name), OFFLINE_CACHE)).toBe(false);
    expect(failures).toEqual([]);
    await context.close();
  });
});
