// The public web pages (server-rendered, Chinese or English as asked, printable): /reports, /reports/{unit},
// /reports/{unit}/{year}[?version=N] and /stats/{year}[?within=]. Only published versions; an
// unknown unit or a report never published is a 404 page.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getTemplate, templateForYear } from '../../core';
import { trendCells, TREND_METRICS } from '../../core/charts';
import type { AppEnv } from '../../http/app-env';
import { notFound } from '../../http/errors';
import { publicResponses } from '../../http/public';
import { publicOrigin } from '../../http/origin';
import { findUnit, listPublished, listUnits, loadPublished, unitPublications, yearlySums, yearStats, type UnitRow } from '../../publication/queries';
import { cachedByDataVersion } from '../../http/response-cache';
import { defineRoute } from '../../http/route';
import { lang } from '../../http/lang';
import { readQuery, requireKnownUnit, setLastModified } from './respond';
import { ReportPath, ReportQuery, ReportsQuery, StatsQuery, YearPath } from './schemas';
import { ReportsIndexPage, UnitPage } from './views/index-pages';
import { ReportPage } from './views/report-page';
import { StatsPage } from './views/stats-page';

export const publicPageRoutes = new Hono<AppEnv>();

const cachedPublic = [publicResponses, cachedByDataVersion] as const;

const unitName = async (c: Context<AppEnv>, code: string | undefined) =>
  code === undefined ? undefined : (await findUnit(c.get('db'), code))?.name;

/** The units a reader may narrow statistics to: those with units below them (and the one chosen). */
function jurisdictions(all: UnitRow[], chosen: string | undefined): { code: string; name: string }[] {
  const parents = new Set(all.map((u) => u.parent).filter((p): p is string => p !== null));
  return all.filter((u) => (u.active && parents.has(u.code)) || u.code === chosen).map(({ code, name }) => ({ code, name }));
}

/** The statistics form's 「全部单位」 sends `within=` (empty): the page without a filter. */
const allUnitsChosen: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.query('within') !== '') return next();
  const url = new URL(c.req.url);
  url.searchParams.delete('within');
  return c.redirect(`${url.pathname}${url.search}`, 303);
};

publicPageRoutes.get('/reports', ...cachedPublic, async (c) => {
  const filter = readQuery(c, ReportsQuery);
  await requireKnownUnit(c, filter.unit, 'unit');
  await requireKnownUnit(c, filter.within, 'within');
  const reports = await listPublished(c.get('db'), filter);
  setLastModified(c, Math.max(0, ...reports.map((r) => r.publishedAt)));
  return c.html(<ReportsIndexPage reports={reports} withinName={await unitName(c, filter.within)} lang={lang(c)} />);
});

publicPageRoutes.get('/reports/:unit', ...cachedPublic, async (c) => {
  const unit = await findUnit(c.get('db'), c.req.param('unit'));
  const years = unit ? await unitPublications(c.get('db'), unit.id) : [];
  if (!unit || years.length === 0) throw notFound();
  setLastModified(c, Math.max(...years.map((y) => y.publishedAt)));
  const withTemplates = years.map((y) => ({ ...y, templateDef: getTemplate(y.template) ?? templateForYear(y.year) }));
  return c.html(<UnitPage unitCode={unit.code} unitName={unit.name} years={withTemplates} lang={lang(c)} />);
});

// The two pages the OpenAPI document describes beside the data (its own table listed them first).
defineRoute(publicPageRoutes, {
  method: 'get',
  path: '/reports/{unit}/{year}',
  summary: '报告的公开网页（官方版式，可打印）· the public page, printable',
  access: 'public',
  use: cachedPublic,
  params: ReportPath,
  badPath: notFound,
  query: ReportQuery,
  answer: { status: 200, mediaType: 'text/html', description: 'HTML' },
  handle: async (c, { params: { unit, year }, query: { version } }) => {
    const report = await loadPublished(c.get('db'), unit, year, version);
    if (!report) throw notFound();
    setLastModified(c, report.shown.publishedAt);
    return c.html(<ReportPage report={report} origin={publicOrigin(c)} lang={lang(c)} />);
  },
});

defineRoute(publicPageRoutes, {
  method: 'get',
  path: '/stats/{year}',
  summary: '年度汇总统计网页 · the statistics page of a year',
  access: 'public',
  use: [allUnitsChosen, ...cachedPublic],
  params: YearPath,
  badPath: notFound,
  query: StatsQuery,
  answer: { status: 200, mediaType: 'text/html', description: 'HTML' },
  handle: async (c, { params: { year }, query: { within } }) => {
    await requireKnownUnit(c, within, 'within');
    const [stats, trend, name, units] = await Promise.all([
      yearStats(c.get('db'), year, within ?? null),
      yearlySums(c.get('db'), (t) => TREND_METRICS.flatMap((m) => trendCells(t, m.key)), within ?? null),
      unitName(c, within),
      listUnits(c.get('db'), null),
    ]);
    setLastModified(c, stats.lastPublishedAt);
    return c.html(
      <StatsPage stats={stats} within={within && name ? { code: within, name } : undefined} trend={trend} jurisdictions={jurisdictions(units, within)} lang={lang(c)} />,
    );
  },
});
