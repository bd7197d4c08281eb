import type { Db } from './db/client';

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
  /** Cloudflare Email Routing binding (wrangler.toml [[send_email]], not configured yet). */
  SEND_EMAIL?: SendEmail;
}

/** Per-request values handlers share through c.get / c.var. */
export interface AppVariables {
  db: Db;
  /** Set by hono/secure-headers' NONCE: the nonce an inline <script nonce> must carry. */
  secureHeadersNonce?: string;
}

/** The Hono environment of every app and sub-router: `new Hono<AppEnv>()`. */
export type AppEnv = { Bindings: Env; Variables: AppVariables };
