import type { Env } from './env';

/**
 * The daily Cron Trigger (wrangler.toml: 01:00 UTC = 09:00 Asia/Shanghai).
 * Placeholder: reminders, digests and outbox delivery arrive in a later change.
 */
export async function scheduled(controller: ScheduledController, _env: Env, _ctx: ExecutionContext) {
  console.log('cron: nothing to do yet', controller.cron, new Date(controller.scheduledTime).toISOString());
}
