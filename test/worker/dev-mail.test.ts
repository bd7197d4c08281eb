// The developer's mailbox (api.md "Development only"): /dev/mail and /dev/mail.json read the
// outbox, exist only when ENVIRONMENT is 'development', and answer 404 everywhere else.
import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { getDb } from '../../src/db/client';
import { outbox } from '../../src/db/schema';
import { enqueue, type OutgoingMail } from '../../src/mail/outbox';

const BASE = 'https://nianbao.test';
const app = createApp();

/** The real app with another ENVIRONMENT (the test Worker itself runs with 'test'). */
const getAs = (environment: string, path: string) =>
  app.fetch(new Request(`${BASE}${path}`), { ...env, ENVIRONMENT: environment }, createExecutionContext());

const db = getDb(env.DB);
const at = (beijing: string) => Date.parse(`${beijing}+08:00`);
const SIGN_IN_LINK = 'https://nianbao.test/auth/verify?token=abc_DEF-123&next=%2Fapp';

const mails: { mail: OutgoingMail; at: number }[] = [
  {
    at: at('2026-01-24T09:00:00'),
    mail: {
      dedupKey: 'signin:1',
      kind: 'signin',
      to: 'clerk@example.cn',
      subject: '年报：登录链接',
      text: `请在15分钟内打开 ${SIGN_IN_LINK}。\n（不是您本人操作请忽略。）`,
      html: `<p><a href="${SIGN_IN_LINK}">登录</a></p>`,
    },
  },
  {
    at: at('2026-01-24T09:05:30'),
    mail: {
      dedupKey: 'reminder:JT:2025:7:2026-01-24',
      kind: 'reminder',
      to: 'clerk@example.cn',
      subject: '<b>还有7天截止</b>',
      text: '请见 (https://nianbao.test/app) 或 javascript:alert(1)，<script>alert(1)</script>',
    },
  },
  {
    at: at('2026-01-23T18:00:00'),
    mail: { dedupKey: 'digest:1', kind: 'digest', to: 'supervisor@example.cn', subject: '待审核：0份', text: '无。' },
  },
];

beforeAll(async () => {
  await db.batch([
    enqueue(db, mails[0]!.mail, mails[0]!.at),
    enqueue(db, mails[1]!.mail, mails[1]!.at),
    enqueue(db, mails[2]!.mail, mails[2]!.at),
  ]);
  // The oldest one went out; the reminder failed once and waits for its retry.
  await db.update(outbox).set({ status: 'sent', attempts: 1, sentAt: at('2026-01-23T18:01:00') }).where(eq(outbox.dedupKey, 'digest:1'));
  await db
    .update(outbox)
    .set({ attempts: 2, lastError: 'HTTP 503: busy', nextAttemptAt: at('2026-01-24T09:09:30') })
    .where(eq(outbox.dedupKey, 'reminder:JT:2025:7:2026-01-24'));
});

describe('outside development', () => {
  it.each(['/dev/mail', '/dev/mail.json'])('%s does not exist in the test Worker', async (path) => {
    const res = await exports.default.fetch(new Request(`${BASE}${path}`));
    expect(res.status).toBe(404);
  });

  it('answers 404 in production: JSON in the error shape, a page for people', async () => {
    const json = await getAs('production', '/dev/mail.json');
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({ error: { code: 'not_found', message: '找不到该资源。', details: [] } });

    const page = await getAs('production', '/dev/mail');
    expect(page.status).toBe(404);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('找不到该资源');
    expect(html).not.toContain('clerk@example.cn');
  });
});

describe('GET /dev/mail.json in development', () => {
  it('lists every queued message, newest first, with exactly the documented fields', async () => {
    const res = await getAs('development', '/dev/mail.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const { messages } = (await res.json()) as { messages: Record<string, unknown>[] };
    expect(messages.map((m) => m.created_at)).toEqual([
      '2026-01-24T09:05:30+08:00',
      '2026-01-24T09:00:00+08:00',
      '2026-01-23T18:00:00+08:00',
    ]);
    expect(messages[1]).toEqual({
      id: expect.any(Number),
      to: 'clerk@example.cn',
      subject: '年报：登录链接',
      text: mails[0]!.mail.text,
      html: mails[0]!.mail.html,
      created_at: '2026-01-24T09:00:00+08:00',
      status: 'pending',
      kind: 'signin',
    });
    expect(messages.map((m) => [m.kind, m.status, m.html])).toEqual([
      ['reminder', 'pending', null],
      ['signin', 'pending', expect.any(String)],
      ['digest', 'sent', null],
    ]);
  });
});

describe('GET /dev/mail in development', () => {
  async function page() {
    const res = await getAs('development', '/dev/mail');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    return res.text();
  }

  it('shows the messages newest first in Beijing time, with recipient, subject and status', async () => {
    const html = await page();
    expect(html).toContain('<html lang="zh-CN">');
    const order = ['2026-01-24 09:05', '2026-01-24 09:00', '2026-01-23 18:00'].map((t) => html.indexOf(`>${t}</time>`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).toContain('<time datetime="2026-01-24T09:00:00+08:00">2026-01-24 09:00</time>');
    expect(html).toContain('年报：登录链接');
    expect(html).toContain('supervisor@example.cn');
    expect(html).toContain('待发送（已尝试 2 次，2026-01-24 09:09 重试）');
    expect(html).toContain('HTTP 503: busy');
    expect(html).toContain('已发送（2026-01-23 18:01）');
    expect(html).toMatch(/>待发送</);
  });

  it('makes the sign-in link in the text body clickable, without the sentence punctuation', async () => {
    const html = await page();
    const escaped = SIGN_IN_LINK.replace(/&/g, '&amp;');
    expect(html).toContain(`打开 <a href="${escaped}">${escaped}</a>。`);
    expect(html).toContain('请见 (<a href="https://nianbao.test/app">https://nianbao.test/app</a>) 或');
  });

  it('escapes what the mail says and links nothing but http(s)', async () => {
    const html = await page();
    expect(html).toContain('&lt;b&gt;还有7天截止&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('href="javascript:');
    // Strict CSP: the page carries no inline script or style.
    expect(html).not.toMatch(/<script|<style| style=/);
  });
});
