// Repeated reads of public data are answered from the Cache API (caches.default) instead of
// being recomputed. The cache key is the request URL plus a data version: a marker read with
// one cheap query (rowid maxima and updated_at maxima, no table scans of reports or cells) that
// changes whenever anything a public answer shows changes — a publication or correction (a new
// report_versions row), a new report, a unit renamed or moved, a cycle changed (its deadline,
// template or expected units). A new publication therefore changes every key at once: nothing
// is ever served stale, and nothing needs purging (old entries simply age out).
//
// Two levels: a small in-memory LRU in the isolate (no I/O at all on a hit), then the Cache API,
// shared by the isolates of a data centre. The stored copy also carries an ETag computed once
// from its body, so a conditional request gets its 304 (hono/etag in publicResponses) without
// hashing the body again. The Cache API does nothing on *.workers.dev hosts; the memory level
// still works there.
import { sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/client';
import { cycles, reports, reportVersions, units } from '../db/schema';
import type { AppEnv } from './app-env';
import { lang } from './lang';

/** How long a stored copy may live: its key changes on every publication anyway. */
const STORED_MAX_AGE_SECONDS = 86_400;
/** The isolate's share: a Worker has 128 MB; answers are a few KB to a few hundred. */
const MEMORY_MAX_ENTRIES = 200;
const MEMORY_MAX_BYTES = 24 * 1024 * 1024;

interface Stored {
  body: ArrayBuffer;
  headers: [string, string][];
}

/** Least recently used first (a Map keeps insertion order; a hit re-inserts). */
const memory = new Map<string, Stored>();
let memoryBytes = 0;

function remember(key: string, entry: Stored): void {
  if (entry.body.byteLength > MEMORY_MAX_BYTES / 4) return;
  const old = memory.get(key);
  if (old) memoryBytes -= old.body.byteLength;
  memory.delete(key);
  memory.set(key, entry);
  memoryBytes += entry.body.byteLength;
  for (const [k, e] of memory) {
    if (memory.size <= MEMORY_MAX_ENTRIES && memoryBytes <= MEMORY_MAX_BYTES) break;
    memory.delete(k);
    memoryBytes -= e.body.byteLength;
  }
}

function recall(key: string): Response | undefined {
  const entry = memory.get(key);
  if (!entry) return undefined;
  memory.delete(key);
  memory.set(key, entry);
  return new Response(entry.body.slice(0), { status: 200, headers: entry.headers });
}

async function dataVersion(db: Db): Promise<string> {
  const row = await db.get<{ v: number | null; r: number | null; u: number | null; c: number | null }>(sql`
    SELECT (SELECT max(${reportVersions.id}) FROM ${reportVersions}) AS v, (SELECT max(${reports.id}) FROM ${reports}) AS r,
      (SELECT max(${units.updatedAt}) FROM ${units}) AS u, (SELECT max(${cycles.updatedAt}) FROM ${cycles}) AS c`);
  return [row?.v, row?.r, row?.u, row?.c].map((n) => n ?? 0).join('.');
}

/** The request URL with its query sorted (same question, same key) and the data version added. */
function cacheKey(url: string, version: string): string {
  const u = new URL(url);
  const params = [...u.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  params.push(['__data', version]);
  u.search = new URLSearchParams(params).toString();
  return u.toString();
}

async function sha256Tag(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
  return `"${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}"`;
}

const defaultCache = (): Cache | undefined => (typeof caches === 'undefined' ? undefined : (caches as unknown as { default: Cache }).default);

/** For GET routes behind publicResponses: answer from the cache, or compute once and store. */
export const cachedByDataVersion: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
  const cache = defaultCache();
  // The page's language is part of the question (?lang=, or Accept-Language): one copy each.
  const key = cacheKey(c.req.url, `${await dataVersion(c.get('db'))}.${lang(c)}`);
  const remembered = recall(key);
  if (remembered) return hitResponse(remembered, 'memory');
  const hit = await cache?.match(key);
  if (hit) {
    const body = await hit.arrayBuffer();
    remember(key, { body, headers: [...hit.headers] });
    return hitResponse(new Response(body, hit), 'hit');
  }
  await next();
  c.res.headers.append('Vary', 'Accept-Language');
  if (c.res.status !== 200 || c.res.headers.has('Set-Cookie')) return;
  const body = await c.res.clone().arrayBuffer();
  if (!c.res.headers.has('ETag')) c.res.headers.set('ETag', await sha256Tag(body));
  remember(key, { body, headers: [...c.res.headers] });
  if (!cache) return;
  const stored = new Response(body, { status: 200, headers: new Headers(c.res.headers) });
  stored.headers.set('Cache-Control', `public, max-age=${STORED_MAX_AGE_SECONDS}`);
  const put = cache.put(key, stored).catch((error: unknown) => console.warn('cache put failed', error));
  try {
    c.executionCtx.waitUntil(put);
  } catch {
    await put; // no execution context (e.g. app.request in a test): finish before answering
  }
};

function hitResponse(res: Response, level: 'memory' | 'hit'): Response {
  res.headers.delete('Cache-Control'); // the public lifetime is set by publicResponses
  res.headers.set('X-Cache', level);
  return res;
}
