// Mail transports behind one small interface, chosen by configuration (MAIL_TRANSPORT):
//   send_email — Cloudflare Email Service through the `send_email` binding (production);
//   http       — one generic JSON POST to an HTTP mail API (MAIL_API_URL, MAIL_API_KEY);
//   capture    — delivers nothing; the outbox itself is the mailbox /dev/mail shows (development).
import type { Env } from '../db/env';

export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * The same for every attempt at one outbox message: a provider that honours it sends a message
   * once even when we retry after it accepted one we could not record (the Worker died between).
   */
  idempotencyKey?: string;
}

export type SendOutcome = { ok: true } | { ok: false; retry: boolean; error: string };

export interface Transport {
  readonly name: string;
  send(mail: Mail): Promise<SendOutcome>;
}

/**
 * Email Service error codes that no retry can fix: this message or its recipient is wrong.
 * Sender and account problems (E_SENDER_NOT_VERIFIED …) are configuration an operator fixes,
 * so those messages keep waiting.
 * Anything else — E_RATE_LIMIT_EXCEEDED, E_DAILY_LIMIT_EXCEEDED, E_INTERNAL_SERVER_ERROR,
 * E_DELIVERY_FAILED, a network error without a code — is retried with backoff.
 */
const PERMANENT_EMAIL_ERRORS = new Set([
  'E_VALIDATION_ERROR',
  'E_FIELD_MISSING',
  'E_TOO_MANY_RECIPIENTS',
  'E_RECIPIENT_NOT_ALLOWED',
  'E_RECIPIENT_SUPPRESSED',
  'E_CONTENT_TOO_LARGE',
  'E_HEADER_NOT_ALLOWED',
  'E_HEADER_USE_API_FIELD',
  'E_HEADER_VALUE_INVALID',
  'E_HEADER_VALUE_TOO_LONG',
  'E_HEADER_NAME_INVALID',
  'E_HEADERS_TOO_LARGE',
  'E_HEADERS_TOO_MANY',
]);

/** 'Name <address>', '"Name" <address>', '<address>' or 'address' → what the binding takes. */
export function parseAddress(from: string): string | { email: string; name: string } {
  const match = from.match(/^\s*(.*?)\s*<([^>]+)>\s*$/);
  if (!match) return from.trim();
  const name = match[1]!.replace(/^"(.*)"$/, '$1').trim();
  return name ? { email: match[2]!.trim(), name } : match[2]!.trim();
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function emailServiceTransport(binding: SendEmail): Transport {
  return {
    name: 'send_email',
    async send(mail) {
      try {
        // Structured fields: the service builds the MIME message, RFC 2047 subject included.
        await binding.send({ from: parseAddress(mail.from), to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
        return { ok: true };
      } catch (error) {
        const code = (error as { code?: unknown })?.code;
        const label = typeof code === 'string' ? `${code}: ${describe(error)}` : describe(error);
        return { ok: false, retry: !(typeof code === 'string' && PERMANENT_EMAIL_ERRORS.has(code)), error: label };
      }
    },
  };
}

/** POST {from, to, subject, text, html} as JSON with a bearer key and the message's Idempotency-Key; 429 and 5xx are retried. */
export function httpTransport(url: string, key: string, fetcher: typeof fetch = fetch): Transport {
  return {
    name: 'http',
    async send({ idempotencyKey, ...mail }) {
      let response: Response;
      try {
        response = await fetcher(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            Authorization: `Bearer ${key}`,
            ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
          },
          body: JSON.stringify(mail),
          // A provider that never answers must not hang the whole cron run.
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        return { ok: false, retry: true, error: `network: ${describe(error)}` };
      }
      if (response.ok) return { ok: true };
      const body = (await response.text().catch(() => '')).slice(0, 300);
      // 401/403: a wrong or expired key, fixed by an operator — keep the message waiting.
      const retry = [401, 403, 408, 429].includes(response.status) || response.status >= 500;
      return { ok: false, retry, error: `HTTP ${response.status}${body ? `: ${body}` : ''}` };
    },
  };
}

/** Development: nothing leaves the machine; /dev/mail shows the outbox. */
const captureTransport: Transport = { name: 'capture', send: async () => ({ ok: true }) };

/** Production without mail configured: keep every message pending (and visible), lose none. */
const unconfiguredTransport: Transport = {
  name: 'unconfigured',
  send: async () => ({ ok: false, retry: true, error: 'no mail transport configured (MAIL_TRANSPORT)' }),
};

export function transportFor(env: Env): Transport {
  const chosen = env.MAIL_TRANSPORT ?? (env.ENVIRONMENT === 'production' ? 'send_email' : 'capture');
  if (chosen === 'capture') return captureTransport;
  if (chosen === 'send_email' && env.SEND_EMAIL) return emailServiceTransport(env.SEND_EMAIL);
  if (chosen === 'http' && env.MAIL_API_URL && env.MAIL_API_KEY) return httpTransport(env.MAIL_API_URL, env.MAIL_API_KEY);
  return unconfiguredTransport;
}

export const senderAddress = (env: Env) => env.MAIL_FROM ?? 'Nianbao 年报 <noreply@nianbao.local>';
