// The demo jurisdiction that `npm start` loads into the local database (scripts/seed.mjs).
// A small 舟山市定海区-style tree, three people (one per role), the open cycle whose deadline comes
// next (relative to the day it is loaded, so the demo is never overdue) and the published
// reference report of 金塘镇 for 2018 (test/fixtures/jintang-2018.json).
// It imports TypeScript from src/core (one rule for "which year is due"), so plain Node needs
// tsx to load it: `npm start` registers it, `npm run db:seed:local` runs under it, and Vite
// (vitest, its config) reads TypeScript itself.
import { currentReportYear, defaultDeadline } from '../src/core/schedule.ts';
import jintang2018Fixture from '../test/fixtures/jintang-2018.json' with { type: 'json' };

/** The root comes first: children refer to their parent by code. */
export const units = [
  { code: 'ZS-DH', name: '定海区人民政府', parent: null },
  { code: 'JT-330903-101', name: '金塘镇', parent: 'ZS-DH' },
  { code: 'BQ-330902-102', name: '白泉镇', parent: 'ZS-DH' },
  { code: 'GL-330902-103', name: '干览镇', parent: 'ZS-DH' },
  { code: 'ZS-DH-JYJ', name: '定海区教育局', parent: 'ZS-DH' },
  { code: 'ZS-DH-WJJ', name: '定海区卫生健康局', parent: 'ZS-DH' },
];

export const people = [
  { email: 'clerk@demo.nianbao.local', name: '王芳', role: 'clerk', units: ['JT-330903-101'] },
  { email: 'supervisor@demo.nianbao.local', name: '李明', role: 'supervisor', units: ['ZS-DH'] },
  { email: 'admin@demo.nianbao.local', name: '陈静', role: 'admin', units: ['ZS-DH'] },
];

/**
 * The open cycle on the day `now`: the report year whose default deadline comes next
 * (2026-11-30 → 2026, deadline 2027-01-31 23:59:59 Beijing time; until 31 January the previous
 * year's; from 1 February the current year's), with a draft report for every active unit below
 * the root.
 */
export function demoCycle(now = Date.now()) {
  const year = currentReportYear(now);
  return { year, template: 'gov-2021', deadline: defaultDeadline(year), reminderDays: [30, 14, 7, 3, 1, 0] };
}

/**
 * The reference report, stored as published and imported:
 * { template, unit, unit_name, year, published_at, sections: { body }, cells }.
 */
export const jintang2018 = jintang2018Fixture;
