import type { Child } from 'hono/jsx';
import { beijingMinute, beijingRfc3339 } from '../../core/time';
import type { OutboxMessage } from '../../db/schema';
import { Layout } from '../../views/layout';

/**
 * http(s) URLs in plain text. ASCII only, so a link followed directly by Chinese text or
 * punctuation (“请打开 https://…/verify?token=abc。”) ends where the URL does.
 */
const URL_IN_TEXT = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;

/**
 * Sentence punctuation right after a link belongs to the sentence, not the URL: '.', ',' and
 * the like, and a ')' that closes no '(' of the URL itself ("（见 https://x.test/a)").
 */
function trimTrailingPunctuation(url: string): string {
  let end = url.length;
  while (end > 0) {
    const last = url[end - 1]!;
    const closesNothing = last === ')' && !url.slice(0, end).includes('(');
    if (!".,;:!?'".includes(last) && !closesNothing) break;
    end--;
  }
  return url.slice(0, end);
}

/** The text with every http(s) URL made a link, so a developer can click a sign-in link. */
export function withLinks(text: string): Child[] {
  const parts: Child[] = [];
  let done = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = trimTrailingPunctuation(match[0]);
    parts.push(text.slice(done, match.index), <a href={url}>{url}</a>);
    done = match.index + url.length;
  }
  parts.push(text.slice(done));
  return parts;
}

function statusLabel(message: OutboxMessage): string {
  switch (message.status) {
    case 'sent':
      return message.sentAt === null ? '已发送' : `已发送（${beijingMinute(message.sentAt)}）`;
    case 'failed':
      return `失败（已尝试 ${message.attempts} 次）`;
    case 'sending':
      return `发送中（第 ${message.attempts} 次尝试）`;
    default:
      return message.attempts === 0
        ? '待发送'
        : `待发送（已尝试 ${message.attempts} 次，${beijingMinute(message.nextAttemptAt)} 重试）`;
  }
}

function MailItem({ message }: { message: OutboxMessage }) {
  return (
    <li class="dev-mail-item" id={`mail-${message.id}`}>
      <h2 class="dev-mail-subject">{message.subject}</h2>
      <dl class="dev-mail-meta">
        <dt>时间</dt>
        <dd>
          <time datetime={beijingRfc3339(message.createdAt)}>{beijingMinute(message.createdAt)}</time>
        </dd>
        <dt>收件人</dt>
        <dd>{message.toAddress}</dd>
        <dt>类型</dt>
        <dd>{message.kind}</dd>
        <dt>状态</dt>
        <dd class={`dev-mail-status dev-mail-${message.status}`}>{statusLabel(message)}</dd>
        {message.lastError ? (
          <>
            <dt>错误</dt>
            <dd class="dev-mail-error">{message.lastError}</dd>
          </>
        ) : null}
      </dl>
      <pre class="dev-mail-body">{withLinks(message.textBody)}</pre>
    </li>
  );
}

/** GET /dev/mail: the outbox as a mailbox, newest first (development only). */
export function DevMailPage({ messages, limit }: { messages: OutboxMessage[]; limit: number }) {
  return (
    <Layout title="开发邮箱 · 年报">
      <h1>开发邮箱</h1>
      <p class="lead">
        开发环境不发送任何邮件：这里列出邮件队列中最新的 {limit} 封邮件，最新的在前。JSON 格式见{' '}
        <a href="/dev/mail.json">/dev/mail.json</a>。
      </p>
      {messages.length === 0 ? (
        <p class="dev-mail-empty">还没有邮件。</p>
      ) : (
        <ol class="dev-mail-list">
          {messages.map((message) => (
            <MailItem message={message} />
          ))}
        </ol>
      )}
    </Layout>
  );
}
