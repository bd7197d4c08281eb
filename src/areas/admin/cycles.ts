// PUT /api/v1/admin/cycles/{year}: open or edit a reporting cycle (api.md, workflow.md "A
// reporting cycle"); GET shows it. The writing happens in src/reports/cycles.ts, in one batch.
import type { Context } from 'hono';
import * as v from 'valibot';
import { TEMPLATES, getTemplate } from '../../core';
import { beijingRfc3339 } from '../../core/time';
import type { AppEnv } from '../../http/app-env';
import { ApiError, invalidInput, outOfScope } from '../../http/errors';
import { managesEverything } from '../../auth/scope';
import { lang } from '../../http/lang';
import { translator, type Lang } from '../../core/i18n';
import { loadCycle, putCycle, unitIdsByCode, type Cycle } from '../../reports/cycles';
import { cycleDeadline, cycleYearText, reminderDays, unitCode } from '../../http/input';
import { named, route } from '../../http/route';
/** More units than any jurisdiction has; keeps one request bounded. */
const MAX_UNITS = 20_000;

/** Reporting cycles exist from the 2008 regulations on (src/http/input.ts CYCLE_YEARS). */
const CyclePath = v.object({ year: cycleYearText });

const CycleBody = v.object({
  /** Absent: the cycle's template, or for a new cycle the official format of that year. */
  template: v.optional(v.picklist(TEMPLATES.map((t) => t.id))),
  /** Absent: the cycle's deadline, or for a new cycle 31 January of the next year, 23:59:59 Beijing time. */
  deadline: v.optional(v.pipe(cycleDeadline, v.description('截止时间；新周期默认为次年 1 月 31 日 23:59:59（北京时间）· the deadline; default 31 January, 23:59:59 Beijing time'))),
  /** Days before the deadline on which reminders go out; absent: the cycle's, or 30, 14, 7, 3, 1, 0. */
  reminder_days: v.optional(reminderDays),
  /** The codes of the units expected to report; absent: every active unit below a root. */
  units: v.optional(v.pipe(v.array(unitCode), v.maxLength(MAX_UNITS, `最多 ${MAX_UNITS} 个单位|must list at most ${MAX_UNITS} units`))),
});

const CycleView = v.object({
  year: v.number(),
  template: v.string(),
  deadline: v.string(),
  reminder_days: v.array(v.number()),
  status: v.picklist(['open', 'closed']),
  units_expected: v.number(),
});

const CycleAnswer = named(
  'CycleAnswer',
  v.object({
    cycle: CycleView,
    created: v.optional(v.pipe(v.number(), v.description('新建的草稿数 · drafts created'))),
  }),
);

/** The cycle as the API shows it. */
const cycleView = (cycle: Cycle): v.InferOutput<typeof CycleView> => ({
  year: cycle.year,
  template: cycle.template,
  deadline: beijingRfc3339(cycle.deadline),
  reminder_days: cycle.reminderDays,
  status: cycle.status,
  units_expected: cycle.unitsExpected,
});

/** Unit ids in list order, or a 422 naming each unknown code by its position (`units.3`). */
async function resolveUnits(c: Context<AppEnv>, codes: string[], language: Lang): Promise<number[]> {
  const ids = await unitIdsByCode(c.get('db'), codes);
  const unknown = codes.flatMap((code, i) => (ids.has(code) ? [] : [{ code, field: `units.${i}` }]));
  if (unknown.length > 0) {
    throw invalidInput(
      unknown.map(({ code, field }) => ({
        field,
        message: translator(language)(`没有代码为“${code}”的单位`, `there is no unit with code "${code}"`),
      })),
    );
  }
  return codes.map((code) => ids.get(code)!);
}

const noCycle = (c: Context) => {
  const param = c.req.param('year') ?? '';
  return new ApiError(404, 'no_cycle', `没有 ${param} 年度的报告周期。`, `There is no reporting cycle for ${param}.`);
};

export const putCycleRoute = route({
  method: 'put',
  path: '/cycles/{year}',
  summary: '开启或修改报告周期 · open or edit a reporting cycle',
  access: 'admin',
  params: CyclePath,
  badPath: 'invalid_input',
  body: CycleBody,
  answer: { status: [200, 201], schema: CycleAnswer, description: '201 新开启，200 修改 · 201 opened, 200 edited' },
  errors: { 409: '已有报告填写了内容，不能更换模板 · reports have content: the template cannot change' },
  handle: async (c, { params: { year }, body: input }) => {
    const language = lang(c);
    if (!managesEverything(c.get('viewer'))) {
      throw outOfScope(language, 'year', '报告周期适用于全部单位，只有管理全部单位的管理员可以设置', 'a cycle covers every unit: only an administrator of every unit can set it');
    }
    const result = await putCycle(
      c.get('db'),
      year,
      {
        ...(input.template === undefined ? {} : { template: getTemplate(input.template)! }),
        ...(input.deadline === undefined ? {} : { deadline: input.deadline }),
        // Largest first, as reminders go out.
        ...(input.reminder_days === undefined ? {} : { reminderDays: [...input.reminder_days].sort((a, b) => b - a) }),
        ...(input.units === undefined ? {} : { unitIds: await resolveUnits(c, input.units, language) }),
      },
      c.get('viewer')!,
      Date.now(),
    );
    if (!result.ok) {
      throw new ApiError(
        409,
        'template_in_use',
        `${year} 年度已有报告填写了内容（包括从上年报告预填的结转数），其数据按原模板保存，不能再更换模板。`,
        `Reports of ${year} already have content (including numbers carried over from last year's reports), stored under the current template: the template can no longer change.`,
        [{ field: 'template', message: translator(language)('已有报告填写了内容', 'reports already have content') }],
      );
    }
    return c.json({ cycle: cycleView(result.cycle), created: result.draftsCreated }, result.created ? 201 : 200);
  },
});

export const getCycleRoute = route({
  method: 'get',
  path: '/cycles/{year}',
  summary: '一个报告周期 · a reporting cycle',
  access: 'admin',
  params: CyclePath,
  badPath: noCycle,
  answer: { status: 200, schema: CycleAnswer },
  errors: { 404: '该年度没有报告周期 · no cycle for that year' },
  handle: async (c, { params: { year } }) => {
    const cycle = await loadCycle(c.get('db'), year);
    if (!cycle) throw noCycle(c);
    return c.json({ cycle: cycleView(cycle) });
  },
});
