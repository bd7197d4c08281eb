// GET /app/reports/{unit}/{year}.docx: the report as it stands (a draft, submitted or
// published) as a Word document in the official layout, for whoever may see the clerk's page
// (requireUnit('view') where it is mounted). Never cached: a draft changes with every save.
import type { Context } from 'hono';
import { reportDocx } from '../../core/docx';
import { reportTitle } from '../../core/titles';
import type { UnitEnv } from '../../http/auth';
import { ApiError } from '../../http/errors';
import { pathYear } from '../../http/input';
import { wordDownload } from '../../http/word-download';
import { loadDraft } from '../../reports/store';

export async function draftDocx(c: Context<UnitEnv>): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const year = pathYear((c.req.param('year') ?? '').replace(/\.docx$/, ''));
  const state = year !== undefined ? await loadDraft(c.get('db'), c.get('unit').id, year) : undefined;
  if (!state) throw new ApiError(404, 'no_report', '该单位没有这一年度的报告。', 'This unit has no report for that year.');
  const title = reportTitle(state.unitName, state.year).zh;
  const bytes = await reportDocx({
    title,
    template: state.template,
    sections: state.sections,
    cells: state.cells,
    // The date is the day it is published: left for the unit to fill in on a draft.
    signature: { unit: state.unitName, date: null },
  });
  const draft = state.status !== 'published';
  return wordDownload(c, bytes, { ascii: `${state.unitCode}-${state.year}${draft ? '-draft' : ''}`, title: draft ? `${title}（草稿）` : title });
}
