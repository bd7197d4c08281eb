// The administrator's first day at phone size (issue 13): the demo's administrator 陈静 signs in,
// creates a unit under 定海区人民政府 through the units page and a clerk for it through the people
// page; the clerk opens the invitation from the mailbox (/dev/mail stands in for theirs), signs
// in with it and finds the new unit's draft on /app. Everything through the pages, as typed.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForFile, phone, screenshot } from './browser';
import { signInThroughMail } from './session';

const base = inject('baseUrl');
const chromium = browserForFile();

const UNIT = { code: 'ZS-DH-ZJJ', name: '定海区住房和城乡建设局' };
const CLERK = { email: 'zjj.clerk@demo.nianbao.local', name: '周丽' };

/** The page fits the phone's width: nothing to scroll sideways. */
async function fitsPhone(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

describe('an administrator sets up a unit and its clerk, at phone size', () => {
  it('陈静 creates the unit and the clerk; the clerk signs in by the invitation and sees the draft', async () => {
    const admin = await phone(chromium.browser);
    const page = await admin.newPage();
    await signInThroughMail(page, base, 'admin@demo.nianbao.local');

    await page.goto(`${base}/app/admin/units`);
    await expect.poll(() => page.getByText('金塘镇').count()).toBeGreaterThan(0);
    await fitsPhone(page);
    await screenshot(page, 'admin-units-tree');

    await page.getByRole('link', { name: '新建单位' }).click();
    await page.getByLabel('单位代码').fill(UNIT.code);
    await page.getByLabel('单位名称').fill(UNIT.name);
    await page.getByLabel('上级单位').selectOption('ZS-DH');
    // A unit created while the cycle is open joins it (the box is ticked already).
    expect(await page.getByLabel(/加入 \d{4} 年度报告周期/).isChecked()).toBe(true);
    await fitsPhone(page);
    await screenshot(page, 'admin-units-new');
    await page.getByRole('button', { name: '新建单位' }).click();
    await page.waitForURL(`${base}/app/admin/units/${UNIT.code}?done=created`);
    expect(await page.locator('main').innerText()).toContain('已新建单位。');
    await expect.poll(() => page.locator(`a[href^="/app/reports/${UNIT.code}/"]`).count()).toBe(1);

    await page.getByRole('link', { name: '为此单位添加人员' }).click();
    await page.getByLabel('姓名').fill(CLERK.name);
    await page.getByLabel('邮箱').fill(CLERK.email);
    expect(await page.getByLabel('角色').inputValue()).toBe('clerk');
    expect(await page.getByLabel(UNIT.name).isChecked()).toBe(true);
    await fitsPhone(page);
    await screenshot(page, 'admin-people-new');
    await page.getByRole('button', { name: '添加并发送邀请' }).click();
    await page.waitForURL(`${base}/app/admin/people/${encodeURIComponent(CLERK.email)}?done=invited`);
    expect(await page.locator('main').innerText()).toContain('已添加，邀请邮件已发送。');
    await fitsPhone(page);
    await screenshot(page, 'admin-person');
    await admin.close();

    // The clerk, on a phone of their own.
    const clerk = await phone(chromium.browser);
    const mine = await clerk.newPage();
    await mine.goto(`${base}/dev/mail`);
    const invitation = mine.locator('.dev-mail-item').filter({ hasText: CLERK.email }).filter({ hasText: '邀请您使用年报系统' }).first();
    const href = await invitation.locator('a[href*="/auth/verify?token="]').first().getAttribute('href');
    expect(href).toContain(base);
    await mine.goto(href!);
    await mine.getByRole('button', { name: '登录' }).click();
    await mine.waitForURL(`${base}/app`);
    const home = await mine.locator('main').innerText();
    expect(home).toContain(CLERK.name);
    expect(home).toContain(UNIT.name);
    expect(home).toContain('草稿');
    await fitsPhone(mine);
    await screenshot(mine, 'invited-clerk-home');
    await mine.locator(`a[href^="/app/reports/${UNIT.code}/"]`).first().click();
    await mine.waitForURL(new RegExp(`/app/reports/${UNIT.code}/\\d{4}$`));
    expect(await mine.locator('main').innerText()).toContain(UNIT.name);

    // The invitation worked once: opened again, the link is dead.
    const again = await mine.goto(href!);
    expect(again?.status()).toBe(410);
    await clerk.close();
  });
});
