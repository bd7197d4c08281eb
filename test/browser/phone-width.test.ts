// Every page at 390×844 fits the phone: the page never scrolls sideways, and no table is wider
// than the box it sits in (a wide official table turns into its row-by-row rendering instead of
// scrolling). Public pages anonymously — with a published report of the current format, whose
// tables 三 and 四 are the widest — and the pages of the clerk, the supervisor and the
// administrator. At 1024 px and in print the official grid is back.
//
// The file sets up its own data through the administration API: 宽度测试区 below the demo's
// 定海区 with two towns, their clerk, supervisor and administrator, an imported published 2021
// report of 宽度一镇 (every cell filled), and a 2022 cycle for both towns (years no other file
// uses) in which 宽度二镇's report is submitted, so the supervisor has something to review.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { cellCatalog, getTemplate } from '../../src/core';
import { adminPut } from './admin';
import { ARTIFACTS, browserForFile, phone, screenshot } from './browser';
import { ADMIN_TOKEN } from './server';
import { sessionCookie, signInThroughMail } from './session';

const base = inject('baseUrl');
const DISTRICT = 'PW-DISTRICT';
const TOWN = 'PW-330902-201'; // published 2021; a draft in 2022
const OTHER = 'PW-330902-202'; // submitted in 2022
const CLERK = 'clerk@width.nianbao.local';
const SUPERVISOR = 'supervisor@width.nianbao.local';
const ADMIN = 'admin@width.nianbao.local';
const PUBLISHED = 2021;
const CYCLE = 2022;

const chromium = browserForFile();
const signedIn: Record<string, Awaited<ReturnType<BrowserContext['storageState']>>> = {};

/** Every cell of the current format with a plausible number (long ones, to widen the columns). */
function filledCells(): Record<string, number> {
  const catalog = cellCatalog(getTemplate('gov-2021')!);
  return Object.fromEntries([...catalog.keys()].map((key, i) => [key, 1000 + i]));
}

