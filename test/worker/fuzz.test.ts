// Hostile input to every JSON endpoint, read off the app's own OpenAPI document (so a route added
// tomorrow is fuzzed tomorrow): bodies of the wrong type, huge, deeply nested, with NaN, Infinity
// and 1e400, odd unicode, arrays for objects, prototype keys, invalid JSON, the wrong content
// type, oversized; query strings likewise. Sent with the credentials each route needs (the
// ADMIN_TOKEN, the unit's clerk's session) so the input reaches the parser. The app must never
// answer 5xx, and a refused request must change nothing (the tables' rows, the audit trail).
// Seeded and bounded, so CI is repeatable and quick.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { openApiDocument } from '../../src/areas/public/openapi';
import { DRAFT_YEAR, PUBLISHED_YEAR, request, setUpWorld, stateCounts, type World } from './probe-helpers';
import { ADMIN_TOKEN } from './report-helpers';

const SEED = 20261130;
const BODY_RUNS = 30;
const QUERY_RUNS = 20;

type Json = Record<string, unknown>;
const doc = openApiDocument(createApp().routes) as unknown as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

/** A schema with its $ref followed. */
const resolve = (schema: Json | undefined): Json | undefined => {
  const ref = schema?.$ref;
  return typeof ref === 'string' ? resolve(doc.components.schemas[ref.split('/').at(-1)!]) : schema;
};

interface Endpoint {
  method: string;
  path: string;
  access: 'public' | 'signed-in' | 'admin';
  bodyFields?: string[];
  queryFields: string[];
}

const ENDPOINTS: Endpoint[] = Object.entries(doc.paths).flatMap(([path, operations]) =>
  Object.entries(operations).map(([method, op]) => {
    const security = op.security as { adminToken?: unknown; session?: unknown }[] | undefined;
    const body = resolve((op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content?.['application/json']?.schema);
    const parameters = (op.parameters as { name: string; in: string }[] | undefined) ?? [];
    return {
      method: method.toUpperCase(),
      path,
      access: !security ? 'public' : security.some((s) => 'adminToken' in s) ? 'admin' : 'signed-in',
      ...(body ? { bodyFields: Object.keys((body.properties as Json | undefined) ?? {}) } : {}),
      queryFields: parameters.filter((p) => p.in === 'query').map((p) => p.name),
    } satisfies Endpoint;
  }),
);

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

const deep = (depth: number, open: string, close: string, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);

/** Text the body parser, a regex or a database might choke on. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\uFEFF', '\uD800', '\u202E', 'é', '🏛️‍🔥', '%00', '../..', "'; drop table reports; --", '<script>alert(1)</script>', '=HYPERLINK("http://x")', 'NaN', '-0', '1e400'),
  fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)),
);

/** A value of any JSON type, hostile where it can be. */
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.constantFrom(0, -1, 1.5, -0, 2 ** 53 + 1, Number.MAX_VALUE, 1e20, 10_000_000_000, true, false, null),
    fc.double(),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Raw JSON text with what JSON.stringify never writes: literals JSON does not have, depth, size. */
function rawBodies(fields: string[]): fc.Arbitrary<string> {
  const field = fields.length ? fc.constantFrom(...fields) : fc.constant('x');
  return fc.oneof(
    field.chain((f) => fc.constantFrom(`{"${f}": NaN}`, `{"${f}": Infinity}`, `{"${f}": -Infinity}`, `{"${f}": 1e400}`, `{"${f}": -1e400}`, `{"${f}": 0x10}`, `{"${f}": undefined}`, `{"${f}": "\\ud800"}`)),
    fc.constantFrom('', '{', '}', '[]', 'null', '"text"', '42', 'true', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}', '\uFEFF{}', '{"__proto__": {"isAdmin": true}}', '{"constructor": {"prototype": {"isAdmin": true}}}'),
    fc.integer({ min: 100, max: 20_000 }).map((n) => deep(n, '[', ']')),
    fc.integer({ min: 100, max: 20_000 }).map((n) => deep(n, '{"a":', '}')),
    fc.string({ unit: 'binary', maxLength: 200 }),
    // Oversized: megabytes of one field.
    field.map((f) => JSON.stringify({ [f]: 'y'.repeat(3_000_000) })),
  );
}

/** An object with the route's own field names (so the parser looks deeper) holding hostile values. */
const hostileObject = (fields: string[]) =>
  fc
    .record({
      named: fc.dictionary(fields.length ? fc.constantFrom(...fields) : fc.string({ maxLength: 8 }), hostileValue, { maxKeys: Math.max(1, fields.length) }),
      extra: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'revision', 'cells'), hostileValue, { maxKeys: 2 }),
    })
    .map(({ named, extra }) => {
      // JSON.parse makes "__proto__" an own key; build the text so that it stays one here too.
      const entries = [...Object.entries(named), ...Object.entries(extra)].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`);
      return `{${entries.join(',')}}`;
    });

const CONTENT_TYPES = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/json; boundary=zz',
  '',
);

const hostileBody = (fields: string[]) =>
  fc.record({
    text: fc.oneof(hostileObject(fields), rawBodies(fields), hostileValue.map((v) => JSON.stringify(v) ?? 'null')),
    contentType: CONTENT_TYPES,
  });

/** A query string: the route's parameters (and a stranger) with hostile values, some repeated. */
const hostileQuery = (fields: string[]) =>
  fc
    .array(fc.tuple(fc.constantFrom(...fields, 'zz', '__proto__'), fc.oneof(hostileText.filter((t) => t.length < 5000), fc.constantFrom('1e400', '-1', '99999999999999999999', '2022.5', '%', '%zz', '0x7e6'))), { maxLength: 5 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${/^%/.test(v) ? v : encodeURIComponent(v)}`).join('&'));

