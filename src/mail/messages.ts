// The text of each kind of mail. Every message has a plain-text part (many government mail
// clients show only that) and a simple HTML part.
import { html } from 'hono/html';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export function signInMail(name: string, link: string, minutes: number): MailContent {
  const subject = '年报系统登录链接';
  const text = [
    `${name}，您好：`,
    '',
    `请在 ${minutes} 分钟内打开下面的链接登录“年报”系统（政府信息公开工作年度报告）：`,
    link,
    '',
    '此链接只能使用一次。如果您没有申请登录，请忽略本邮件，您的账户不会有任何变化。',
  ].join('\n');
  const body = html`<p>${name}，您好：</p>
    <p>请在 ${minutes} 分钟内点击下面的按钮登录“年报”系统（政府信息公开工作年度报告）：</p>
    <p><a href="${link}">登录年报系统</a></p>
    <p>如果按钮无法点击，请复制此链接到浏览器：<br />${link}</p>
    <p>此链接只能使用一次。如果您没有申请登录，请忽略本邮件，您的账户不会有任何变化。</p>`;
  return { subject, text, html: String(body) };
}

/** An administrator added the person: a sign-in link valid for `days` days, Chinese first, then English. */
export function invitationMail(p: { name: string; invitedBy: string; link: string; days: number }): MailContent {
  const subject = '邀请您使用年报系统 · Invitation to Nianbao';
  const text = [
    `${p.name}，您好：`,
    '',
    `${p.invitedBy}邀请您使用“年报”系统（政府信息公开工作年度报告）。请在 ${p.days} 天内打开下面的链接登录：`,
    p.link,
    '',
    '此链接只能使用一次。以后登录时，在登录页输入您的邮箱即可收到新的登录链接。',
    '',
    '—',
    '',
    `Hello ${p.name},`,
    '',
    `${p.invitedBy} has invited you to Nianbao, for the annual report on open government information. Open this link within ${p.days} days to sign in:`,
    p.link,
    '',
    'The link works once. Later, enter your email address on the sign-in page to get a new link.',
  ].join('\n');
  const body = html`<p>${p.name}，您好：</p>
    <p>${p.invitedBy}邀请您使用“年报”系统（政府信息公开工作年度报告）。请在 ${p.days} 天内点击下面的按钮登录：</p>
    <p><a href="${p.link}">登录年报系统</a></p>
    <p>如果按钮无法点击，请复制此链接到浏览器：<br />${p.link}</p>
    <p>此链接只能使用一次。以后登录时，在登录页输入您的邮箱即可收到新的登录链接。</p>
    <hr />
    <p lang="en">Hello ${p.name},</p>
    <p lang="en">${p.invitedBy} has invited you to Nianbao, for the annual report on open government information. Open the link above within ${p.days} days to sign in. It works once; later, enter your email address on the sign-in page to get a new link.</p>`;
  return { subject, text, html: String(body) };
}
