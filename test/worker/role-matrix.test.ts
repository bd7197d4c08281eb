// The role matrix: every route the app answers (read off createApp().routes, so a new route cannot
// be left out) × every role, against a small world with a published, a submitted and a draft
// report holding a figure nobody outside the unit's clerk, its supervisors and administrators may
// see. Who may use each route is declared below as data; a route with no declaration fails.
//
// "Administrator of another subtree" is a real one: admin.q@ administers Q (src/auth/scope.ts),
// so A's reports and people are outside what they manage. Writes are sent only by the roles that must be refused (the
// refusal is what is checked here; what an entitled write does is the feature tests' business),
// except the harmless public ones (validation, a malformed link request, sign-out).
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from './report-helpers';
import {
  appRoutes,
  DRAFT_YEAR,
  leakedSecret,
  PUBLISHED_YEAR,
  request,
  setUpWorld,
  stateCounts,
  SUBMITTED_YEAR,
  type World,
} from './probe-helpers';

const ROLES = ['anonymous', 'unitClerk', 'otherClerk', 'parentSupervisor', 'otherSupervisor', 'administrator', 'otherSubtreeAdmin'] as const;
type Role = (typeof ROLES)[number];

/** Roles that may see A's unpublished figures (the unit's clerk, P's supervisor, administrators). */
const SEES_UNPUBLISHED: ReadonlySet<Role> = new Set(['unitClerk', 'parentSupervisor', 'administrator']);

/** A status, or a 303 to the sign-in page ('signin') or to its signed-out notice. 'skip': an entitled write, not sent. */
type Outcome = number | 'signin' | 'signedOut';
type Allowed = readonly Outcome[] | 'skip';
type Table = Record<Role, Allowed>;

interface Expectation {
  /** Who may use it, for a report of the given year (the year is undefined when the path has none). */
  who: Table | ((year: number | undefined) => Table);
  /** Public: no response of it may ever hold an unpublished figure, whoever asks. */
  public?: boolean;
  /** Everyone holding the link may see the report (the link is the credential). */
  linkHolder?: boolean;
  /** The body a write sends (JSON for /api/, a form otherwise). */
  body?: 'json' | 'form';
  /** The query string, '{year}' filled like a path parameter. */
  query?: string;
}

const everyone = (...allowed: Outcome[]): Table => Object.fromEntries(ROLES.map((r) => [r, allowed])) as unknown as Table;
const table = (anonymous: Allowed, rest: Partial<Table>, others: Allowed): Table =>
  Object.fromEntries(ROLES.map((r) => [r, r === 'anonymous' ? anonymous : (rest[r] ?? others)])) as unknown as Table;

/**
 * Administrators only (the API: 401 when not signed in, 403 for anyone else). The administrator
 * of another subtree passes the door and is refused on the target (403, test/worker/admin-scope)
 * or, with the probe's empty body, on the body first (422): either way nothing is written.
 */
const adminApi = (admin: Allowed): Table => table([401], { administrator: admin, otherSubtreeAdmin: admin === 'skip' ? [403, 422] : admin }, [403]);
/** Anyone signed in; pages send the others to sign in. */
const signedInPage = (allowed: Allowed): Table => table(['signin'], {}, allowed);
/** The unit's clerk and administrators write the report; a supervisor may not. */
const editors = (anonymous: Allowed, editor: Allowed): Table => table(anonymous, { unitClerk: editor, administrator: editor }, [403]);
/** Everyone who may see the report: its clerk, P's supervisor, administrators. */
const viewers = (anonymous: Allowed, viewer: Allowed): Table => table(anonymous, { unitClerk: viewer, parentSupervisor: viewer, administrator: viewer }, [403]);
/** The reviewers: P's supervisor and administrators. */
const reviewers = (anonymous: Allowed, reviewer: Allowed): Table => table(anonymous, { parentSupervisor: reviewer, administrator: reviewer }, [403]);
/** A public report: only the published year exists in public. */
const publishedOnly = (year: number | undefined) => everyone(year === PUBLISHED_YEAR ? 200 : 404);

