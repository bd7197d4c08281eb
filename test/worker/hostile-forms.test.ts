// Every form post of the app, found in its own route table so a new one cannot be left out, sent
// bodies a browser never sends: a multipart body whose boundary is not the declared one, an
// empty body, binary garbage, 2 MB, invalid UTF-8, a file, no or a foreign content type and
// charset. Each is answered below 500, and nothing in D1 changes: no save, no decision, no
// session or token spent, no mail, no audit event.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { declarationOf } from '../../src/http/route';
import { call, fillAndSubmit, mailTo, openCycle, reviewMails, setUpTree, type Sessions } from './review-helpers';

let sessions: Sessions;
let token: string;

/** The form posts: every POST route of the app but the JSON API's (under /api/). */
const posts = createApp().routes.filter((r) => r.method === 'POST' && !r.path.startsWith('/api/'));
const formRoutes = [...new Set(posts.map((r) => r.path))];
/** Declared routes whose body may be JSON or a form (POST /auth/link): anything but a form is read as JSON. */
const alsoJson = new Set(posts.filter((r) => declarationOf(r)?.formBody).map((r) => r.path));
const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)/;

/** A route's path made concrete, and who posts to it: someone the route lets read the form. */
function target(path: string): { path: string; cookie?: string } {
  const concrete = path
    .replace(':year', '2026')
    .replace(':token', token)
    .replace(':id', '1')
    // JT is submitted (a review can be decided), BQ a draft (it can be saved and submitted).
    .replace(':unit', path.startsWith('/app/review') ? 'JT' : 'BQ')
    .replace(':code', 'BQ')
    .replace(':email', encodeURIComponent('xu@xs.example.cn'));
  expect(concrete, `${path}: give its parameters a value here`).not.toContain(':');
  const cookie = path.startsWith('/app/review')
    ? sessions.supervisor
    : path.startsWith('/app/reports')
      ? sessions.clerk
      : path.startsWith('/app/cycles') || path.startsWith('/app/admin') || path.startsWith('/app/progress')
        ? sessions.admin
        : undefined;
  return { path: concrete, ...(cookie ? { cookie } : {}) };
}

const bytes = (...values: number[]) => new Uint8Array(values);
const MULTIPART_ZZ = 'multipart/form-data; boundary=zz';
const URLENCODED = 'application/x-www-form-urlencoded';

/** [name, content type (null: none), body, the status the form reader answers]. */
const HOSTILE: [string, string | null, BodyInit, number][] = [
  ['a multipart body without its declared boundary', MULTIPART_ZZ, '--yy\r\n\r\n--yy--', 400],
  ['a multipart body cut short', MULTIPART_ZZ, '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb', 400],
  ['a file where text fields are expected', MULTIPART_ZZ, '--zz\r\nContent-Disposition: form-data; name="comment"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--zz--\r\n', 400],
  ['invalid UTF-8 in a multipart field', MULTIPART_ZZ, bytes(...new TextEncoder().encode('--zz\r\nContent-Disposition: form-data; name="comment"\r\n\r\n'), 0xff, 0xfe, ...new TextEncoder().encode('\r\n--zz--\r\n')), 400],
  ['binary garbage as a urlencoded form', URLENCODED, bytes(0x00, 0xff, 0x80, 0xc3, 0x28, 0x3d, 0x26, 0xfe), 400],
  ['percent-encoded invalid UTF-8', URLENCODED, 'comment=%FF%FE&decision=return', 400],
  ['a stray percent sign', URLENCODED, 'comment=100%&decision=return', 400],
  ['2 MB', URLENCODED, `comment=${'a'.repeat(2 * 1024 * 1024)}`, 413],
  ['no content type', null, 'decision=approve', 415],
  ['a JSON body', 'application/json', '{"decision":"approve"}', 415],
  ['text/plain', 'text/plain', 'decision=approve', 415],
  ['a form in another charset', `${URLENCODED}; charset=iso-8859-1`, 'decision=approve', 415],
  ['an empty form', URLENCODED, '', 0],
  ['an empty multipart body', MULTIPART_ZZ, '', 400],
];

