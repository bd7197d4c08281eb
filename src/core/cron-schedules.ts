// The Cron Trigger expressions, exactly as wrangler.toml [triggers] lists them: scheduled()
// tells the runs apart by `controller.cron`, so a schedule edited in one place but not the other
// would silently stop the daily work (test/unit/cron-schedules.test.ts compares the two).
// No imports: the Node unit tests read this file too.

/** Daily at 01:00 UTC = 09:00 Asia/Shanghai: reminders, digests, then mail delivery. */
export const DAILY_CRON = '0 1 * * *';

/** Every 10 minutes: mail delivery only, so retries after 1, 2, 4 … minutes happen near their time. */
export const MAIL_CRON = '*/10 * * * *';

/** Every expression of wrangler.toml [triggers]. */
export const CRON_SCHEDULES: readonly string[] = [DAILY_CRON, MAIL_CRON];
