// Signing in against a running app (wrangler dev, development mode): in a browser, as a person
// would through /dev/mail, or from Node for scripts that only need the session cookie.
import type { Page } from 'playwright-core';

/** The sign-in page → the link in /dev/mail → 登录, ending on /app. */
export async function signInThroughMail(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/signin`);
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByRole('button', { name: '发送登录链接' }).click();
  await page.getByRole('heading', { name: '请查收邮件' }).waitFor();
  await page.goto(`${base}/dev/mail`);
  // The newest link sent to this address (the mailbox holds every file's mail).
  const href = await page.locator('.dev-mail-item').filter({ hasText: email }).locator('a[href*="/auth/verify?token="]').first().getAttribute('href');
  if (!href) throw new Error(`no sign-in link for ${email} in /dev/mail`);
  await page.goto(href);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${base}/app`);
}

/**
 * A session cookie ("name=value") from Node: POST /auth/link, the link from /dev/mail.json,
 * POST /auth/verify (with our Origin, as a browser's form post would carry).
 */
export async function sessionCookie(base: string, email: string): Promise<string> {
  const asked = await fetch(`${base}/auth/link`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  if (asked.status !== 202) throw new Error(`POST /auth/link: ${asked.status}`);
  const mail = (await (await fetch(`${base}/dev/mail.json`)).json()) as { messages: { to: string; text: string }[] };
  const text = mail.messages.find((m) => m.to === email && m.text.includes('/auth/verify?token='))?.text ?? '';
  const token = decodeURIComponent(text.match(/\/auth\/verify\?token=([^\s&]+)/)?.[1] ?? '');
  if (!token) throw new Error(`no sign-in link for ${email} in /dev/mail.json`);
  const verified = await fetch(`${base}/auth/verify`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
    body: new URLSearchParams({ token }),
    redirect: 'manual',
  });
  const cookie = verified.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.includes('='));
  if (verified.status !== 303 || !cookie) throw new Error(`POST /auth/verify: ${verified.status}, no session cookie`);
  return cookie;
}
