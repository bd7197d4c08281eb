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
