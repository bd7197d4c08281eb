// The clerk's form on a weak signal and a small screen (issue 14), at 390×844: the service worker
// keeps the form page, so a reload without a connection shows the form as last saved, with what
// was typed since; input typed offline goes out when the connection returns; signing out empties
// the worker's cache.
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

function clerkPhone(): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', storageState: clerk });
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

    // The connection returns: the queued input goes out by itself.
    await context.setOffline(false);
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
