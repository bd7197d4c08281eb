// GET /api/v1/admin/cycles/{year}/progress (api.md): every expected unit with its status,
// revision, submitted_at, published_at, on_time and reminders sent.
import { Hono, type Context } from 'hono';
import { requireAdmin } from '../../http/auth';
import type { AppEnv } from '../../http/app-env';
import { beijingRfc3339 } from '../../core/time';
import { ApiError } from '../../http/errors';
import { cycleProgress } from '../../reports/progress';
import { progressScope } from './scope';

const time = (ms: number | null) => (ms === null ? null : beijingRfc3339(ms));

async function progressRoute(c: Context<AppEnv>) {
  const year = Number(c.req.param('year'));
  const progress = Number.isInteger(year) ? await cycleProgress(c.get('db'), year, Date.now(), await progressScope(c)) : undefined;
  if (!progress) throw new ApiError(404, 'no_cycle', `${c.req.param('year')} 年度没有报告周期。`, `There is no reporting cycle for ${c.req.param('year')}.`);
  const { cycle, counts, units } = progress;
  return c.json({
    year: cycle.year,
    template: cycle.template,
    deadline: beijingRfc3339(cycle.deadline),
    counts: { ...counts, not_started: counts.notStarted, on_time: counts.onTime, notStarted: undefined, onTime: undefined },
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
  });
}

/** Mounted at /api/v1/admin: administrators (or the ADMIN_TOKEN), never cached. */
export const progressApiRoutes = new Hono<AppEnv>();

progressApiRoutes.get('/cycles/:year/progress', requireAdmin, async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
}, progressRoute);
