// Accessibility in Chromium: axe-core (run inside each page) finds no serious or critical
// violation on the pages people use — sign-in, the clerk's form (empty, and with a rule message
// shown), the check page, the review page (signed in and from the mailed link), the public
// report and statistics, and the administrator's cycle and progress pages; every field on the
// form has an accessible name; the keyboard alone fills in and submits a report; and at 200 %
// zoom of a phone the form and the public report never scroll sideways, every control reachable.
//
// The file sets up its own data through the administration API: a district 无障碍测试区 below the
// demo's 定海区 with two towns, their clerk, their supervisor and an administrator, a 2017 cycle
// (the small 2014 format) for one town and a 2023 cycle (gov-2021) for the other (never the demo's own year, which a
// cycle PUT with `units` would take from the demo's towns). The public pages
// are the demo's published 金塘镇 2018, which every file only reads.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { adminPut } from './admin';
import { browserForFile, phone, screenshot } from './browser';
import { signInThroughMail } from './session';

const base = inject('baseUrl');
const DISTRICT = 'A11Y-QU';
const SMALL = 'A11Y-QU-101'; // legacy-2014, 2017: filled in by keyboard
const TOWN = 'A11Y-QU-102'; // gov-2021, 2023: the form, the check page, the review page
const CLERK = 'clerk@a11y.nianbao.local';
const SUPERVISOR = 'supervisor@a11y.nianbao.local';
const ADMIN = 'admin@a11y.nianbao.local';
const FORM = `${base}/app/reports/${TOWN}/2023`;
const SMALL_FORM = `${base}/app/reports/${SMALL}/2017`;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. The script goes in
 * through the DevTools protocol (page.evaluate), which our strict CSP rightly would refuse to a
 * <script> tag; a screenshot of what was checked goes to test-results/.
 */
