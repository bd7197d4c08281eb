// The session cookie: HttpOnly, Secure, SameSite=Lax, holding only a random id (src/auth/sessions.ts
// keeps its hash and decides what it is worth).
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE, SESSION_TTL_MS, viewerFromSessionId } from '../auth/sessions';
import type { Viewer } from '../auth/scope';
import type { AppEnv } from './app-env';

export function setSessionCookie(c: Context<AppEnv>, id: string): void {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
}

/** The viewer behind the request's session cookie, or undefined (no, expired or revoked session). */
export function viewerFromCookie(c: Context<AppEnv>, now: number): Promise<Viewer | undefined> {
  return viewerFromSessionId(c.get('db'), getCookie(c, SESSION_COOKIE), now);
}
