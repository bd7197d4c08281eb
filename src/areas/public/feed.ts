// GET /feeds/reports.json: JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of publications and
// corrections, newest first. One item per published version, its id fixed forever (the
// version's permanent page address), so a feed reader shows a correction as a new item.
// A correction's date_published is when the report was first published and its date_modified
// when the correction was; the feed is ordered by the latter.
import { Hono, type Context } from 'hono';
import { getTemplate, type Cells } from '../../core';
import { TREND_METRICS, trendValue } from '../../core/charts';
import { beijingRfc3339, chineseDate } from '../../core/time';
import type { AppEnv } from '../../http/app-env';
import { publicResponses } from '../../http/public';
import { publicOrigin } from '../../http/origin';
import { reportLinks } from '../../core/links';
import { findUnit, listVersions, type PublishedVersion } from '../../publication/queries';
import { cachedByDataVersion } from '../../http/response-cache';
import { requireKnownUnit, setLastModified } from './respond';
import { readCursor } from './paging';
import { encodeCursor, versionsPage, VERSIONS_CURSOR } from '../../publication/pages';
import { Feed, FeedQuery, type FeedItemOut, type FeedOut } from './schemas';
import { defineRoute } from '../../http/route';
import { reportTitle } from '../../core/titles';

export const FEED_PAGE_SIZE = 50;
export const FEED_CONTENT_TYPE = 'application/feed+json; charset=utf-8';

export const feedRoutes = new Hono<AppEnv>();

function itemText(v: PublishedVersion, cells: Cells): string {
  const template = getTemplate(v.template);
  const lines = [`${reportTitle(v.unitName, v.year).zh}，${chineseDate(v.firstPublishedAt)}发布。`];
  if (v.version > 1) lines.push(`第 ${v.version} 版更正，${chineseDate(v.publishedAt)}发布。更正原因：${v.reason ?? '未说明'}。`);
  if (template) {
    const figures = TREND_METRICS.map((m) => ({ m, value: trendValue(template, cells, m.key) })).filter((f) => f.value !== null);
    if (figures.length) lines.push(figures.map(({ m, value }) => `${m.label} ${value} ${m.unit}`).join('；') + '。');
  }
  return lines.join('\n');
}

function feedItem(origin: string, v: PublishedVersion & { cells: string }): FeedItemOut {
  const links = reportLinks(origin, v.unitCode, v.year, v.version);
  const corrected = v.version > 1;
  return {
    id: links.url,
    url: links.url,
    title: corrected ? `${reportTitle(v.unitName, v.year).zh}（更正，第 ${v.version} 版）` : reportTitle(v.unitName, v.year).zh,
    content_text: itemText(v, JSON.parse(v.cells) as Cells),
    date_published: beijingRfc3339(v.firstPublishedAt),
    ...(corrected ? { date_modified: beijingRfc3339(v.publishedAt) } : {}),
    _report: {
      unit: v.unitCode,
      unit_name: v.unitName,
      year: v.year,
      version: v.version,
      template: v.template as FeedItemOut['_report']['template'],
      reason: v.reason,
      json: links.json,
      csv: links.csv,
    },
  };
}

/** A page by number (the `page` parameter, kept working): an OFFSET, then the cursor after its last item. */
async function offsetPage(c: Context<AppEnv>, filter: { year?: number | undefined; within?: string | undefined }, page: number) {
  const rows = await listVersions(c.get('db'), { ...filter, limit: FEED_PAGE_SIZE + 1, offset: (page - 1) * FEED_PAGE_SIZE });
  const items = rows.slice(0, FEED_PAGE_SIZE);
  const last = items.at(-1);
  return { rows: items, next: rows.length > FEED_PAGE_SIZE && last ? encodeCursor([last.publishedAt, last.versionId]) : undefined };
}

defineRoute(feedRoutes, {
  method: 'get',
  path: '/feeds/reports.json',
  summary: '发布和更正的 JSON Feed 1.1 · JSON Feed 1.1 of publications and corrections',
  access: 'public',
  use: [publicResponses, cachedByDataVersion],
  query: FeedQuery,
  answer: { status: 200, schema: Feed, mediaType: 'application/feed+json' },
  handle: async (c, { query: { year, within, page, cursor } }) => {
    await requireKnownUnit(c, within, 'within');
    const origin = publicOrigin(c);
    const after = readCursor(c, cursor, VERSIONS_CURSOR);
    // `page` (OFFSET) still answers as before; every next_url is a cursor (keyset) now.
    const { rows: items, next } =
      page !== undefined && after === undefined
        ? await offsetPage(c, { year, within }, page)
        : await versionsPage(c.get('db'), { year, within }, FEED_PAGE_SIZE, after);

    const filters = new URLSearchParams();
    if (year !== undefined) filters.set('year', String(year));
    if (within !== undefined) filters.set('within', within);
    const url = (nextCursor?: string) => {
      const q = new URLSearchParams(filters);
      if (nextCursor) q.set('cursor', nextCursor);
      const s = q.toString();
      return `${origin}/feeds/reports.json${s ? `?${s}` : ''}`;
    };
    const scope = within ? `${(await findUnit(c.get('db'), within))?.name ?? within}及下级单位` : '';
    const feed: FeedOut = {
      version: 'https://jsonfeed.org/version/1.1',
      title: `${scope}${year ? `${year}年度` : ''}政府信息公开工作年度报告`,
      home_page_url: `${origin}/reports${filters.toString() ? `?${filters}` : ''}`,
      feed_url: url(),
      description: '已发布的政府信息公开工作年度报告及其更正，最新的在前。',
      language: 'zh-CN',
      ...(next ? { next_url: url(next) } : {}),
      items: items.map((v) => feedItem(origin, v)),
    };
    setLastModified(c, Math.max(0, ...items.map((v) => v.publishedAt)));
    c.header('Content-Type', FEED_CONTENT_TYPE);
    return c.body(JSON.stringify(feed));
  },
});
