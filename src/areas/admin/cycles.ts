// PUT /api/v1/admin/cycles/{year}: open or edit a reporting cycle (api.md, workflow.md "A
// reporting cycle"); GET shows it. The writing happens in src/reports/cycles.ts, in one batch.
import type { Context } from 'hono';
import * as v from 'valibot';
import { TEMPLATES, getTemplate, parseRfc3339 } from '../../core';
import { beijingRfc3339 } from '../../core/time';
import type { AppEnv } from '../../http/app-env';
import { ApiError, invalidInput, readJson } from '../../http/errors';
import { parseOr422 } from '../../http/validation';
import { lang } from '../../http/lang';
import { type Lang } from '../../core/i18n';
import { loadCycle, putCycle, unitIdsByCode, type Cycle } from '../../reports/cycles';
import { unitCode, withPathParam } from '../../http/input';

/** Reports exist from the 2008 regulations on; the upper bound only catches typos. */
const FIRST_YEAR = 2008;
const LAST_YEAR = 2100;
/** More units than any jurisdiction has; keeps one request bounded. */
const MAX_UNITS = 20_000;

const CycleInput = v.object({
  year: v.pipe(
    v.string(),
    v.regex(/^\d{4}$/, '应为四位数的年份|must be a four-digit year'),
    v.transform(Number),
    v.minValue(FIRST_YEAR, `不能早于 ${FIRST_YEAR} 年|must be ${FIRST_YEAR} or later`),
    v.maxValue(LAST_YEAR, `不能晚于 ${LAST_YEAR} 年|must be ${LAST_YEAR} or earlier`),
  ),
  /** Absent: the cycle's template, or for a new cycle the official format of that year. */
  template: v.optional(v.picklist(TEMPLATES.map((t) => t.id))),
  /** Absent: the cycle's deadline, or for a new cycle 31 January of the next year, 23:59:59 Beijing time. */
  deadline: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (text) => parseRfc3339(text) !== undefined,
        '应为带时区的 RFC 3339 时间，如 2026-01-31T23:59:59+08:00|must be an RFC 3339 time with an offset, e.g. 2026-01-31T23:59:59+08:00',
      ),
    ),
  ),
  /** Days before the deadline on which reminders go out; absent: the cycle's, or 30, 14, 7, 3, 1, 0. */
  reminder_days: v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.number(),
          v.integer('应为整数|must be a whole number'),
          v.minValue(0, '不能小于 0|must be at least 0'),
          v.maxValue(366, '不能大于 366|must be at most 366'),
        ),
      ),
      v.maxLength(367, '最多 367 项|must list at most 367 days'),
      v.check((days) => new Set(days).size === days.length, '不能有重复的天数|must not repeat a day'),
    ),
  ),
  /** The codes of the units expected to report; absent: every active unit below a root. */
  units: v.optional(v.pipe(v.array(unitCode), v.maxLength(MAX_UNITS, `最多 ${MAX_UNITS} 个单位|must list at most ${MAX_UNITS} units`))),
});

/** The cycle as the API shows it. */
const cycleView = (cycle: Cycle) => ({
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
        message: language === 'zh' ? `没有代码为“${code}”的单位` : `there is no unit with code "${code}"`,
      })),
    );
  }
  return codes.map((code) => ids.get(code)!);
}

export async function putCycleRoute(c: Context<AppEnv>) {
  const language = lang(c);
  const body = withPathParam(await readJson(c), 'year', c.req.param('year') ?? '');
  const input = parseOr422(CycleInput, body, language);
  const result = await putCycle(
    c.get('db'),
    input.year,
    {
      ...(input.template === undefined ? {} : { template: getTemplate(input.template)! }),
      ...(input.deadline === undefined ? {} : { deadline: parseRfc3339(input.deadline)! }),
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
      `${input.year} 年度已有报告填写了内容（包括从上年报告预填的结转数），其数据按原模板保存，不能再更换模板。`,
      `Reports of ${input.year} already have content (including numbers carried over from last year's reports), stored under the current template: the template can no longer change.`,
      [{ field: 'template', message: language === 'zh' ? '已有报告填写了内容' : 'reports already have content' }],
    );
  }
  return c.json({ cycle: cycleView(result.cycle), created: result.draftsCreated }, result.created ? 201 : 200);
}

export async function getCycleRoute(c: Context<AppEnv>) {
  const param = c.req.param('year') ?? '';
  const cycle = /^\d{4}$/.test(param) ? await loadCycle(c.get('db'), Number(param)) : undefined;
  if (!cycle) throw new ApiError(404, 'no_cycle', `没有 ${param} 年度的报告周期。`, `There is no reporting cycle for ${param}.`);
  return c.json({ cycle: cycleView(cycle) });
}
