// The demo jurisdiction that `npm start` loads into the local database (scripts/seed.mjs).
// A small 舟山市定海区-style tree, three people (one per role), an open 2025 cycle and the
// published reference report of 金塘镇 for 2018 (test/fixtures/jintang-2018.json).
import { readFileSync } from 'node:fs';

const fixtureUrl = new URL('../test/fixtures/jintang-2018.json', import.meta.url);

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

/** The open cycle: a draft report for every active unit below the root. */
export const cycle = {
  year: 2025,
  template: 'gov-2021',
  deadline: Date.parse('2026-01-31T23:59:59+08:00'),
  reminderDays: [30, 14, 7, 3, 1, 0],
};

/**
 * The reference report, stored as published and imported:
 * { template, unit, unit_name, year, published_at, sections: { body }, cells }.
 */
export const jintang2018 = JSON.parse(readFileSync(fixtureUrl, 'utf8'));
