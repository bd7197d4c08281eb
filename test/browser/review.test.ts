// The supervisor's part at phone size, from the captured mail: 李明 opens the review mail of
// 金塘镇's report (the demo's open cycle) in /dev/mail, follows the link (no sign-in), reads the report, approves it,
// confirms on the 确认发布 page (the approve button alone publishes nothing) and sees the
// confirmation; the report is then public.
//
// The report is the demo's empty draft of 金塘镇 for the year due next (scripts/demo-data.mjs), which no other browser file touches: this
// file submits it itself, through the drafts API with the demo clerk's session, every cell 0.
import { describe, expect, inject, it } from 'vitest';
import { ARTIFACTS, browserForFile, phone, screenshot } from './browser';
import { currentReportYear } from '../../src/core/schedule';
import { sessionCookie } from './session';

const base = inject('baseUrl');
/** The demo's open cycle on the day the app was seeded. */
const DEMO_YEAR = currentReportYear(Date.now());
const API = `${base}/api/v1/drafts/JT-330903-101/${DEMO_YEAR}`;


const chromium = browserForFile();
const PHONE_HEIGHT = 844;

/** The clerk of 金塘镇 fills the demo's empty draft with zeros and submits it. */
async function submitAllZero(): Promise<void> {
  const cookie = await sessionCookie(base, 'clerk@demo.nianbao.local');
  const draft = (await (await fetch(API, { headers: { Cookie: cookie } })).json()) as { status: string; revision: number; cells: Record<string, number | null> };
  expect(draft.status).toBe('draft');
  const headers = { Cookie: cookie, 'Content-Type': 'application/json' };
  const zeros = Object.fromEntries(Object.keys(draft.cells).map((key) => [key, 0]));
  // A complete text too: the format's parts are checked at submission (issue 16).
  const sections = { overview: '本年度依法做好政府信息公开工作。', problems: '上年度存在的问题已整改到位。', other: '本年度未收取信息处理费。' };
  const saved = await fetch(API, { method: 'PUT', headers, body: JSON.stringify({ revision: draft.revision, cells: zeros, sections }) });
  expect(saved.status).toBe(200);
  const { revision } = (await saved.json()) as { revision: number };
  const submitted = await fetch(`${API}/submit`, { method: 'POST', headers, body: JSON.stringify({ revision }) });
  expect(submitted.status, await submitted.clone().text()).toBe(200);
}

describe('reviewing from the emailed link, at phone size', () => {
  it('李明 follows the link in his mail, reads the report and approves it', async () => {
    expect((await fetch(`${base}/reports/JT-330903-101/${DEMO_YEAR}`)).status).toBe(404); // nothing published yet
    await submitAllZero();

    const context = await phone(chromium.browser);
    const page = await context.newPage();
    // The developer's mailbox stands in for the supervisor's.
    await page.goto(`${base}/dev/mail`);
    const mail = page.locator('.dev-mail-item').filter({ hasText: 'supervisor@demo.nianbao.local' }).filter({ hasText: `请审核：金塘镇${DEMO_YEAR}年` }).first();
    await expect.poll(() => mail.count()).toBe(1);
    expect(await mail.innerText()).toContain('规则检查：没有错误。');
    await mail.locator('a[href*="/review/"]').first().click();
    await page.waitForURL(/\/review\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const reviewUrl = page.url();

    // No sign-in: the link is the credential. The summary, the decision, then the whole report.
    await page.getByRole('heading', { name: `金塘镇${DEMO_YEAR}年政府信息公开工作年度报告` }).waitFor();
    const main = await page.locator('main').innerText();
    for (const text of ['李明，请审核这份报告', '规则检查', '没有错误', '时限', '审核决定', '报告全文', '三、收到和处理政府信息公开申请情况', '处理记录']) {
      expect(main).toContain(text);
    }
    expect(await page.locator('table.official').count()).toBeGreaterThanOrEqual(3);
    // Fits a phone: the page never scrolls sideways (the tables scroll inside their boxes).
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const approveButton = page.getByRole('button', { name: '审核通过并发布' });
    expect((await approveButton.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await screenshot(page, 'review-phone-page');
    // What the phone shows first, and the decision.
    await page.screenshot({ path: `${ARTIFACTS}review-phone-top.png` });
    await page.locator('#decision').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}review-phone-decision.png` });

    // 退回修改 without a comment: the page comes back with the error summary at the top, focused,
    // linking to the comment box (not an error 1.5 screens down with focus nowhere).
    await page.getByRole('button', { name: '退回修改' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.evaluate(() => document.activeElement?.matches('.error-summary') ?? false)).toBe(true);
    expect((await page.locator('.error-summary').boundingBox())!.y).toBeLessThan(PHONE_HEIGHT);
    await page.locator('.error-summary a[href="#comment"]').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#comment');

    // The approve button alone publishes nothing: it asks first (确认发布), saying what becomes public.
    await approveButton.click();
    await page.getByRole('heading', { name: '确认发布', level: 1 }).waitFor();
    expect(await page.locator('main').innerText()).toContain('发布后立即公开');
    expect((await fetch(`${base}/reports/JT-330903-101/${DEMO_YEAR}`)).status).toBe(404);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'review-phone-confirm');
    await page.getByRole('button', { name: '确认发布' }).click();
    await page.getByRole('heading', { name: '已审核通过并发布' }).waitFor();
    expect(await page.locator('.confirmation').innerText()).toContain(`金塘镇${DEMO_YEAR}年政府信息公开工作年度报告已公开发布`);
    await screenshot(page, 'review-phone');

    // Public now, and the link is spent: opening it again says who decided.
    expect((await fetch(`${base}/reports/JT-330903-101/${DEMO_YEAR}`)).status).toBe(200);
    await page.goto(reviewUrl);
    expect(await page.locator('h1').innerText()).toMatch(/该报告已由 李明 于 \d{4}-\d\d-\d\d \d\d:\d\d 审核通过/);
    await context.close();
  });
});
