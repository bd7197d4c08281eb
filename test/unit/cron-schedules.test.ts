// scheduled() tells the daily run from the mail-only run by the cron expression, so the
// expressions in src/cron-schedules.ts must be exactly the ones wrangler.toml deploys: a
// mismatch would silently turn the daily reminders off (every run would only deliver mail).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CRON_SCHEDULES, DAILY_CRON, MAIL_CRON } from '../../src/core/cron-schedules';

const wrangler = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');

/** The `crons = [...]` of the [triggers] table. */
function deployedCrons(): string[] {
  const triggers = wrangler.split(/^\[triggers\]\s*$/m)[1];
  const list = triggers?.match(/^crons\s*=\s*\[(.*)\]\s*$/m)?.[1];
  if (list === undefined) throw new Error('wrangler.toml has no [triggers] crons = [...]');
  return [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
}

describe('the Cron Triggers', () => {
  it('deploys exactly the daily run at 01:00 UTC (09:00 Beijing) and the 10-minute mail run', () => {
    expect(deployedCrons()).toEqual([DAILY_CRON, MAIL_CRON]);
    expect([...CRON_SCHEDULES].sort()).toEqual(deployedCrons().sort());
    expect(DAILY_CRON).toBe('0 1 * * *');
    expect(MAIL_CRON).toBe('*/10 * * * *');
  });
});