/** Every row of every table of ours: to prove that a request changed nothing at all. */
async function everything(): Promise<Record<string, unknown[]>> {
  const tables = await env.DB.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' and name not like 'd1_%' order by name`).all<{ name: string }>();
  const rows: Record<string, unknown[]> = {};
  for (const { name } of tables.results) rows[name] = (await env.DB.prepare(`select * from "${name}"`).all()).results;
  return rows;
}

beforeAll(async () => {
  sessions = await setUpTree();
  await openCycle(2026);
  await fillAndSubmit(sessions.clerk, 'JT', 2026);
  token = mailTo(await reviewMails('JT', 2026), 'li@dh.example.cn').token;
  // The set-up's mail goes out through the mail queue, in the background: let it, so that no
  // delivery lands between a test's two snapshots of every table.
  const undelivered = async () => (await env.DB.prepare("select count(*) as n from outbox where status in ('pending', 'sending')").first<{ n: number }>())!.n;
  await vi.waitFor(async () => expect(await undelivered()).toBe(0), { timeout: 10_000, interval: 50 });
});

describe('hostile form bodies', () => {
  it('finds the form posts in the route table', () => {
    for (const path of ['/auth/link', '/auth/verify', '/app/reports/:unit/:year', '/app/reports/:unit/:year/submit', '/app/review/:unit/:year', '/review/:token', '/app/cycles/:year'])
      expect(formRoutes).toContain(path);
  });

  for (const [name, type, body, status] of HOSTILE) {
    it(`${name}: below 500 on every form post, and nothing changes`, async () => {
      const before = await everything();
      for (const route of formRoutes) {
        const { path, cookie } = target(route);
        const headers: Record<string, string> = { Origin: 'https://nianbao.test' };
        if (type !== null) headers['Content-Type'] = type;
        const res = await call(path, { method: 'POST', headers, body, ...(cookie ? { cookie } : {}) });
        const text = await res.text();
        expect(res.status, `${route}: ${text.slice(0, 300)}`).toBeLessThan(500);
        // The routes that read a form answer the reader's refusal (logout reads none; /dev/* is 404 here;
        // a route that also takes JSON reads anything else as JSON).
        const readsForm = route !== '/auth/logout' && !route.startsWith('/dev/') && (!alsoJson.has(route) || FORM_TYPE.test(type ?? ''));
        if (status && readsForm) expect(res.status, route).toBe(status);
      }
      expect(await everything()).toEqual(before);
    });
  }

  it('answers a page with the error page, in the reader’s language', async () => {
    const { path, cookie } = target('/app/review/:unit/:year');
    const res = await call(path, { method: 'POST', cookie, headers: { Origin: 'https://nianbao.test', 'Content-Type': MULTIPART_ZZ, 'Accept-Language': 'en' }, body: '--yy\r\n\r\n--yy--' });
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toContain('text/html');
    expect(await res.text()).toContain('The submitted form could not be read.');
    const zh = await call(path, { method: 'POST', cookie, headers: { Origin: 'https://nianbao.test', 'Content-Type': MULTIPART_ZZ }, body: '--yy\r\n\r\n--yy--' });
    expect(await zh.text()).toContain('无法读取提交的表单。');
  });

  it('still reads an honest multipart form', async () => {
    const { path, cookie } = target('/app/cycles/:year');
    const form = new FormData();
    form.append('template', 'gov-2021');
    form.append('deadline', '2027-01-31T23:59');
    form.append('days', '7,0');
    form.append('units', 'JT');
    form.append('units', 'BQ');
    const res = await call(path, { method: 'POST', cookie, headers: { Origin: 'https://nianbao.test' }, body: form });
    expect(res.status).toBe(303);
  });
});