beforeAll(async () => {
  await adminPut(base, `/units/${DISTRICT}`, { name: '宽度测试区', parent: 'ZS-DH' });
  await adminPut(base, `/units/${TOWN}`, { name: '宽度一镇', parent: DISTRICT });
  await adminPut(base, `/units/${OTHER}`, { name: '宽度二镇', parent: DISTRICT });
  await adminPut(base, `/people/${CLERK}`, { name: '周宽', role: 'clerk', units: [TOWN, OTHER] });
  await adminPut(base, `/people/${SUPERVISOR}`, { name: '吴审', role: 'supervisor', units: [DISTRICT] });
  await adminPut(base, `/people/${ADMIN}`, { name: '郑管', role: 'admin', units: [] });
  const imported = await fetch(`${base}/api/v1/admin/import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      unit: TOWN,
      year: PUBLISHED,
      template: 'gov-2021',
      sections: { overview: '2021年，宽度一镇认真贯彻《中华人民共和国政府信息公开条例》。' },
      cells: filledCells(),
      published_at: '2022-01-20',
    }),
  });
  expect(imported.status, await imported.clone().text()).toBe(201);
  await adminPut(base, `/cycles/${CYCLE}`, { template: 'gov-2021', units: [TOWN, OTHER], deadline: '2099-01-31T23:59:59+08:00' });

  // 宽度二镇's report: every cell 0, submitted through the drafts API with the clerk's session.
  const cookie = await sessionCookie(base, CLERK);
  const api = `${base}/api/v1/drafts/${OTHER}/${CYCLE}`;
  const draft = (await (await fetch(api, { headers: { Cookie: cookie } })).json()) as { revision: number; cells: Record<string, number | null> };
  const headers = { Cookie: cookie, 'Content-Type': 'application/json' };
  const zeros = Object.fromEntries(Object.keys(draft.cells).map((key) => [key, 0]));
  // A complete text too: the format's parts are checked at submission (issue 16).
  const sections = { overview: '本年度依法做好政府信息公开工作。', problems: '上年度存在的问题已整改到位。', other: '本年度未收取信息处理费。' };
  const saved = await fetch(api, { method: 'PUT', headers, body: JSON.stringify({ revision: draft.revision, cells: zeros, sections }) });
  expect(saved.status).toBe(200);
  const { revision } = (await saved.json()) as { revision: number };
  const submitted = await fetch(`${api}/submit`, { method: 'POST', headers, body: JSON.stringify({ revision }) });
  expect(submitted.status, await submitted.clone().text()).toBe(200);

  for (const email of [CLERK, SUPERVISOR, ADMIN]) {
    const context = await phone(chromium.browser);
    await signInThroughMail(await context.newPage(), base, email);
    signedIn[email] = await context.storageState();
    await context.close();
  }
});

async function pageAt(width: number, email?: string): Promise<Page> {
  const context = await chromium.browser.newContext({
    viewport: { width, height: 844 },
    deviceScaleFactor: 2,
    isMobile: width < 768,
    hasTouch: width < 768,
    locale: 'zh-CN',
    ...(email ? { storageState: signedIn[email] } : {}),
  });
  return context.newPage();
}

/**
 * What is too wide on the page: the document itself (sideways scrolling), and each visible table
 * whose box is wider than the element that holds it. Named by their nearest heading.
 */
function tooWide(page: Page): Promise<{ document: number; tables: string[] }> {
  return page.evaluate(() => {
    const nameOf = (el: Element) => {
      const section = el.closest('section, main');
      return `${section?.querySelector('h2, h1')?.textContent?.trim() ?? '?'}: ${Math.round(el.getBoundingClientRect().width)} px`;
    };
    const tables = Array.from(document.querySelectorAll('table'))
      .filter((t) => t.getClientRects().length > 0)
      .filter((t) => {
        const holder = t.parentElement!;
        return t.getBoundingClientRect().width > holder.clientWidth + 1;
      })
      .map(nameOf);
    return { document: document.documentElement.scrollWidth, tables };
  });
}

const PUBLIC: [string, string][] = [
  ['home', '/'],
  ['reports', '/reports'],
  ['unit', `/reports/${TOWN}`],
  ['report', `/reports/${TOWN}/${PUBLISHED}`],
  ['report-2014', '/reports/JT-330903-101/2018'],
  ['stats', `/stats/${PUBLISHED}`],
  ['stats-within', `/stats/${PUBLISHED}?within=${DISTRICT}`],
  ['api', '/api'],
  ['signin', '/signin'],
];

const SIGNED_IN: [string, string, string][] = [
  ['clerk-home', CLERK, '/app'],
  ['clerk-form', CLERK, `/app/reports/${TOWN}/${CYCLE}`],
  ['clerk-check', CLERK, `/app/reports/${TOWN}/${CYCLE}/check`],
  ['clerk-submitted', CLERK, `/app/reports/${OTHER}/${CYCLE}`],
  ['supervisor-queue', SUPERVISOR, '/app/review'],
  ['supervisor-review', SUPERVISOR, `/app/review/${OTHER}/${CYCLE}`],
  ['supervisor-progress', SUPERVISOR, `/app/progress/${CYCLE}`],
  ['admin-progress', ADMIN, `/app/progress/${CYCLE}`],
  ['admin-cycles', ADMIN, `/app/cycles/${CYCLE}`],
];

describe('at 390×844 nothing is wider than the phone', () => {
  it.each(PUBLIC)('%s (%s)', async (name, path) => {
    const page = await pageAt(390);
    // Nothing the page asks for is missing (the icon was a 404 on every page).
    const missing: string[] = [];
    page.on('response', (r) => void (r.status() === 404 && missing.push(r.url())));
    const response = await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    expect(missing).toEqual([]);
    expect((await page.request.get(`${base}/favicon.ico`)).status()).toBe(200);
    await screenshot(page, `phone-width-${name}`);
    expect(await tooWide(page)).toEqual({ document: 390, tables: [] });
    await page.context().close();
  });

  it.each(SIGNED_IN)('%s: %s at %s', async (name, email, path) => {
    const page = await pageAt(390, email);
    const response = await page.goto(`${base}${path}`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${base}${path}`); // not sent to sign in
    await screenshot(page, `phone-width-${name}`);
    expect(await tooWide(page)).toEqual({ document: 390, tables: [] });
    await page.context().close();
  });
});

