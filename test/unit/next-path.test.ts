// safeNext(): after signing in, the browser goes only to a path of this site, whatever `next`
// an attacker wrote into /signin?next=… or the mail link. Judged as browsers judge it: the
// answer, resolved as a Location against our origin (WHATWG URL, as browsers do), stays here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NEXT, nextToCarry, safeNext } from '../../src/core/next-path';

const ORIGIN = 'https://nianbao.test';
/** Where a browser goes when told `Location: location` by a page of ours. */
const landsOn = (location: string) => new URL(location, `${ORIGIN}/auth/verify`);

describe('safeNext', () => {
  it('keeps the paths of our own pages', () => {
    for (const path of ['/app', '/app/reports/JT-330903-101/2025', '/app/review', '/app/progress/2025?within=ZS-DH', '/reports/JT/2018#t', '/a%20b', '/%E6%8A%A5'])
      expect(safeNext(path)).toBe(path);
  });

  it('sends every hostile or malformed value to /app', () => {
    const hostile: unknown[] = [
      '/%09/evil.example/stolen', // the probe's: tab, which browsers drop, making //evil.example
      '/\t/evil.example/stolen',
      '/\r\nSet-Cookie: x=1',
      '/%0d%0aSet-Cookie:%20x=1',
      '/\n/evil.example',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/%2F/evil.example',
      '/%2f%2fevil.example',
      '/%5Cevil.example',
      '/%5cevil.example',
      '/%252F%252Fevil.example', // twice encoded
      '/%25252F/evil.example',
      '/app\\..\\..\\evil',
      '/ /evil.example',
      '/reports/报告',
      '/%C2%85/evil.example', // NEL, a C1 control
      '/\u0000/evil.example',
      '/\u007f',
      '/\u00a0//evil.example',
      '/\u3000/evil.example',
      '/\u2028/evil.example',
      'https://evil.example/',
      'http:/evil.example',
      'javascript:alert(1)',
      '//evil.example/%2e%2e',
      'evil.example',
      '',
      ' /app',
      '/app%',
      '/%E0%A4%A',
      '/' + 'a'.repeat(600),
      undefined,
      null,
      42,
      ['/app'],
      { toString: () => '/app' },
    ];
    for (const next of hostile) expect(safeNext(next), JSON.stringify(String(next))).toBe(DEFAULT_NEXT);
  });

  it('nextToCarry leaves the default out of links and forms', () => {
    expect(nextToCarry('/app/review')).toBe('/app/review');
    expect(nextToCarry('/%09/evil.example')).toBeUndefined();
    expect(nextToCarry(undefined)).toBeUndefined();
    expect(nextToCarry('/app')).toBeUndefined();
  });

  // Pieces an attacker combines: separators, their encodings, controls browsers strip, hosts.
  const piece = fc.constantFrom(
    '/', '\\', '//', '/\\', '\t', '\r', '\n', '\u0000', ' ', '\u00a0', '\u3000', '%', '%09', '%0a', '%0d', '%2f', '%2F', '%5c', '%5C',
    '%25', '%252f', '%00', '@', ':', '.', '..', '?', '#', 'evil.example', 'http:', 'https:', 'javascript:', 'app', 'reports', '报告',
  );
  const hostileString = fc.oneof(
    fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
    fc.array(piece, { maxLength: 8 }).map((parts) => '/' + parts.join('')),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => '/' + s),
  );

  it('property: the answer is the value itself or /app, a valid header, and a browser stays on our origin', () => {
    fc.assert(
      fc.property(hostileString, (next) => {
        const answer = safeNext(next);
        expect([next, DEFAULT_NEXT]).toContain(answer);
        // A valid header value: visible ASCII only (no CR, LF or anything a Headers object refuses).
        expect(answer).toMatch(/^\/[\x21-\x7e]*$/);
        const target = landsOn(answer);
        expect(target.origin).toBe(ORIGIN);
        // Decoded once more by anyone on the way, it is still our path.
        expect(landsOn(decodeURIComponent(answer)).origin).toBe(ORIGIN);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: paths made of ordinary segments are kept as they are', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const path = '/' + segments.join('/');
        expect(safeNext(path)).toBe(path);
      }),
    );
  });
});
