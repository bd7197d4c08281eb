// npm run replay against an app of its own (a fresh demo in wrangler dev, as npm start runs it):
// the whole January before the deadline of the demo's cycle (the one due next on the day the test
// runs: scripts/demo-data.mjs), printed day by day, and nothing twice.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentReportYear } from '../../src/core/schedule';
import { startApp, type RunningApp } from './server';

/** The demo's report year and the year of its January deadline. */
const DEMO_YEAR = currentReportYear(Date.now());
const DUE = DEMO_YEAR + 1;
/** 「周五」 for a date YYYY-MM-DD, as replay prints it. */
const weekday = (date: string) => `周${'日一二三四五六'[new Date(`${date}T00:00:00Z`).getUTCDay()]}`;

const script = fileURLToPath(new URL('../../scripts/replay.mjs', import.meta.url));
let app: RunningApp;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

function replay(...args: string[]) {
  const run = spawnSync(process.execPath, [script, ...args, '--url', app.url], { encoding: 'utf8' });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

describe('npm run replay', () => {
  it('prints who got which mail on each day of January, then the same days again send nothing', () => {
    const first = replay(`${DUE}-01-01`, `${DUE}-02-01`);
    expect(first.err).toBe('');
    expect(first.status).toBe(0);
    const lines = first.out.split('\n');
    const dayOf = (text: string) => lines.slice(0, lines.findIndex((l) => l.includes(text))).filter((l) => /^\d{4}-\d{2}-\d{2}/.test(l)).at(-1)?.slice(0, 10);
    // The demo's clerk of 金塘镇: 30, 14, 7, 3, 1 and 0 days before the deadline, then overdue.
    expect(dayOf('还有30天截止')).toBe(`${DUE}-01-01`);
    expect(dayOf('还有14天截止')).toBe(`${DUE}-01-17`);
    expect(dayOf('还有7天截止')).toBe(`${DUE}-01-24`);
    expect(dayOf('还有3天截止')).toBe(`${DUE}-01-28`);
    expect(dayOf('还有1天截止')).toBe(`${DUE}-01-30`);
    expect(dayOf('今天截止')).toBe(`${DUE}-01-31`);
    expect(dayOf(`截止日汇总：${DEMO_YEAR}年度`)).toBe(`${DUE}-01-31`);
    expect(dayOf('年报逾期：金塘镇')).toBe(`${DUE}-02-01`);
    expect(first.out).toMatch(/clerk@demo\.nianbao\.local\s+截止提醒\s+年报提醒：金塘镇\d{4}年度报告还有30天截止/);
    expect(first.out).toMatch(/admin@demo\.nianbao\.local\s+截止日汇总/);
    expect(first.out).toMatch(/supervisor@demo\.nianbao\.local\s+逾期单位名单/);
    expect(first.out).toContain(`${DUE}-01-02（${weekday(`${DUE}-01-02`)}） 至 ${DUE}-01-16（${weekday(`${DUE}-01-16`)}） 无邮件（15 天）`);
    expect(first.out).toContain(`金塘镇${DEMO_YEAR}年度报告还有30天截止`);
    expect(first.out).toContain('合计 9 封，收件人 3 位');

    const again = replay(`${DUE}-01-01`, `${DUE}-02-01`);
    expect(again.status).toBe(0);
    expect(again.out).toContain('合计 0 封');
  });

  it('says what is wrong with its arguments or the app, in a line', () => {
    const badDate = replay('2026-02-30', '2026-03-01');
    expect(badDate.status).toBe(2);
    expect(badDate.err).toContain('不是有效的日期 (not a date): 2026-02-30');
    const noApp = spawnSync(process.execPath, [script, '2026-01-01', '2026-01-02', '--url', 'http://127.0.0.1:9'], { encoding: 'utf8' });
    expect(noApp.status).toBe(1);
    expect(noApp.stderr).toContain('请先运行 npm start');
  });
});
