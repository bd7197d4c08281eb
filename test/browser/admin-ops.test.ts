// The administrator's daily operations at phone size (390×844), as a person does them: from the
// progress page 「提醒」 a town not yet submitted (twice: the second press is told 今天已提醒过),
// find that reminder on the mail page, and the event in the audit log filtered to the district;
// open 「更正此报告」 from a published report and be stopped by the missing reason. No page
// scrolls sideways.
//
// Its own data through the administration API: a district 运维测试区 below the demo's 定海区 with
// one town and its clerk, an administrator of everything, and a 2029 cycle for the town (a year
// no other file uses). The correction page is the demo's published 金塘镇 2018, only read: the
// form is sent without a reason, which changes nothing.
import type { Page } from 'playwright-core';
import { beforeAll, afterAll, expect, inject, it } from 'vitest';
import { adminPut } from './admin';
import { browserForFile, phone, PHONE, screenshot } from './browser';
import { signInThroughMail } from './session';

const base = inject('baseUrl');
const DISTRICT = 'OPS-QU';
const TOWN = 'OPS-QU-101';
const CLERK = 'clerk@ops.nianbao.local';
const ADMIN = 'admin@ops.nianbao.local';
const YEAR = 2029;

const chromium = browserForFile();
let page: Page;

beforeAll(async () => {
  await adminPut(base, `/units/${DISTRICT}`, { name: '运维测试区', parent: 'ZS-DH' });
  await adminPut(base, `/units/${TOWN}`, { name: '运维一镇', parent: DISTRICT });
  await adminPut(base, `/people/${CLERK}`, { name: '周平', role: 'clerk', units: [TOWN] });
  await adminPut(base, `/people/${ADMIN}`, { name: '吴刚', role: 'admin', units: [] });
  await adminPut(base, `/cycles/${YEAR}`, { template: 'gov-2021', units: [TOWN] });
  page = await (await phone(chromium.browser)).newPage();
  await signInThroughMail(page, base, ADMIN);
});

afterAll(async () => {
  await page?.context().close();
});

/** Wider than the phone: something scrolls sideways. */
const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

it('reminds a town from the progress page, once a day', async () => {
  await page.goto(`${base}/app/progress/${YEAR}`);
  const town = page.locator(`li[data-unit="${TOWN}"]`);
  await expect(town.getByRole('link', { name: '运维一镇' }).getAttribute('href')).resolves.toBe(`/app/reports/${TOWN}/${YEAR}`);
  await town.getByRole('button', { name: '提醒' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('已向运维一镇的填报人发送提醒');
  await page.locator(`li[data-unit="${TOWN}"]`).getByRole('button', { name: '提醒' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('今天已提醒过');
  expect(await sideways()).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-ops-progress');
});

it('finds the reminder on the mail page by recipient, without its sign-in link', async () => {
  await page.goto(`${base}/app/admin/mail`);
  await page.getByLabel('收件人').fill(CLERK);
  await page.getByLabel('状态').selectOption('all');
  await page.getByRole('button', { name: '筛选' }).click();
  const items = page.locator('li[data-mail]');
  await expect(items.count()).resolves.toBe(1);
  await expect(items.first().textContent()).resolves.toContain(`年报提醒：运维一镇${YEAR}年度报告`);
  expect(await page.content()).not.toContain('/signin?next=');
  expect(await sideways()).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-ops-mail');
});

it('shows the reminder in the audit log filtered to the district', async () => {
  await page.goto(`${base}/app/admin/audit`);
  await page.getByLabel('单位代码（含下级）').fill(DISTRICT);
  await page.locator('#audit-action').selectOption('report.remind');
  await page.getByRole('button', { name: '筛选' }).click();
  const events = page.locator('li[data-event]');
  await expect(events.count()).resolves.toBe(1);
  await expect(events.first().textContent()).resolves.toContain('发送提醒');
  await expect(events.first().textContent()).resolves.toContain(ADMIN);
  expect(await sideways()).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-ops-audit');
});

it('opens 更正此报告 from a published report and asks for the reason first', async () => {
  await page.goto(`${base}/app/reports/JT-330903-101/2018`);
  await page.getByRole('link', { name: '更正此报告' }).click();
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('更正');
  await page.getByRole('button', { name: '重新打开以更正' }).click();
  await expect(page.locator('.error-summary').textContent()).resolves.toContain('请填写更正原因');
  expect(await sideways()).toBeLessThanOrEqual(0);
  await screenshot(page, 'admin-ops-correct');
  await page.getByRole('link', { name: '版本历史' }).click();
  await expect(page.locator('li[data-version="1"]').textContent()).resolves.toContain('第 1 版');
  expect(await sideways()).toBeLessThanOrEqual(0);
  expect(PHONE.width).toBe(390);
});