async function seriousViolations(page: Page, name: string): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  await screenshot(page, `a11y-${name}`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Every field (input, select, textarea) with no accessible name, as axe computes names. Fields
 * the page hides until needed (a warning's explanation) are shown for the check, then hidden
 * again: they must be named when they appear.
 */
async function unnamedFields(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(() => {
    const axe = (window as unknown as { axe: any }).axe;
    const hidden = Array.from(document.querySelectorAll<HTMLElement>('form [hidden]'));
    hidden.forEach((el) => (el.hidden = false));
    axe.setup(document);
    try {
      return Array.from(document.querySelectorAll('input, select, textarea'))
        .filter((el) => (el as HTMLInputElement).type !== 'hidden')
        .filter((el) => axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(el)).trim() === '')
        .map((el) => el.outerHTML.slice(0, 120));
    } finally {
      axe.teardown();
      hidden.forEach((el) => (el.hidden = true));
    }
  });
}

const chromium = browserForFile();
/** Signed-in browser states, one sign-in each (sign-in links are rate-limited per address). */
const signedIn: Record<string, Awaited<ReturnType<BrowserContext['storageState']>>> = {};

beforeAll(async () => {
  await adminPut(base, `/units/${DISTRICT}`, { name: '无障碍测试区', parent: 'ZS-DH' });
  await adminPut(base, `/units/${SMALL}`, { name: '无障碍一镇', parent: DISTRICT });
  await adminPut(base, `/units/${TOWN}`, { name: '无障碍二镇', parent: DISTRICT });
  await adminPut(base, `/people/${CLERK}`, { name: '赵敏', role: 'clerk', units: [SMALL, TOWN] });
  await adminPut(base, `/people/${SUPERVISOR}`, { name: '钱进', role: 'supervisor', units: [DISTRICT] });
  await adminPut(base, `/people/${ADMIN}`, { name: '孙丽', role: 'admin', units: [] });
  await adminPut(base, '/cycles/2017', { template: 'legacy-2014', units: [SMALL], deadline: '2099-01-31T23:59:59+08:00' });
  await adminPut(base, '/cycles/2023', { template: 'gov-2021', units: [TOWN], deadline: '2099-01-31T23:59:59+08:00' });
  for (const email of [CLERK, SUPERVISOR, ADMIN]) {
    const context = await phone(chromium.browser);
    await signInThroughMail(await context.newPage(), base, email);
    signedIn[email] = await context.storageState();
    await context.close();
  }
});

/** A phone profile signed in as `email` (anonymous without one). */
async function phonePage(email?: string, size?: { width: number; height: number }): Promise<Page> {
  const context = await chromium.browser.newContext({
    viewport: size ?? { width: 390, height: 844 },
    deviceScaleFactor: size ? 4 : 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    ...(email ? { storageState: signedIn[email] } : {}),
  });
  return context.newPage();
}

/** What 200 % zoom of a 390 px phone means for layout: a 195 px wide viewport (at 4× pixels). */
const ZOOMED = { width: 195, height: 422 };

/**
 * Controls (and focusable scroll boxes) that cannot be brought into view and touched: scrolled
 * into view, the middle of their visible part (first line of a wrapped link) must be inside the
 * screen and be them (or their label).
 */
function unreachableControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex="0"]'))
      .filter((el) => (el as HTMLInputElement).type !== 'hidden' && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
      .filter((el) => {
        el.scrollIntoView({ block: 'center', inline: 'center' });
        const r = el.getClientRects()[0]!; // a link wrapped over two lines: its first line
        const [left, right] = [Math.max(r.left, 0), Math.min(r.right, window.innerWidth)];
        const [top, bottom] = [Math.max(r.top, 0), Math.min(r.bottom, window.innerHeight)];
        if (right <= left || bottom <= top) return true;
        const hit = document.elementFromPoint((left + right) / 2, top + Math.min((bottom - top) / 2, 10));
        return !(hit && (el.contains(hit) || hit.closest('label')?.control === el));
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

// First, while both reports are still drafts (the tests below submit them).
describe('at 200 % zoom of a phone', () => {
  for (const [name, email, url] of [
    ['form', CLERK, FORM],
    ['form-2014', CLERK, SMALL_FORM],
    ['check', CLERK, `${FORM}/check`],
    ['public-report', undefined, `${base}/reports/JT-330903-101/2018`],
    ['public-unit', undefined, `${base}/reports/JT-330903-101`],
    ['public-stats', undefined, `${base}/stats/2018`],
    ['sign-in', undefined, `${base}/signin`],
  ] as const) {
    it(`${name}: no sideways scrolling of the page, every control reachable`, async () => {
      const page = await phonePage(email, ZOOMED);
      expect((await page.goto(url))?.status()).toBe(200);
      // A phone widens its layout viewport to fit content that overflows: still 195 means none did.
      const tooWide = () =>
        page.evaluate((width) => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-scroll')).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`), ZOOMED.width);
      expect(await page.evaluate(() => window.innerWidth), `wider than the screen: ${(await tooWide()).join(', ')}`).toBe(ZOOMED.width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(await unreachableControls(page)).toEqual([]);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `a11y-zoom-${name}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await page.context().close();
    });
  }
});

describe('axe-core finds no serious or critical violation', () => {
  it('on the sign-in page', async () => {
    const page = await phonePage();
    await page.goto(`${base}/signin`);
    expect(await seriousViolations(page, 'sign-in')).toEqual([]);
    await page.context().close();
  });

  it('on the clerk’s form: an empty draft, then with a rule message shown; every field named', async () => {
    const page = await phonePage(CLERK);
    await page.goto(FORM);
    expect(await seriousViolations(page, 'form-empty')).toEqual([]);
    expect(await page.locator('input[name^="c."]').count()).toBeGreaterThan(150);
    expect(await unnamedFields(page)).toEqual([]);

    // 一 + 二 ≠ 三 + 四: the message under the row, the cell marked invalid, the summary naming it.
    await page.locator('[id="f-c.applications.disclosed.natural"]').fill('3');
    await page.locator('[id="f-c.applications.new.natural"]').fill('1');
    await page.locator('[data-messages="applications.new"]').getByText('第三项「自然人」列').waitFor();
    expect(await page.locator('[id="f-c.applications.new.natural"]').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page, 'form-errors')).toEqual([]);
    expect(await unnamedFields(page)).toEqual([]);
    await page.context().close();
  });

  it('on the form without its script, sent back with an unreadable cell: the error summary and the message', async () => {
    const page = await phonePage(CLERK);
    // The form as a browser without JavaScript gets it (axe itself needs the page's JavaScript on).
    await page.route('**/static/form.js', (route) => route.abort());
    await page.goto(FORM);
    await page.locator('[id="f-c.applications.disclosed.natural"]').fill('三');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.locator('.field-message, .cell-message, [role="alert"]').first().waitFor();
    expect(await page.locator('[id="f-c.applications.disclosed.natural"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.error-summary a[href="#f-c.applications.disclosed.natural"]').count()).toBe(1);
    expect(await seriousViolations(page, 'form-errors-no-js')).toEqual([]);
    expect(await unnamedFields(page)).toEqual([]);
    await page.context().close();
  });

  it('on the check page, the review page (signed in and from the mailed link) and the admin pages', async () => {
    const clerk = await phonePage(CLERK);
    // Every cell 0, through the drafts API with the clerk's session, so nothing blocks submission.
    const api = `${base}/api/v1/drafts/${TOWN}/2023`;
    const draft = (await (await clerk.request.get(api)).json()) as { revision: number; cells: Record<string, number | null> };
    const zeros = Object.fromEntries(Object.keys(draft.cells).map((key) => [key, 0]));
    // A complete text too: the format's parts are checked at submission (issue 16).
    const sections = { overview: '本年度依法做好政府信息公开工作。', problems: '上年度存在的问题已整改到位。', other: '本年度未收取信息处理费。' };
    expect((await clerk.request.put(api, { data: { revision: draft.revision, cells: zeros, sections } })).status()).toBe(200);
    await clerk.goto(`${FORM}/check`);
    expect(await seriousViolations(clerk, 'check')).toEqual([]);
    await clerk.getByRole('button', { name: '确认提交' }).click();
    await clerk.waitForURL(FORM);
    expect(await clerk.locator('main').innerText()).toContain('等待 钱进 审核');
    expect(await seriousViolations(clerk, 'form-submitted')).toEqual([]);
    await clerk.context().close();

    const supervisor = await phonePage(SUPERVISOR);
    await supervisor.goto(`${base}/app/review/${TOWN}/2023`);
    await supervisor.getByRole('button', { name: '审核通过并发布' }).waitFor();
    expect(await seriousViolations(supervisor, 'review-signed-in')).toEqual([]);
    await supervisor.goto(`${base}/app/progress/2023`);
    expect(await seriousViolations(supervisor, 'progress-supervisor')).toEqual([]);
    await supervisor.context().close();

    const mailed = await phonePage();
    await mailed.goto(`${base}/dev/mail`);
    const link = mailed.locator('.dev-mail-item').filter({ hasText: SUPERVISOR }).filter({ hasText: '无障碍二镇2023年' }).locator('a[href*="/review/"]').first();
    await mailed.goto((await link.getAttribute('href'))!);
    await mailed.getByRole('button', { name: '审核通过并发布' }).waitFor();
    expect(await seriousViolations(mailed, 'review-link')).toEqual([]);
    await mailed.context().close();

    const admin = await phonePage(ADMIN);
    await admin.goto(`${base}/app/cycles/2023`);
    expect(await seriousViolations(admin, 'admin-cycle')).toEqual([]);
    expect(await unnamedFields(admin)).toEqual([]);
    await admin.goto(`${base}/app/progress/2023`);
    expect(await seriousViolations(admin, 'admin-progress')).toEqual([]);
    await admin.goto(`${base}/app`);
    expect(await seriousViolations(admin, 'admin-home')).toEqual([]);
    await admin.context().close();
  });

  it('on the public report and the public statistics', async () => {
    const page = await phonePage();
    await page.goto(`${base}/reports/JT-330903-101/2018`);
    expect(await seriousViolations(page, 'public-report')).toEqual([]);
    await page.goto(`${base}/stats/2018`);
    expect(await seriousViolations(page, 'public-stats')).toEqual([]);
    await page.goto(`${base}/reports`);
    expect(await seriousViolations(page, 'public-index')).toEqual([]);
    await page.context().close();
  });
});

/** The element that has the keyboard focus, as "tag#id" or "tag:text". */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}#${el.id}:${(el.textContent ?? '').trim().slice(0, 30)}` : '';
  });

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`; fails after `limit` presses. */
async function tabTo(page: Page, selector: string, { backwards = false, limit = 600 } = {}): Promise<void> {
  const target = page.locator(selector);
  for (let i = 0; i < limit; i++) {
    if (await target.evaluateAll((els) => els.some((el) => el === document.activeElement))) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${selector} not reached in ${limit} presses of ${backwards ? 'Shift+Tab' : 'Tab'} (focus on ${await focused(page)})`);
}

describe('the keyboard alone', () => {
  it('fills in a small report (2014 format), fills the blanks with 0, checks it and submits it', async () => {
    const page = await phonePage(CLERK);
    await page.goto(SMALL_FORM);
    expect(await unnamedFields(page)).toEqual([]);
    // A fresh page has nothing focused: the first Tab starts at the top, as for a person.
    await tabTo(page, 'input[name^="c."]');
    await page.keyboard.type('259');
    // Enter moves to the next cell; Shift+Tab comes back.
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.matches('input[name^="c."]'))).toBe(true);
    await page.keyboard.type('12');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('259');

    for (const box of await page.locator('textarea:visible').all()) {
      const name = await box.getAttribute('name');
      await tabTo(page, `textarea[name="${name}"]`);
      await page.keyboard.type('本年度依法做好政府信息公开工作。');
    }
    await tabTo(page, 'button[data-fill-zero]');
    await page.keyboard.press('Space');
    await page.getByText(/已将 \d+ 个空白填为 0/).waitFor();
    expect(await page.locator('input[name^="c."]').evaluateAll((inputs) => inputs.filter((i) => (i as HTMLInputElement).value === '').length)).toBe(0);

    // Warnings of the old format are explained, by keyboard too.
    for (const box of await page.locator('[data-explanation]:not([hidden]) textarea').all()) {
      const name = await box.getAttribute('name');
      await tabTo(page, `textarea[name="${name}"]`, { backwards: true });
      await page.keyboard.type('经核实，数据无误。');
    }
    await expect.poll(() => page.locator('[data-save-state]').getAttribute('data-state'), { timeout: 20_000 }).toBe('saved');

    await tabTo(page, 'button:text-is("检查并提交")');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${SMALL_FORM}/check`);
    await tabTo(page, 'button:text-is("确认提交")');
    await page.keyboard.press('Enter');
    await page.waitForURL(SMALL_FORM);
    expect(await page.locator('main').innerText()).toContain('已提交，等待 钱进 审核');
    const server = (await (await page.request.get(`${base}/api/v1/drafts/${SMALL}/2017`)).json()) as { status: string; cells: Record<string, number | null> };
    expect(server.status).toBe('submitted');
    expect(Object.values(server.cells).filter((v) => v === 259)).toHaveLength(1);
    await page.context().close();
  });
});
