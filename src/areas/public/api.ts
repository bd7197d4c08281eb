// The public JSON and CSV API (api.md "Public"): units, published reports, their CSV, the bulk
// CSV of a year and the statistics of a year. Only published versions, from any origin, with
// ETag/304, a short public lifetime, and answers kept in the cache until the data changes.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { notFound } from '../../http/errors';
import { defineRoute } from '../../http/route';
import { publicResponses } from '../../http/public';
import { publicOrigin } from '../../http/origin';
import { listPublished, listUnits, loadPublished, yearStats, yearTemplate } from '../../publication/queries';
import { CSV_PAGE_SIZE, lastPublication, publishedPage, REPORTS_CURSOR, yearReportsPage } from '../../publication/pages';
import { cachedByDataVersion } from '../../http/response-cache';
import { bulkCsvStream, reportCsv, reportDetail, reportSummary } from './report-view';
import { csvResponse, nothingPublished, requireKnownUnit, setLastModified } from './respond';
import { nextUrl, publicStream, readCursor } from './paging';
import {
  BulkCsvQuery,
  ReportDetail,
  ReportPath,
  ReportQuery,
  ReportsQuery,
  ReportsResponse,
  StatsQuery,
  StatsResponse,
  UnitsQuery,
  UnitsResponse,
  YearPath,
  type ReportsOut,
  type StatsOut,
  type UnitsOut,
} from './schemas';

/** Mounted at /api/v1. Middleware is per route: this router shares its prefix with others. */
export const publicApiRoutes = new Hono<AppEnv>();

const cachedPublic = [publicResponses, cachedByDataVersion] as const;
/** Reports per page when a page is asked for without a limit. */
const REPORTS_PAGE_SIZE = 100;
const CSV = { mediaType: 'text/csv', description: 'UTF-8 with BOM, RFC 4180' };

defineRoute(publicApiRoutes, {
  method: 'get',
  path: '/units',
  summary: '单位 · units',
  access: 'public',
  use: cachedPublic,
  query: UnitsQuery,
  answer: { status: 200, schema: UnitsResponse },
  handle: async (c, { query: { within } }) => {
    await requireKnownUnit(c, within, 'within');
    const units: UnitsOut['units'] = await listUnits(c.get('db'), within ?? null);
    return c.json({ units });
  },
});

defineRoute(publicApiRoutes, {
  method: 'get',
  path: '/reports',
  summary: '已发布的报告（最新的在前）· published reports, newest first',
  access: 'public',
  use: cachedPublic,
  query: ReportsQuery,
  answer: { status: 200, schema: ReportsResponse },
  handle: async (c, { query: { limit, cursor, ...filter } }) => {
    await requireKnownUnit(c, filter.unit, 'unit');
    await requireKnownUnit(c, filter.within, 'within');
    const origin = publicOrigin(c);
    // Paged when asked (limit or cursor): keyset pagination; otherwise the whole list, as before.
    if (limit !== undefined || cursor !== undefined) {
      const page = await publishedPage(c.get('db'), filter, limit ?? REPORTS_PAGE_SIZE, readCursor(c, cursor, REPORTS_CURSOR));
      setLastModified(c, Math.max(0, ...page.rows.map((r) => r.publishedAt)));
      const body: ReportsOut = { reports: page.rows.map((r) => reportSummary(origin, r)) };
      if (page.next) body.next = nextUrl(c, origin, page.next);
      return c.json(body);
    }
    const reports = await listPublished(c.get('db'), filter);
    setLastModified(c, Math.max(0, ...reports.map((r) => r.publishedAt)));
    return c.json({ reports: reports.map((r) => reportSummary(origin, r)) });
  },
});

defineRoute(publicApiRoutes, {
  method: 'get',
  path: '/reports.csv',
  summary: '一个年度的全部报告，每份一行，每个单元格一列 · one row per report, one column per cell',
  description: '第一行为单元格键，第二行为中文标签；逐页流式输出 · header row of keys, then a row of labels; streamed page by page',
  access: 'public',
  // Streamed, so neither kept whole in the cache nor hashed for an ETag: Last-Modified instead.
  use: [publicStream],
  query: BulkCsvQuery,
  answer: { status: 200, ...CSV },
  handle: async (c, { query: { year, within } }) => {
    await requireKnownUnit(c, within, 'within');
    const db = c.get('db');
    const template = await yearTemplate(db, year);
    setLastModified(c, await lastPublication(db, year, within ?? null, template.id));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `inline; filename="reports-${year}${within ? `-${within}` : ''}.csv"`);
    return c.body(bulkCsvStream(template, CSV_PAGE_SIZE, (after) => yearReportsPage(db, year, within ?? null, template.id, after)));
  },
});

// The CSV first: its path would also match the JSON route's {year}, which would refuse '2018.csv'.
defineRoute(publicApiRoutes, {
  method: 'get',
  path: '/reports/{unit}/{year}.csv',
  summary: '一份报告的 CSV，每个单元格一行 · one line per cell: table,row,column,label,unit,value',
  access: 'public',
  use: cachedPublic,
  params: ReportPath,
  badPath: nothingPublished,
  query: ReportQuery,
  answer: { status: 200, ...CSV },
  handle: async (c, { params: { unit, year }, query: { version } }) => {
    const report = await loadPublished(c.get('db'), unit, year, version);
    if (!report) throw nothingPublished();
    setLastModified(c, report.shown.publishedAt);
    return csvResponse(c, reportCsv(report), `${report.unitCode}-${report.year}-v${report.shown.version}.csv`);
  },
});

defineRoute(publicApiRoutes, {
  method: 'get',
  path: '/reports/{unit}/{year}',
  summary: '一份已发布的报告（默认最新版本）· one published report',
  access: 'public',
  use: cachedPublic,
  params: ReportPath,
  badPath: nothingPublished,
  query: ReportQuery,
  answer: { status: 200, schema: ReportDetail },
  handle: async (c, { params: { unit, year }, query: { version } }) => {
    const report = await loadPublished(c.get('db'), unit, year, version);
    if (!report) throw nothingPublished();
    setLastModified(c, report.shown.publishedAt);
    return c.json(reportDetail(publicOrigin(c), report, version));
  },
});

defineRoute(publicApiRoutes, {
  method: 'get',
  path: '/stats/{year}',
  summary: '一个年度已发布报告的各单元格之和 · sums of every cell over a year’s published reports',
  access: 'public',
  use: cachedPublic,
  params: YearPath,
  badPath: notFound,
  query: StatsQuery,
  answer: { status: 200, schema: StatsResponse },
  handle: async (c, { params: { year }, query: { within } }) => {
    await requireKnownUnit(c, within, 'within');
    const stats = await yearStats(c.get('db'), year, within ?? null);
    setLastModified(c, stats.lastPublishedAt);
    const body: StatsOut = {
      year: stats.year,
      template: stats.template.id,
      within: within ?? null,
      units_expected: stats.unitsExpected,
      units_published: stats.unitsPublished,
      units_on_time: stats.unitsOnTime,
      cells: stats.cells,
    };
    return c.json(body);
  },
});
