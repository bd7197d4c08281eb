// The public web pages (server-rendered, Chinese, printable): /reports, /reports/{unit},
// /reports/{unit}/{year}[?version=N] and /stats/{year}[?within=]. Only published versions; an
// unknown unit or a report never published is a 404 page.
import { Hono, type Context } from 'hono';
import { getTemplate, templateForYear } from '../../core';
import { trendCells, TREND_METRICS } from '../../core/charts';
import type { AppEnv } from '../../http/app-env';
import { notFound } from '../../http/errors';
import { publicResponses } from '../../http/public';
import { publicOrigin } from '../../http/origin';
import { findUnit, listPublished, loadPublished, unitPublications, yearlySums, yearStats } from '../../publication/queries';
import { cachedByDataVersion } from '../../http/response-cache';
import { pathYear, readQuery, requireKnownUnit, setLastModified } from './respond';
import { ReportQuery, ReportsQuery, StatsQuery } from './schemas';
import { ReportsIndexPage, UnitPage } from './views/index-pages';
import { ReportPage } from './views/report-page';
import { StatsPage } from './views/stats-page';

export const publicPageRoutes = new Hono<AppEnv>();

const cachedPublic = [publicResponses, cachedByDataVersion] as const;

const unitName = async (c: Context<AppEnv>, code: string | undefined) =>
  code === undefined ? undefined : (await findUnit(c.get('db'), code))?.name;

publicPageRoutes.get('/reports', ...cachedPublic, async (c) => {
  const filter = readQuery(c, ReportsQuery);
  await requireKnownUnit(c, filter.unit, 'unit');
  await requireKnownUnit(c, filter.within, 'within');
  const reports = await listPublished(c.get('db'), filter);
  setLastModified(c, Math.max(0, ...reports.map((r) => r.publishedAt)));
  return c.html(<ReportsIndexPage reports={reports} withinName={await unitName(c, filter.within)} />);
});

publicPageRoutes.get('/reports/:unit', ...cachedPublic, async (c) => {
  const unit = await findUnit(c.get('db'), c.req.param('unit'));
  const years = unit ? await unitPublications(c.get('db'), unit.id) : [];
  if (!unit || years.length === 0) throw notFound();
  setLastModified(c, Math.max(...years.map((y) => y.publishedAt)));
  const withTemplates = years.map((y) => ({ ...y, templateDef: getTemplate(y.template) ?? templateForYear(y.year) }));
  return c.html(<UnitPage unitCode={unit.code} unitName={unit.name} years={withTemplates} />);
});

publicPageRoutes.get('/reports/:unit/:year', ...cachedPublic, async (c) => {
  const year = pathYear(c.req.param('year'));
  const { version } = readQuery(c, ReportQuery);
  const report = year === undefined ? undefined : await loadPublished(c.get('db'), c.req.param('unit'), year, version);
  if (!report) throw notFound();
  setLastModified(c, report.shown.publishedAt);
  return c.html(<ReportPage report={report} origin={publicOrigin(c)} />);
});

publicPageRoutes.get('/stats/:year', ...cachedPublic, async (c) => {
  const year = pathYear(c.req.param('year'));
  if (year === undefined) throw notFound();
  const { within } = readQuery(c, StatsQuery);
  await requireKnownUnit(c, within, 'within');
  const [stats, trend, name] = await Promise.all([
    yearStats(c.get('db'), year, within ?? null),
    yearlySums(c.get('db'), (t) => TREND_METRICS.flatMap((m) => trendCells(t, m.key)), within ?? null),
    unitName(c, within),
  ]);
  setLastModified(c, stats.lastPublishedAt);
  return c.html(<StatsPage stats={stats} within={within && name ? { code: within, name } : undefined} trend={trend} />);
});
