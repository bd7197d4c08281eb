// GET /api/openapi.json: a valid-looking OpenAPI 3.1 document generated from the routes' valibot
// schemas, naming every public path and every field api.md promises; and the /api docs page.
import { describe, expect, it } from 'vitest';
import { get, putUnit } from './publication-helpers';

type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string; in: string; required: boolean }[] }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
};

const PUBLIC_PATHS = [
  '/api/v1/templates',
  '/api/v1/templates/{id}',
  '/api/v1/validate',
  '/api/v1/units',
  '/api/v1/reports',
  '/api/v1/reports/{unit}/{year}',
  '/api/v1/reports/{unit}/{year}.csv',
  '/api/v1/reports.csv',
  '/api/v1/stats/{year}',
  '/feeds/reports.json',
  '/reports/{unit}/{year}',
];

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 naming every public path, cacheable and readable from any origin', async () => {
    const res = await get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('ETag')).toBeTruthy();
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    for (const path of PUBLIC_PATHS) expect(Object.keys(doc.paths), path).toContain(path);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(['get', 'post'], `${method} ${path}`).toContain(method);
        expect(Object.keys(operation.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        // Every {param} of the path is declared as a required path parameter.
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          expect(operation.parameters?.find((p) => p.name === name && p.in === 'path' && p.required), `${path} ${name}`).toBeTruthy();
        }
      }
    }
  });

  it('describes the answers with the fields api.md gives, generated from the schemas', async () => {
    const doc = (await (await get('/api/openapi.json')).json()) as Doc;
    const fields = (name: string) => Object.keys(doc.components.schemas[name]?.properties ?? {});
    expect(fields('ReportDetail')).toEqual(
      expect.arrayContaining(['unit', 'unit_name', 'year', 'template', 'version', 'published_at', 'submitted_at', 'deadline', 'on_time', 'sections', 'cells', 'explanations', 'versions']),
    );
    expect(fields('StatsResponse')).toEqual(expect.arrayContaining(['year', 'template', 'units_expected', 'units_published', 'units_on_time', 'cells']));
    expect(fields('Feed')).toEqual(expect.arrayContaining(['version', 'title', 'home_page_url', 'feed_url', 'items']));
    expect(fields('ImportBody')).toEqual(expect.arrayContaining(['unit', 'year', 'template', 'sections', 'cells', 'published_at']));
    expect(doc.components.schemas.ImportBody?.required).toEqual(expect.arrayContaining(['unit', 'year', 'template', 'sections', 'cells', 'published_at']));
    const reports = doc.paths['/api/v1/reports']!.get!;
    expect(reports.parameters?.map((p) => [p.name, p.in, p.required])).toEqual([
      ['year', 'query', false],
      ['unit', 'query', false],
      ['within', 'query', false],
    ]);
    // Every $ref points at a schema the document has.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(Object.keys(doc.components.schemas), ref).toContain(ref);
  });
});

describe('the /api docs page', () => {
  it('lists the endpoints and links the document', async () => {
    await putUnit('ZS-DH', '定海区人民政府');
    const res = await get('/api');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/api/openapi.json"');
    for (const path of ['/api/v1/reports', '/api/v1/stats/{year}', '/feeds/reports.json', '/api/v1/admin/import']) expect(html).toContain(path);
  });
});
