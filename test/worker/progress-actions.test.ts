// The progress page's actions: each unit links to its report; 「提醒」 sends a unit's clerks the
// reminder now, once a Beijing day (a second press says so and queues nothing), audited, and only
// an administrator who manages the unit may press it; the next cycle is offered whenever it
// does not exist, not only after 1 January.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { currentReportYear } from '../../src/core/schedule';
import { adminPut } from './report-helpers';
import { request, setUpWorld, type World } from './probe-helpers';

/** A cycle of the probe world's own, far from the years its reports use. */
const YEAR = 2031;
let world: World;

/** What the page's 提醒 button posts: its name and the unit's code. */
const remind = (cookie: string, unit: string, body = `remind=${unit}`) =>
  request('POST', `/app/progress/${YEAR}/${unit}/remind`, {
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://nianbao.test' },
    body,
  });

const reminders = async (unit: string) =>
  (await env.DB.prepare("select to_address, subject, text_body from outbox where kind = 'reminder' and dedup_key like ?").bind(`reminder:${unit}:${YEAR}:now-%`).all<{ to_address: string; subject: string; text_body: string }>()).results;

const remindEvents = async () => (await env.DB.prepare("select actor, detail from audit_events where action = 'report.remind'").all<{ actor: string; detail: string }>()).results;

const html = async (path: string, cookie: string) => (await request('GET', path, { headers: { Cookie: cookie } })).text();

beforeAll(async () => {
  world = await setUpWorld();
  const res = await adminPut(`/cycles/${YEAR}`, { units: ['A', 'B', 'QA'] });
  expect(res.status).toBe(201);
}, 30_000);

describe('the progress page', () => {
  it("links each unit to its report and offers 提醒 for those an administrator manages", async () => {
    const page = await html(`/app/progress/${YEAR}`, world.admin);
    expect(page).toContain(`href="/app/reports/A/${YEAR}"`);
    expect(page).toContain(`action="/app/progress/${YEAR}/A/remind"`);
    expect(page).toContain('name="remind" value="A"');
    // A supervisor sees the progress and the links, and no 提醒.
    const supervisor = await html(`/app/progress/${YEAR}`, world.supervisorP);
    expect(supervisor).toContain(`href="/app/reports/A/${YEAR}"`);
    expect(supervisor).not.toContain('/remind"');
  });

  it('refuses 提醒 to the anonymous, clerks, supervisors and an administrator of another subtree', async () => {
    expect((await request('POST', `/app/progress/${YEAR}/A/remind`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://nianbao.test' }, body: '' })).status).toBe(401);
    expect((await remind(world.clerkA, 'A')).status).toBe(403);
    expect((await remind(world.supervisorP, 'A')).status).toBe(403);
    expect((await remind(world.adminQ, 'A')).status).toBe(403);
    // A post that is not the page's button reminds no one.
    expect((await remind(world.admin, 'A', '')).status).toBe(422);
    expect(await html(`/app/progress/${YEAR}`, world.adminQ)).not.toContain('金塘镇');
    expect(await reminders('A')).toEqual([]);
    expect(await remindEvents()).toEqual([]);
  });

  it('sends the clerks the reminder once a day: a second press queues nothing and says so', async () => {
    const first = await remind(world.admin, 'A');
    expect(first.status).toBe(303);
    expect(first.headers.get('Location')).toBe(`/app/progress/${YEAR}?reminded=sent&unit=A&from=A#unit-A`);
    expect(await html(first.headers.get('Location')!, world.admin)).toContain('已向金塘镇的填报人发送提醒');
    const sent = await reminders('A');
    expect(sent.map((m) => m.to_address)).toEqual([world.emails.clerkA]);
    expect(sent[0]!.subject).toMatch(/^年报提醒：金塘镇2031年度报告还有\d+天截止$/);
    expect(sent[0]!.text_body).toContain(`/signin?next=${encodeURIComponent(`/app/reports/A/${YEAR}`)}`);
    const events = await remindEvents();
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe(world.emails.admin);
    expect(JSON.parse(events[0]!.detail)).toMatchObject({ to: [world.emails.clerkA] });

    const second = await remind(world.admin, 'A');
    expect(second.headers.get('Location')).toBe(`/app/progress/${YEAR}?reminded=already&unit=A&from=A#unit-A`);
    expect(await html(second.headers.get('Location')!, world.admin)).toContain('今天已提醒过');
    expect(await reminders('A')).toHaveLength(1);
    expect(await remindEvents()).toHaveLength(1);
    // The page counts it among the unit's reminders.
    expect(await html(`/app/progress/${YEAR}`, world.admin)).toContain('已提醒 1 次');
  });

  it('says so when a unit has no clerk to remind', async () => {
    const res = await remind(world.admin, 'QA');
    expect(res.headers.get('Location')).toBe(`/app/progress/${YEAR}?reminded=no_clerks&unit=QA&from=QA#unit-QA`);
    expect(await html(res.headers.get('Location')!, world.admin)).toContain('没有填报人');
  });
});

describe('the next cycle', () => {
  it('is offered at any time of the year to an administrator of everything, on /app and the cycles page', async () => {
    const current = currentReportYear(Date.now());
    const offer = (year: number) => `开启 ${year} 年度报告周期`;
    expect(await html('/app', world.admin)).toContain(offer(current));
    expect(await html(`/app/cycles/${YEAR}`, world.admin)).toContain(`href="/app/cycles/${current}"`);
    // A subtree's administrator cannot open cycles, so is not offered one.
    expect(await html('/app', world.adminQ)).not.toContain(offer(current));
    // Once this year's is open, next year's is offered, months before 1 January.
    expect((await adminPut(`/cycles/${current}`, { units: ['A'] })).status).toBe(201);
    const home = await html('/app', world.admin);
    expect(home).not.toContain(offer(current));
    expect(home).toContain(offer(current + 1));
  });
});
