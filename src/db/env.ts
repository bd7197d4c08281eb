// The Worker's bindings, the database among them: every floor above reads its settings here.

/** The Worker's bindings: wrangler.toml, secrets (`wrangler secret put`), .dev.vars locally. */
export interface Env {
  DB: D1Database;
  /** Files from ./static (wrangler.toml [assets]); served at /static/* by src/http/static.ts. */
  ASSETS: Fetcher;
  /** 'production' (wrangler.toml), 'development' (.dev.vars) or 'test' (vitest.config.ts). */
  ENVIRONMENT: string;
  /** Bearer token for the administration API, for scripts. Secret. */
  ADMIN_TOKEN?: string;
  /** HMAC key for the emailed approval links. Secret. */
  LINK_SECRET?: string;
  /** HMAC key for session cookies. Secret. */
  SESSION_SECRET?: string;
  /**
   * The mail queue (wrangler.toml [[queues.producers]]): outbox ids, delivered by the Worker's own
   * consumer (src/mail/queue.ts). Unset (a Worker deployed without queues), the crons deliver.
   */
  MAIL_QUEUE?: Queue;
  /** The daily run's work items (src/reminders/daily-queue.ts); unset, the cron does them all itself. */
  DAILY_QUEUE?: Queue;
  /** Cloudflare Email Service binding (wrangler.toml [[send_email]]). */
  SEND_EMAIL?: SendEmail;
  /** 'send_email' | 'http' | 'capture'; default: send_email in production, capture elsewhere. */
  MAIL_TRANSPORT?: string;
  /** The HTTP mail API (MAIL_TRANSPORT=http): its URL and bearer key. The key is a secret. */
  MAIL_API_URL?: string;
  MAIL_API_KEY?: string;
  /** The sender, e.g. '年报系统 <noreply@example.gov.cn>'. */
  MAIL_FROM?: string;
  /** The public origin for links in mail (e.g. https://nianbao.example.gov.cn): required in production (src/http/origin.ts); elsewhere the request's when unset. */
  BASE_URL?: string;
}
