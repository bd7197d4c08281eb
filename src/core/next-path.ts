// Where to go after signing in: the `next` that travels from /signin through the mail link to
// POST /auth/verify's redirect. Every reader and writer of `next` passes it through safeNext(),
// so the redirect can only ever be a path of this site (no open redirect, no header injection).
//
// Browsers are lenient where we must be strict: they drop tab, CR and LF from a URL
// ("/\t/evil.example" becomes "//evil.example", another host), read "\" as "/", and a Location
// with CR or LF is not a valid header at all. So only visible ASCII is accepted, no backslash,
// and the path must start with exactly one "/", however often it is percent-decoded.

/** Where a person lands after signing in when `next` is missing or not acceptable. */
export const DEFAULT_NEXT = '/app';

/** Longer than any page of ours; a limit keeps links and headers small. */
const MAX_NEXT_LENGTH = 512;

/** One "/" then anything but "/" or "\": an absolute path of this origin, not "//host" nor "/\host". */
const isOwnPath = (path: string) => /^\/(?![/\\])/.test(path) && !path.includes('\\');

/** Visible ASCII only: no controls (tab, CR, LF, NUL, DEL…), no space, nothing a browser strips or rewrites. */
const isVisibleAscii = (path: string) => /^[\x21-\x7e]*$/.test(path);

/**
 * `next` if it is a path of this site that is safe to redirect to, else DEFAULT_NEXT. Pure.
 * The value and each of its percent-decodings (up to a few layers, as a careless decoder
 * anywhere on the way might apply) must be such a path; a malformed escape is refused.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > MAX_NEXT_LENGTH || !isVisibleAscii(next)) return DEFAULT_NEXT;
  let layer = next;
  for (let depth = 0; depth < 4; depth++) {
    if (!isOwnPath(layer) || /[\x00-\x1f\x7f-\x9f]/.test(layer)) return DEFAULT_NEXT;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return DEFAULT_NEXT;
    }
    if (decoded === layer) return next;
    layer = decoded;
  }
  // Still decoding after four layers: nobody writes a path like that.
  return DEFAULT_NEXT;
}

/** safeNext() for carrying `next` along (a hidden field, a link): undefined when it would be the default anyway. */
export function nextToCarry(next: unknown): string | undefined {
  const path = safeNext(next);
  return path === DEFAULT_NEXT ? undefined : path;
}