// ---------------------------------------------------------------------------------------------

let world: World;

beforeAll(async () => {
  world = await setUpWorld();
}, 30_000);

/** The path with its parameters filled from the world: targets a refused write may not harm. */
const fill = (path: string) =>
  path
    .replace('{unit}', 'A')
    .replace('{year}.csv', `${PUBLISHED_YEAR}.csv`)
    .replace(/\/admin\/reports\/\{unit\}\/\{year\}/, `/admin/reports/A/${PUBLISHED_YEAR}`)
    .replace('{year}', String(DRAFT_YEAR))
    .replace('{code}', 'FUZZ')
    .replace('{email}', 'fuzz%40nianbao.test')
    .replace('{id}', 'gov-2021');

const credentials = (e: Endpoint): Record<string, string> =>
  e.access === 'admin' ? ADMIN_TOKEN : e.access === 'signed-in' ? { Cookie: world.clerkA } : {};

it('finds the JSON endpoints in the OpenAPI document', () => {
  expect(ENDPOINTS.filter((e) => e.bodyFields).length).toBeGreaterThanOrEqual(10);
  expect(ENDPOINTS.filter((e) => e.queryFields.length).length).toBeGreaterThanOrEqual(8);
});

describe('hostile bodies: never a 5xx; refused, nothing changes', () => {
  it.each(ENDPOINTS.filter((e) => e.bodyFields).map((e) => [`${e.method} ${e.path}`, e] as const))('%s', async (_, endpoint) => {
    const path = fill(endpoint.path);
    await fc.assert(
      fc.asyncProperty(hostileBody(endpoint.bodyFields!), async ({ text, contentType }) => {
        const before = await stateCounts();
        const headers: Record<string, string> = { ...credentials(endpoint), Origin: 'https://nianbao.test' };
        if (contentType) headers['Content-Type'] = contentType;
        const res = await request(endpoint.method, path, { headers, body: text });
        const answer = await res.text();
        expect(res.status, `${endpoint.method} ${path} ${contentType} ${text.slice(0, 200)} → ${answer.slice(0, 300)}`).toBeLessThan(500);
        if (res.status >= 400) expect(await stateCounts(), `${endpoint.method} ${path} ${text.slice(0, 200)}`).toEqual(before);
      }),
      { seed: SEED, numRuns: BODY_RUNS },
    );
  }, 60_000);
});

describe('hostile query strings: never a 5xx', () => {
  it.each(ENDPOINTS.filter((e) => e.queryFields.length).map((e) => [`${e.method} ${e.path}`, e] as const))('%s', async (_, endpoint) => {
    const path = fill(endpoint.path);
    await fc.assert(
      fc.asyncProperty(hostileQuery(endpoint.queryFields), async (query) => {
        const res = await request(endpoint.method, `${path}?${query}`, { headers: credentials(endpoint) });
        const answer = await res.text();
        expect(res.status, `${endpoint.method} ${path}?${query.slice(0, 300)} → ${answer.slice(0, 300)}`).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: QUERY_RUNS },
    );
  }, 60_000);
});