describe('status pills', () => {
  it('are as wide as their words, not the card', async () => {
    const page = await pageAt(390, CLERK);
    await page.goto(`${base}/app`);
    const pills = await page.locator('.report-item .tag').all();
    expect(pills.length).toBeGreaterThan(0);
    for (const pill of pills) {
      // The pill's box against its words' own width (a range around its text), plus its padding.
      const { box, words } = await pill.evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return { box: el.getBoundingClientRect().width, words: range.getBoundingClientRect().width };
      });
      expect(box).toBeLessThanOrEqual(words + 20);
    }
    await page.context().close();
  });
});

describe('table 三 on a phone', () => {
  it('reads row by row: each row label whole, its values named by applicant, 总计 on screen', async () => {
    const page = await pageAt(390);
    await page.goto(`${base}/reports/${TOWN}/${PUBLISHED}`);
    const section = page.locator('section.report-section').filter({ has: page.getByRole('heading', { name: '三、收到和处理政府信息公开申请情况' }) });
    // The official grid is not shown (nor read out); the rows are, inside the screen.
    expect(await section.locator('table.official').isVisible()).toBe(false);
    const rows = section.getByRole('group', { name: '三、收到和处理政府信息公开申请情况' });
    expect(await rows.isVisible()).toBe(true);
    const row = rows.locator('.official-row').filter({ has: page.locator('.official-row-label', { hasText: '1.属于国家秘密' }) });
    // Each value named by its applicant (and, for screen readers, its group), the group once on screen.
    const legal = (name: string) => `法人或其他组织 ${name}`;
    expect(await row.locator('dt').allTextContents()).toEqual(['自然人', ...['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'].map(legal), '总计']);
    expect((await row.locator('dt .official-row-hidden').first().boundingBox())!.width).toBeLessThanOrEqual(1);
    expect(await rows.locator('.official-rows-legend').allTextContents()).toEqual(['法人或其他组织：商业企业、科研机构、社会公益组织、法律服务机构、其他']);
    // The same numbers as the grid: each value carries its cell key.
    const natural = await row.locator('dd').first().getAttribute('data-cell');
    expect(await row.locator('dd').first().textContent()).toBe(await page.locator(`td[data-cell="${natural}"]`).textContent());
    // The label is one line, not squeezed to a few characters a line; 总计 is within the screen.
    const label = await row.locator('.official-row-label').boundingBox();
    expect(label!.height).toBeLessThan(30);
    const total = await row.locator('dd').last().boundingBox();
    expect(total!.x + total!.width).toBeLessThanOrEqual(390);
    await rows.locator('.official-rows-heading').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}phone-width-table-3-rows.png` }); // the screen, not the page
    // 四 is one row of 15 values: its three groups under their titles.
    const appeals = page.getByRole('group', { name: '四、政府信息公开行政复议、行政诉讼情况' });
    expect(await appeals.locator('.official-row-group-title').allTextContents()).toEqual(['行政复议', '行政诉讼 · 未经复议直接起诉', '行政诉讼 · 复议后起诉']);
    await appeals.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}phone-width-table-4-rows.png` });
    await page.context().close();
  });

  it('is accessible: axe-core finds nothing serious or critical on the report and statistics pages at 390 px', async () => {
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    for (const path of [`/reports/${TOWN}/${PUBLISHED}`, `/stats/${PUBLISHED}`, `/app/review/${OTHER}/${CYCLE}`]) {
      const page = await pageAt(390, path.startsWith('/app/') ? SUPERVISOR : undefined);
      await page.goto(`${base}${path}`);
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };
        const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
        return (await axe.run(document, { resultTypes: ['violations'] })).violations;
      });
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(serious, path).toEqual([]);
      await page.context().close();
    }
  });

  it('keeps the official grid at 1024 px and in print, where the row rendering is hidden', async () => {
    const page = await pageAt(1024);
    await page.goto(`${base}/reports/${TOWN}/${PUBLISHED}`);
    const grids = page.locator('table.official');
    expect(await grids.count()).toBe(3);
    for (const grid of await grids.all()) expect(await grid.isVisible()).toBe(true);
    expect(await page.locator('.official-rows').first().isVisible()).toBe(false);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ media: 'print' });
    for (const grid of await grids.all()) expect(await grid.isVisible()).toBe(true);
    expect(await page.locator('.official-rows').first().isVisible()).toBe(false);
    await page.context().close();
  });
});

