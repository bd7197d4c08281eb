// The Hono environment every app and sub-router shares: the bindings and per-request values.
import type { Viewer } from '../auth/scope';
import type { Db } from '../db/client';
import type { Env } from '../db/env';

/** Per-request values handlers share through c.get / c.var. */
export interface AppVariables {
  db: Db;
  /** The signed-in person (session cookie) or the ADMIN_TOKEN bearer; unset when anonymous. */
  viewer?: Viewer;
  /** Set by hono/secure-headers' NONCE: the nonce an inline <script nonce> must carry. */
  secureHeadersNonce?: string;
}

/** The Hono environment of every app and sub-router: `new Hono<AppEnv>()`. */
export type AppEnv = { Bindings: Env; Variables: AppVariables };
