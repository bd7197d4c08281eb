// GET /api/v1/admin/cycles/{year}/progress (api.md): every expected unit with its status,
// revision, submitted_at, published_at, on_time and reminders sent.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { requireAdmin } from '../../http/auth';
import type { AppEnv } from '../../http/app-env';
import { beijingRfc3339 } from '../../core/time';
import { ApiError } from '../../http/errors';
import { cycleYearText } from '../../http/input';
import { defineRoute } from '../../http/route';
import { cycleProgress } from '../../reports/progress';
import { progressScope } from './scope';

const time = (ms: number | null) => (ms === null ? null : beijingRfc3339(ms));

const noCycle = (c: Context) =>
  new ApiError(404, 'no_cycle', `${c.req.param('year')} 年度没有报告周期。`, `There is no reporting cycle for ${c.req.param('year')}.`);

const Count = v.number();

const ProgressAnswer = v.object({
  year: v.number(),
  template: v.string(),
  deadline: v.string(),
  counts: v.object({
    expected: Count,
    published: Count,
    submitted: Count,
    draft: Count,
    not_started: Count,
    on_time: Count,
  }),
  units: v.array(
    v.object({
      unit: v.string(),
      unit_name: v.string(),
      parent: v.nullable(v.string()),
      status: v.picklist(['draft', 'returned', 'submitted', 'published']),
      revision: v.number(),
      submitted_at: v.nullable(v.string()),
      published_at: v.nullable(v.string()),
      on_time: v.nullable(v.boolean()),
      days_early: v.pipe(v.nullable(v.number()), v.description('提交早于截止时间的天数（迟交为负）· days submitted before the deadline (negative when late)')),
      reminders_sent: v.number(),
    }),
  ),
});

/** Mounted at /api/v1/admin: administrators (or the ADMIN_TOKEN), never cached. */
export const progressApiRoutes = new Hono<AppEnv>();

defineRoute(progressApiRoutes, {
  method: 'get',
  path: '/cycles/{year}/progress',
  summary: '报告周期的填报进度：每个应报单位的状态 · a cycle’s progress: every expected unit',
  access: 'admin',
  use: [
    requireAdmin,
    async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    },
  ],
  params: v.object({ year: cycleYearText }),
  badPath: noCycle,
  query: v.object({ within: v.optional(v.pipe(v.string(), v.description('只含该单位及其下级单位 · this unit and every unit below it'))) }),
  answer: { status: 200, schema: ProgressAnswer },
  errors: { 404: '该年度没有报告周期，或没有该单位 · no cycle for that year, or no such unit' },
  handle: async (c, { params: { year } }) => {
    const progress = await cycleProgress(c.get('db'), year, Date.now(), await progressScope(c));
    if (!progress) throw noCycle(c);
    const { cycle, counts, units } = progress;
    const answer: v.InferOutput<typeof ProgressAnswer> = {
      year: cycle.year,
      template: cycle.template,
      deadline: beijingRfc3339(cycle.deadline),
      counts: {
        expected: counts.expected,
        published: counts.published,
        submitted: counts.submitted,
        draft: counts.draft,
        not_started: counts.notStarted,
        on_time: counts.onTime,
      },
      units: units.map((u) => ({
        unit: u.unit,
        unit_name: u.unitName,
        parent: u.parent,
        status: u.status,
        revision: u.revision,
        submitted_at: time(u.submittedAt),
        published_at: time(u.publishedAt),
        on_time: u.onTime,
        days_early: u.daysEarly,
        reminders_sent: u.remindersSent,
      })),
    };
    return c.json(answer);
  },
});
