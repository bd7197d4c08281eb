// GET /api/openapi.json: a structurally valid OpenAPI 3.1 document generated from the routes'
// own declarations (at build time, scripts/build-client.mjs → static/openapi.json: the file
// served must be the document the routes give now), covering every JSON API the app routes (a route added without a declaration
// fails here), with the fields api.md promises; and the /api docs page.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { openApiDocument } from '../../src/areas/public/openapi';
import { openApiPath } from '../../src/http/route';
import { get, putUnit } from './publication-helpers';

type Schema = Record<string, unknown>;
type Operation = {
  summary: string;
  responses: Record<string, { description: string; content?: Record<string, { schema?: Schema }> }>;
  parameters?: { name: string; in: string; required: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  security?: Record<string, string[]>[];
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>; securitySchemes: Record<string, unknown> };
};

const document = async () => (await (await get('/api/openapi.json')).json()) as Doc;

/** What the app routes: [method, OpenAPI path], middleware (ALL) and CORS preflights left out. */
function routed(): [string, string][] {
  const seen = new Set<string>();
  return createApp()
    .routes.filter((r) => !['ALL', 'OPTIONS', 'HEAD'].includes(r.method))
    .map((r): [string, string] => [r.method.toLowerCase(), openApiPath(r.path)])
    .filter(([method, path]) => !seen.has(`${method} ${path}`) && Boolean(seen.add(`${method} ${path}`)));
}

