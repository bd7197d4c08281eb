// A clerk signs in on a phone exactly as on the demo: ask for a link, read it in the
// development mailbox, open it, press 登录, and see who they are.
import { existsSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { browserForFile, phone, screenshot } from './browser';

const base = inject('baseUrl');

const chromium = browserForFile();

describe('signing in by emailed link, at phone size', () => {
  for (const [email, name, sees] of [
    ['clerk@demo.nianbao.local', '填报人', '金塘镇'],
    ['supervisor@demo.nianbao.local', '审核人', '白泉镇'],
    ['admin@demo.nianbao.local', '管理员', '管理单位、人员和邮件'],
  ] as const) {
    it(`${email} signs in through /dev/mail and sees ${sees}`, async () => {
      const context = await phone(chromium.browser);
      const page = await context.newPage();
      await page.goto(`${base}/app`);
      expect(new URL(page.url()).pathname).toBe('/signin');

      await page.getByLabel('电子邮箱').fill(email);
      await page.getByRole('button', { name: '发送登录链接' }).click();
      await expect.poll(() => page.getByRole('heading', { name: '请查收邮件' }).count()).toBe(1);

      // The capture mailbox, as a developer on the demo machine would open it: the newest link
      // sent to this address (the mailbox holds every file's mail).
      await page.goto(`${base}/dev/mail`);
      const link = page.locator('.dev-mail-item').filter({ hasText: email }).locator('a[href*="/auth/verify?token="]').first();
      const href = (await link.getAttribute('href'))!;
      expect(href).toContain(base);
      await page.goto(href);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL(`${base}/app`);

      const text = await page.locator('main').innerText();
      expect(text).toContain('您好');
      expect(text).toContain(name);
      expect(text).toContain(sees);
      const shot = await screenshot(page, `sign-in-${email.split('@')[0]}`);
      expect(existsSync(shot)).toBe(true);

      // The button is a real form post: signing out ends the session.
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.waitForURL(`${base}/signin?signed_out=1`);
      await page.goto(`${base}/app`);
      expect(new URL(page.url()).pathname).toBe('/signin');
      await context.close();
    });
  }

  it('the sign-in page fits a phone: no sideways scrolling, touch-sized button', async () => {
    const context = await phone(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${base}/signin`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = (await page.getByRole('button', { name: '发送登录链接' }).boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    await context.close();
  });
});
