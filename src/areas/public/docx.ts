// GET /reports/{unit}/{year}.docx[?version=N]: a published report as a Word document in the
// official layout (src/core/docx.ts), to print, stamp and post. Only published versions, cached
// and revalidated like the HTML page it mirrors. Mounted before the page routes: their
// /reports/{unit}/{year} would take '2018.docx' for a year and refuse it.
import { Hono } from 'hono';
import { reportDocx, DOCX_MEDIA_TYPE } from '../../core/docx';
import { chineseDate } from '../../core/time';
import { reportTitle } from '../../core/titles';
import type { AppEnv } from '../../http/app-env';
import { notFound } from '../../http/errors';
import { publicResponses } from '../../http/public';
import { cachedByDataVersion } from '../../http/response-cache';
import { defineRoute } from '../../http/route';
import { wordDownload } from '../../http/word-download';
import { loadPublished } from '../../publication/queries';
import { setLastModified } from './respond';
import { ReportPath, ReportQuery } from './schemas';

export const publicDocxRoutes = new Hono<AppEnv>();

defineRoute(publicDocxRoutes, {
  method: 'get',
  path: '/reports/{unit}/{year}.docx',
  summary: '报告的 Word 文档（官方版式，可打印盖章）· the report as a Word document',
  access: 'public',
  use: [publicResponses, cachedByDataVersion],
  params: ReportPath,
  badPath: notFound,
  query: ReportQuery,
  answer: { status: 200, mediaType: DOCX_MEDIA_TYPE, description: 'Office Open XML (.docx)' },
  handle: async (c, { params: { unit, year }, query: { version } }) => {
    const report = await loadPublished(c.get('db'), unit, year, version);
    if (!report) throw notFound();
    setLastModified(c, report.shown.publishedAt);
    const title = reportTitle(report.unitName, report.year).zh;
    const bytes = await reportDocx({
      title,
      template: report.template,
      sections: report.content.sections,
      cells: report.content.cells,
      signature: { unit: report.unitName, date: chineseDate(report.shown.publishedAt) },
    });
    const shown = report.shown;
    return wordDownload(c, bytes, {
      ascii: `${report.unitCode}-${report.year}${shown.current ? '' : `-v${shown.version}`}`,
      title: shown.current ? title : `${title}（第${shown.version}版）`,
    });
  },
});