/** Who may use each route: 'METHOD /path' as OpenAPI writes it. */
const EXPECTATIONS: Record<string, Expectation> = {
  'GET /': { who: everyone(200), public: true },
  'GET /healthz': { who: everyone(200), public: true },
  'GET /static/*': { who: everyone(200, 404), public: true },
  'GET /api': { who: everyone(200), public: true },
  'GET /favicon.ico': { who: everyone(200), public: true },
  'GET /api/openapi.json': { who: everyone(200), public: true },
  'GET /api/v1/templates': { who: everyone(200), public: true },
  'GET /api/v1/templates/{id}': { who: everyone(200), public: true },
  'OPTIONS /api/v1/validate': { who: everyone(204), public: true },
  'POST /api/v1/validate': { who: everyone(422), public: true, body: 'json' },
  'GET /api/v1/units': { who: everyone(200), public: true },
  'GET /api/v1/reports': { who: everyone(200), public: true },
  // A year with a cycle but nothing published: the header row alone.
  'GET /api/v1/reports.csv': { who: everyone(200), public: true, query: 'year={year}' },
  'GET /api/v1/reports/{unit}/{year}': { who: publishedOnly, public: true },
  'GET /api/v1/reports/{unit}/{year}.csv': { who: publishedOnly, public: true },
  'GET /api/v1/stats/{year}': { who: everyone(200, 404), public: true },
  'GET /feeds/reports.json': { who: everyone(200), public: true },
  'GET /reports': { who: everyone(200), public: true },
  'GET /reports/{unit}': { who: everyone(200), public: true },
  'GET /reports/{unit}/{year}': { who: publishedOnly, public: true },
  'GET /reports/{unit}/{year}.docx': { who: publishedOnly, public: true },
  'GET /stats/{year}': { who: everyone(200, 404), public: true },

  'GET /signin': { who: everyone(200), public: true },
  // A malformed request for a link: refused alike for everyone, nothing mailed.
  'POST /auth/link': { who: everyone(422), public: true, body: 'json' },
  // No token: the dead-link page.
  'GET /auth/verify': { who: everyone(404), public: true },
  'POST /auth/verify': { who: everyone(404), public: true, body: 'form' },
  // Each role signs out a session of its own, made for the request.
  'POST /auth/logout': { who: everyone('signedOut'), public: true, body: 'form' },

  // Any administrator reads a cycle; the progress is cut to the units they manage.
  'GET /api/v1/admin/cycles/{year}': { who: table([401], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'GET /api/v1/admin/cycles/{year}/progress': { who: table([401], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'PUT /api/v1/admin/units/{code}': { who: adminApi('skip'), body: 'json' },
  'PUT /api/v1/admin/people/{email}': { who: adminApi('skip'), body: 'json' },
  'POST /api/v1/admin/people/{email}/invite': { who: adminApi('skip'), body: 'json' },
  'PUT /api/v1/admin/cycles/{year}': { who: adminApi('skip'), body: 'json' },
  'POST /api/v1/admin/import': { who: adminApi('skip'), body: 'json' },
  'POST /api/v1/admin/import/text': { who: adminApi('skip'), body: 'json' },
  'POST /api/v1/admin/import/bulk': { who: adminApi('skip'), body: 'json' },
  'POST /api/v1/admin/reports/{unit}/{year}/reopen': { who: adminApi('skip'), body: 'json' },
  // The probe's body '{}' is a CSV whose header names no column: a 422, nothing written.
  'POST /api/v1/admin/bulk/units': { who: adminApi([422]), body: 'json' },
  'POST /api/v1/admin/bulk/people': { who: adminApi([422]), body: 'json' },

  'GET /api/v1/drafts/{unit}/{year}': { who: viewers([401], [200]) },
  'PUT /api/v1/drafts/{unit}/{year}': { who: editors([401], 'skip'), body: 'json' },
  'POST /api/v1/drafts/{unit}/{year}/submit': { who: editors([401], 'skip'), body: 'json' },

  'GET /app': { who: signedInPage([200]) },
  'GET /app/admin': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'GET /app/admin/bulk': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'GET /app/admin/bulk/units-example.csv': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'GET /app/admin/bulk/people-example.csv': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  // An empty form: neither file nor text, refused (422), nothing written.
  'POST /app/admin/bulk': { who: table([401], { administrator: [422], otherSubtreeAdmin: [422] }, [403]), body: 'form' },
  // Any administrator reads the mail page (cut to the people of the units they manage); a
  // resend names no message here ({id} is not a number): the door is what is checked.
  'GET /app/admin/mail': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'GET /app/admin/audit': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  // The quality view: any administrator, cut to the units they manage (test/worker/quality.test.ts).
  'GET /app/admin/quality': { who: table(['signin'], { administrator: [302], otherSubtreeAdmin: [302] }, [403]) },
  'GET /app/admin/quality/{year}': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'POST /app/admin/mail/{id}/resend': { who: table([401], { administrator: [404], otherSubtreeAdmin: [404] }, [403]), body: 'form' },
  // Corrections: an administrator who manages A; only a published report can be reopened (409 otherwise).
  'GET /app/admin/reports/{unit}/{year}/correct': { who: (year) => table(['signin'], { administrator: [year === PUBLISHED_YEAR ? 200 : 409], otherSubtreeAdmin: [403] }, [403]) },
  'POST /app/admin/reports/{unit}/{year}/correct': { who: table([401], { administrator: 'skip', otherSubtreeAdmin: [403] }, [403]), body: 'form' },
  'GET /app/admin/reports/{unit}/{year}/versions': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [403] }, [403]) },
  // The units pages: administrators only; B is outside what the other subtree's administrator manages.
  'GET /app/admin/units': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'GET /app/admin/units/new': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'POST /app/admin/units': { who: table([401], { administrator: 'skip', otherSubtreeAdmin: [422] }, [403]), body: 'form' },
  'GET /app/admin/units/{code}': { who: table(['signin'], { administrator: [200] }, [403]) },
  'POST /app/admin/units/{code}': { who: table([401], { administrator: 'skip' }, [403]), body: 'form' },
  'GET /app/admin/units/{code}/deactivate': { who: table(['signin'], { administrator: [200] }, [403]) },
  'POST /app/admin/units/{code}/deactivate': { who: table([401], { administrator: 'skip' }, [403]), body: 'form' },
  'POST /app/admin/units/{code}/reactivate': { who: table([401], { administrator: 'skip' }, [403]), body: 'form' },
  // The people pages: clerk.b@ holds B, outside what the other subtree's administrator manages.
  'GET /app/admin/people': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'GET /app/admin/people/new': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'POST /app/admin/people': { who: table([401], { administrator: 'skip', otherSubtreeAdmin: [422] }, [403]), body: 'form' },
  'GET /app/admin/people/{email}': { who: table(['signin'], { administrator: [200] }, [403]) },
  'POST /app/admin/people/{email}': { who: table([401], { administrator: 'skip' }, [403]), body: 'form' },
  'POST /app/admin/people/{email}/invite': { who: table([401], { administrator: 'skip' }, [403]), body: 'form' },
  'GET /app/admin/people/{email}/deactivate': { who: table(['signin'], { administrator: [200] }, [403]) },
  'POST /app/admin/people/{email}/deactivate': { who: table([401], { administrator: 'skip' }, [403]), body: 'form' },
  'POST /app/admin/people/{email}/reactivate': { who: table([401], { administrator: 'skip' }, [403]), body: 'form' },
  // The import page: administrators only; the probe's empty form names what is missing (422).
  'GET /app/admin/import': { who: table(['signin'], { administrator: [200], otherSubtreeAdmin: [200] }, [403]) },
  'POST /app/admin/import/read': { who: table(['signin', 401], { administrator: [422], otherSubtreeAdmin: [422] }, [403]), body: 'form' },
  'POST /app/admin/import': { who: table(['signin', 401], { administrator: [422], otherSubtreeAdmin: [422] }, [403]), body: 'form' },
  // Without a unit and year there is no imported report to confirm.
  'GET /app/admin/import/done': { who: table(['signin'], { administrator: [404], otherSubtreeAdmin: [404] }, [403]) },
  'GET /app/reports/{unit}/{year}': { who: viewers(['signin'], [200]) },
  // The report as it stands, as a Word document: whoever may see the clerk's page.
  'GET /app/reports/{unit}/{year}.docx': { who: viewers(['signin'], [200]) },
  'POST /app/reports/{unit}/{year}': { who: editors([401], 'skip'), body: 'form' },
  // Only a draft has anything to check: a report already sent goes back to its page.
  'GET /app/reports/{unit}/{year}/check': { who: (year) => editors(['signin'], [year === DRAFT_YEAR ? 200 : 303]) },
  'POST /app/reports/{unit}/{year}/submit': { who: editors([401], 'skip'), body: 'form' },
  // Progress and the review list are for supervisors and administrators.
  'GET /app/progress/{year}': { who: table(['signin'], { unitClerk: [403], otherClerk: [403] }, [200]) },
  // 提醒 is an administrator's: another subtree's is refused on A (403), or finds no report (404).
  'POST /app/progress/{year}/{unit}/remind': { who: table([401], { administrator: 'skip', otherSubtreeAdmin: [403] }, [403]), body: 'form' },
  // A cycle covers the whole jurisdiction: an administrator of a subtree may not set it.
  'GET /app/cycles/{year}': { who: table(['signin'], { administrator: [200] }, [403]) },
  'POST /app/cycles/{year}': { who: table([401], { administrator: 'skip' }, [403]), body: 'form' },
  'GET /app/review': { who: table(['signin'], { unitClerk: [403], otherClerk: [403] }, [200]) },
  'GET /app/review/{unit}/{year}': { who: reviewers(['signin'], [200]) },
  'POST /app/review/{unit}/{year}': { who: reviewers([401], 'skip'), body: 'form' },

  // The approval link is the credential: whoever holds it sees the submitted report; an empty
  // decision is refused and decides nothing.
  'GET /review/{token}': { who: everyone(200), linkHolder: true },
  'POST /review/{token}': { who: everyone(422), linkHolder: true, body: 'form' },

  // Development only: not there in tests (ENVIRONMENT=test).
  'GET /dev/mail': { who: everyone(404), public: true },
  'GET /dev/mail.json': { who: everyone(404), public: true },
  'POST /dev/cron': { who: everyone(404), public: true, body: 'form' },
};

const ROUTES = appRoutes();

it('declares who may use every route the app answers', () => {
  const undeclared = ROUTES.filter((r) => !(r in EXPECTATIONS));
  expect(undeclared.map((r) => `declare who may use ${r} in EXPECTATIONS (test/worker/role-matrix.test.ts)`)).toEqual([]);
  const stale = Object.keys(EXPECTATIONS).filter((r) => !ROUTES.includes(r));
  expect(stale.map((r) => `${r} is declared but the app has no such route`)).toEqual([]);
});

describe('every route × every role', () => {
  let world: World;
  const sessionOf: Record<Exclude<Role, 'anonymous'>, () => string> = {
    unitClerk: () => world.emails.clerkA,
    otherClerk: () => world.emails.clerkB,
    parentSupervisor: () => world.emails.supervisorP,
    otherSupervisor: () => world.emails.supervisorQ,
    administrator: () => world.emails.admin,
    otherSubtreeAdmin: () => world.emails.adminQ,
  };

  let cookies: Record<Exclude<Role, 'anonymous'>, string>;

  beforeAll(async () => {
    world = await setUpWorld();
    cookies = {
      unitClerk: world.clerkA,
      otherClerk: world.clerkB,
      parentSupervisor: world.supervisorP,
      otherSupervisor: world.supervisorQ,
      administrator: world.admin,
      otherSubtreeAdmin: world.adminQ,
    };
  }, 30_000);

  /** The path with its parameters filled from the world, once per report year where it names one. */
  function fill(route: string): { path: string; year: number | undefined }[] {
    const query = EXPECTATIONS[route]!.query;
    const path = route.slice(route.indexOf(' ') + 1) + (query ? `?${query}` : '');
    const years = (path.includes('{unit}') && path.includes('{year}')) || query?.includes('{year}') ? [PUBLISHED_YEAR, SUBMITTED_YEAR, DRAFT_YEAR] : path.includes('{year}') ? [DRAFT_YEAR] : [undefined];
    return years.map((year) => ({
      year,
      path: path
        .replace('{unit}', 'A')
        .replaceAll('{year}', String(year))
        .replace('{code}', 'B')
        .replace('{email}', encodeURIComponent(world.emails.clerkB))
        .replace('{id}', 'gov-2021')
        .replace('{token}', world.reviewToken)
        .replace('/*', '/app.css'),
    }));
  }

  async function send(role: Role, method: string, path: string, body: Expectation['body']) {
    const headers: Record<string, string> = { Origin: 'https://nianbao.test' };
    // Signing out ends a session of its own, made for the request.
    if (role !== 'anonymous') headers.Cookie = method === 'POST' && path === '/auth/logout' ? await sessionCookie(sessionOf[role]()) : cookies[role];
    let payload: string | undefined;
    if (body === 'json') {
      headers['Content-Type'] = 'application/json';
      payload = '{}';
    } else if (body === 'form') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      payload = '';
    }
    return request(method, path, { headers, body: payload ?? null });
  }

  it.each(ROUTES.filter((r) => r in EXPECTATIONS))('%s', async (route) => {
    const expectation = EXPECTATIONS[route]!;
    const method = route.slice(0, route.indexOf(' '));
    const failures: string[] = [];
    for (const { path, year } of fill(route)) {
      const who = typeof expectation.who === 'function' ? expectation.who(year) : expectation.who;
      // Reads go out together; each write alone, between two counts of the rows.
      const probe = async (role: Role) => {
        const allowed = who[role];
        if (allowed === 'skip') return;
        const before = method === 'GET' ? undefined : await stateCounts();
        const res = await send(role, method, path, expectation.body);
        const text = await res.text();
        const location = res.headers.get('Location') ?? '';
        const outcome: Outcome =
          res.status === 303 && location.startsWith('/signin?next=') ? 'signin' : res.status === 303 && location === '/signin?signed_out=1' ? 'signedOut' : res.status;
        if (!allowed.includes(outcome)) failures.push(`${role} ${method} ${path}: ${outcome}, expected ${allowed.join(' or ')}`);
        const entitled = expectation.linkHolder || (!expectation.public && SEES_UNPUBLISHED.has(role));
        const leak = entitled ? undefined : leakedSecret(text);
        if (leak) failures.push(`${role} ${method} ${path}: the response holds the unpublished "${leak}"`);
        // A refused write, or a harmless one, changes none of the report's rows.
        if (before && route !== 'POST /auth/logout') {
          const after = await stateCounts();
          if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${role} ${method} ${path}: changed ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
        }
      };
      if (method === 'GET') await Promise.all(ROLES.map(probe));
      else for (const role of ROLES) await probe(role);
    }
    expect(failures).toEqual([]);
  });
});