/** A JSON API is anything under /api/ but the document itself and the page about it. */
const isJsonApi = (path: string) => path.startsWith('/api/') && path !== '/api/openapi.json';

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1, cacheable and readable from any origin', async () => {
    const res = await get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('ETag')).toBeTruthy();
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
  });

  it('served is the document the app’s routes give (the build wrote it from this code)', async () => {
    const generated = JSON.parse(JSON.stringify(openApiDocument(createApp().routes))) as Doc;
    expect(await document(), 'static/openapi.json is stale: run node scripts/build-client.mjs').toEqual(generated);
  });

  it('describes every JSON API route the app has, and nothing it does not route', async () => {
    const doc = await document();
    const apis = routed().filter(([, path]) => isJsonApi(path));
    expect(apis.length).toBeGreaterThan(15);
    for (const [method, path] of apis) expect(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is not in the OpenAPI document`).toBeDefined();
    const all = new Set(routed().map(([method, path]) => `${method} ${path}`));
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations)) expect(all, `${method} ${path}`).toContain(`${method} ${path}`);
    }
    // Beside /api/…: the feed, the sign-in link, and the two public pages it always described.
    for (const [method, path] of [
      ['get', '/feeds/reports.json'],
      ['post', '/auth/link'],
      ['get', '/reports/{unit}/{year}'],
      ['get', '/stats/{year}'],
    ]) {
      expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
    }
    // Development-only routes stay out.
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/dev/'))).toEqual([]);
  });

  it('is structurally valid: every parameter, request body and answer has a schema, every $ref resolves', async () => {
    const doc = await document();
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const at = `${method} ${path}`;
        expect(['get', 'post', 'put'], at).toContain(method);
        expect(operation.summary, at).toBeTruthy();
        expect(Object.keys(operation.responses).some((s) => /^2\d\d$/.test(s)), `${at} has a success answer`).toBe(true);
        // Every {param} of the path is declared as a required path parameter, and nothing else is.
        const named = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
        expect(declared.map((p) => p.name).sort(), at).toEqual([...named].sort());
        for (const p of declared) expect(p.required, `${at} ${p.name}`).toBe(true);
        for (const p of operation.parameters ?? []) {
          expect(['path', 'query'], `${at} ${p.name}`).toContain(p.in);
          expect(p.schema, `${at} ${p.name}`).toBeTypeOf('object');
        }
        if (operation.requestBody) {
          const content = Object.values(operation.requestBody.content);
          expect(content.length, at).toBeGreaterThan(0);
          for (const media of content) expect(media.schema, `${at} body`).toBeTypeOf('object');
        }
        for (const [status, answer] of Object.entries(operation.responses)) {
          expect(answer.description, `${at} ${status}`).toBeTruthy();
          for (const media of Object.values(answer.content ?? {})) expect(media.schema, `${at} ${status}`).toBeTypeOf('object');
        }
        for (const scheme of (operation.security ?? []).flatMap((s) => Object.keys(s))) {
          expect(Object.keys(doc.components.securitySchemes), `${at} ${scheme}`).toContain(scheme);
        }
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(Object.keys(doc.components.schemas), ref).toContain(ref.replace('#/components/schemas/', ''));
    }
  });

  it('describes the answers with the fields api.md gives, generated from the schemas', async () => {
    const doc = await document();
    const fields = (name: string) => Object.keys(doc.components.schemas[name]?.properties ?? {});
    expect(fields('ReportDetail')).toEqual(
      expect.arrayContaining(['unit', 'unit_name', 'year', 'template', 'version', 'published_at', 'submitted_at', 'deadline', 'on_time', 'sections', 'cells', 'explanations', 'versions']),
    );
    expect(fields('StatsResponse')).toEqual(expect.arrayContaining(['year', 'template', 'units_expected', 'units_published', 'units_on_time', 'cells']));
    expect(fields('Feed')).toEqual(expect.arrayContaining(['version', 'title', 'home_page_url', 'feed_url', 'items']));
    expect(fields('ImportBody')).toEqual(expect.arrayContaining(['unit', 'year', 'template', 'sections', 'cells', 'published_at']));
    expect(doc.components.schemas.ImportBody?.required).toEqual(expect.arrayContaining(['unit', 'year', 'template', 'sections', 'cells', 'published_at']));
    expect(fields('ValidateBody')).toEqual(expect.arrayContaining(['template', 'cells', 'previous', 'stage']));
    const reports = doc.paths['/api/v1/reports']!.get!;
    expect(reports.parameters?.map((p) => [p.name, p.in, p.required])).toEqual([
      ['year', 'query', false],
      ['unit', 'query', false],
      ['within', 'query', false],
      ['limit', 'query', false],
      ['cursor', 'query', false],
    ]);
  });

  it('describes the drafts and administration APIs: their bodies, answers and who may call them', async () => {
    const doc = await document();
    const draft = doc.paths['/api/v1/drafts/{unit}/{year}']!;
    const body = (op: Operation) => op.requestBody!.content['application/json']!.schema as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(body(draft.put!).properties)).toEqual(expect.arrayContaining(['revision', 'sections', 'cells', 'explanations']));
    expect(body(draft.put!).required).toEqual(['revision']);
    expect(Object.keys(draft.put!.responses)).toEqual(expect.arrayContaining(['200', '403', '409', '422']));
    expect(draft.get!.security).toEqual([{ session: [] }]);
    const answer = draft.get!.responses['200']!.content!['application/json']!.schema as { properties: Record<string, unknown> };
    expect(Object.keys(answer.properties)).toEqual(expect.arrayContaining(['status', 'revision', 'template', 'deadline', 'sections', 'cells', 'explanations', 'issues']));
    expect(doc.paths['/api/v1/drafts/{unit}/{year}/submit']?.post).toBeDefined();

    const unit = doc.paths['/api/v1/admin/units/{code}']!.put!;
    expect(unit.security).toEqual([{ adminToken: [] }, { session: [] }]);
    expect(Object.keys(unit.responses)).toEqual(expect.arrayContaining(['200', '201', '401', '403', '422']));
    expect(Object.keys(body(doc.paths['/api/v1/admin/people/{email}']!.put!).properties)).toEqual(expect.arrayContaining(['name', 'role', 'units']));
    expect(Object.keys(body(doc.paths['/api/v1/admin/cycles/{year}']!.put!).properties)).toEqual(
      expect.arrayContaining(['template', 'deadline', 'reminder_days', 'units']),
    );
    expect(doc.paths['/api/v1/admin/cycles/{year}']?.get).toBeDefined();
    expect(doc.paths['/api/v1/admin/cycles/{year}/progress']?.get?.parameters?.map((p) => p.name)).toEqual(['year', 'within']);
    expect(Object.keys(body(doc.paths['/api/v1/admin/reports/{unit}/{year}/reopen']!.post!).properties)).toEqual(['reason']);
    expect(Object.keys(body(doc.paths['/auth/link']!.post!).properties)).toEqual(expect.arrayContaining(['email']));
  });
});

describe('the /api docs page', () => {
  it('lists the endpoints and links the document', async () => {
    await putUnit('ZS-DH', '定海区人民政府');
    const res = await get('/api');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/api/openapi.json"');
    for (const path of ['/api/v1/reports', '/api/v1/stats/{year}', '/feeds/reports.json', '/api/v1/admin/import', '/api/v1/drafts/{unit}/{year}', '/api/v1/admin/units/{code}']) {
      expect(html).toContain(path);
    }
  });
});
