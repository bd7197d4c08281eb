// Mail queued by a request goes out right after the response (waitUntil); the cron retries
// whatever fails, so the request never waits for the provider.
import type { Db } from '../db/client';
import type { Env } from '../db/env';
import { deliverDue } from './outbox';
import { senderAddress, transportFor } from './transports';

/** `c`: the request's Hono context (any area's). */
export function deliverSoon(c: { env: Env; executionCtx: { waitUntil(p: Promise<unknown>): void }; get(key: 'db'): Db }, now: number, limit = 20): void {
  c.executionCtx.waitUntil(deliverDue(c.get('db'), transportFor(c.env), senderAddress(c.env), { now, limit }));
}
