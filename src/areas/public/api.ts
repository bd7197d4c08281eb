// The public JSON and CSV API (api.md "Public"): units, published reports, their CSV, the bulk
// CSV of a year and the statistics of a year. Only published versions, from any origin, with
// ETag/304, a short public lifetime, and answers kept in the cache until the data changes.
import { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { notFound } from '../../http/errors';
import { publicResponses } from '../../http/public';
import { publicOrigin } from '../../http/origin';
import { listPublished, listPublishedWithCells, listUnits, loadPublished, yearStats, yearTemplate } from '../../publication/queries';
import { cachedByDataVersion } from '../../http/response-cache';
import { bulkCsv, reportCsv, reportDetail, reportSummary } from './report-view';
import { csvResponse, nothingPublished, pathYear, readQuery, requireKnownUnit, setLastModified } from './respond';
import {
  BulkCsvQuery,
  ReportQuery,
  ReportsQuery,
  StatsQuery,
  UnitsQuery,
  type StatsOut,
  type UnitsOut,
} from './schemas';

/** Mounted at /api/v1. Middleware is per route: this router shares its prefix with others. */
export const publicApiRoutes = new Hono<AppEnv>();

const cachedPublic = [publicResponses, cachedByDataVersion] as const;

publicApiRoutes.get('/units', ...cachedPublic, async (c) => {
  const { within } = readQuery(c, UnitsQuery);
  await requireKnownUnit(c, within, 'within');
  const units: UnitsOut['units'] = await listUnits(c.get('db'), within ?? null);
  return c.json({ units });
});

publicApiRoutes.get('/reports', ...cachedPublic, async (c) => {
  const filter = readQuery(c, ReportsQuery);
  await requireKnownUnit(c, filter.unit, 'unit');
  await requireKnownUnit(c, filter.within, 'within');
  const reports = await listPublished(c.get('db'), filter);
  setLastModified(c, Math.max(0, ...reports.map((r) => r.publishedAt)));
  const origin = publicOrigin(c);
  return c.json({ reports: reports.map((r) => reportSummary(origin, r)) });
});

publicApiRoutes.get('/reports.csv', ...cachedPublic, async (c) => {
  const { year, within } = readQuery(c, BulkCsvQuery);
  await requireKnownUnit(c, within, 'within');
  const template = await yearTemplate(c.get('db'), year);
  const reports = (await listPublishedWithCells(c.get('db'), year, within ?? null)).filter((r) => r.template === template.id);
  setLastModified(c, Math.max(0, ...reports.map((r) => r.publishedAt)));
  return csvResponse(c, bulkCsv(template, reports), `reports-${year}${within ? `-${within}` : ''}.csv`);
});

/** /reports/{unit}/{year} (JSON) and /reports/{unit}/{year}.csv. */
publicApiRoutes.get('/reports/:unit/:year', ...cachedPublic, async (c) => {
  const unit = c.req.param('unit');
  const [yearText, extension] = c.req.param('year').split(/\.(?=csv$)/);
  const year = pathYear(yearText);
  const { version } = readQuery(c, ReportQuery);
  const report = year === undefined ? undefined : await loadPublished(c.get('db'), unit, year, version);
  if (!report) throw nothingPublished();
  setLastModified(c, report.shown.publishedAt);
  if (extension === 'csv') {
    return csvResponse(c, reportCsv(report), `${report.unitCode}-${report.year}-v${report.shown.version}.csv`);
  }
  return c.json(reportDetail(publicOrigin(c), report, version));
});

publicApiRoutes.get('/stats/:year', ...cachedPublic, async (c) => {
  const year = pathYear(c.req.param('year'));
  const { within } = readQuery(c, StatsQuery);
  if (year === undefined) throw notFound();
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
});
