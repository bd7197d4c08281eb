// D1 read replication: every request reads and writes through one D1 Session
// (`env.DB.withSession(…)`, the Sessions API), so D1 may answer its reads from the nearest read
// replica while every query of the request stays sequentially consistent.
//
// - An anonymous public read starts 'first-unconstrained': any replica will do; the public sees
//   publications a moment late at worst, and its answers carry no cookie (they stay cacheable).
// - A signed-in person (their session cookie) or any write starts 'first-primary', unless the
//   request brings the bookmark of an earlier answer: then D1 serves it from a copy at least as
//   new as that bookmark, so a clerk or supervisor always reads back their own writes.
// - The answer to a signed-in person (session cookie or bearer token) carries the session's
//   latest bookmark, in the `x-d1-bookmark` header (scripts) and a cookie (browsers), as
//   Cloudflare's read replication guide does; the next request sends it back. Never on a public
//   answer shared caches may keep.
// Locally (wrangler dev, Vitest) there is no replica: a session is the database itself, and the
// bookmarks D1 gives round-trip all the same.
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../auth/sessions';
import { getDb } from '../db/client';
import type { AppEnv } from './app-env';

export const BOOKMARK_HEADER = 'x-d1-bookmark';
export const BOOKMARK_COOKIE = 'nb_d1';
/** A bookmark is only worth keeping across a few pages: replicas catch up within seconds. */
const BOOKMARK_MAX_AGE_SECONDS = 600;

/** Bookmarks are opaque, short, printable tokens; anything else is ignored, not passed to D1. */
const plausibleBookmark = (text: string | undefined) => (text && /^[\x21-\x7e]{1,256}$/.test(text) ? text : undefined);

const isRead = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

/**
 * Sets c.var.db to drizzle over a D1 Session for this request (see above), and hands the
 * session's bookmark back to those who must read their own writes.
 */
export const d1Session: MiddlewareHandler<AppEnv> = async (c, next) => {
  const signedIn = getCookie(c, SESSION_COOKIE) !== undefined || c.req.header('Authorization') !== undefined;
  const personal = signedIn || !isRead(c.req.method);
  const bookmark = plausibleBookmark(c.req.header(BOOKMARK_HEADER)) ?? plausibleBookmark(getCookie(c, BOOKMARK_COOKIE));
  const session = c.env.DB.withSession(bookmark ?? (personal ? 'first-primary' : 'first-unconstrained'));
  c.set('db', getDb(session));
  await next();
  const latest = session.getBookmark();
  // Never on an answer shared caches may keep (a public page a signed-in person reads): a write
  // or a private page is where a newer bookmark matters.
  const shared = /\bpublic\b/.test(c.res.headers.get('Cache-Control') ?? '');
  // Only to someone signed in: an anonymous write (asking for a sign-in link) reads nothing back.
  if (!signedIn || !latest || (isRead(c.req.method) && shared)) return;
  // The answer may come with immutable headers (a static asset, a stored copy): copy it first.
  c.res = new Response(c.res.body, c.res);
  c.res.headers.set(BOOKMARK_HEADER, latest);
  setCookie(c, BOOKMARK_COOKIE, latest, { httpOnly: true, secure: true, sameSite: 'Lax', path: '/', maxAge: BOOKMARK_MAX_AGE_SECONDS });
};
