// GET /api/v1/reports?unit=&year=&within=: each filter alone and together keeps exactly the
// reports it names (the unit's every year, the year's every unit, a subtree), newest publication
// first. The filters are optional parts of one SQL query (src/publication/queries.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { get, importReport, jintangBody, putUnit } from './publication-helpers';

type Listed = { reports: { unit: string; year: number }[] };
const list = async (query: string) => {
  const res = await get(`/api/v1/reports${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Listed).reports.map((r) => `${r.unit} ${r.year}`);
};

beforeAll(async () => {
  await putUnit('F-ROOT', '筛选区');
  await putUnit('F-A', '甲镇', 'F-ROOT');
  await putUnit('F-B', '乙镇', 'F-ROOT');
  await putUnit('F-OUT', '区外镇');
  const published = [
    ['F-A', 2017, '2018-01-20'],
    ['F-A', 2018, '2019-01-16'],
    ['F-B', 2018, '2019-01-18'],
    ['F-OUT', 2018, '2019-01-17'],
  ] as const;
  for (const [unit, year, at] of published) expect((await importReport(jintangBody({ unit, year, published_at: at }))).status).toBe(201);
});

describe('the reports list', () => {
  it('?unit= keeps that unit’s reports, every year', async () => {
    expect(await list('?unit=F-A')).toEqual(['F-A 2018', 'F-A 2017']);
  });

  it('?year= keeps that year’s reports, every unit', async () => {
    expect(await list('?year=2018')).toEqual(['F-B 2018', 'F-OUT 2018', 'F-A 2018']);
  });

  it('the filters together keep what all of them name', async () => {
    expect(await list('?year=2018&unit=F-A')).toEqual(['F-A 2018']);
    expect(await list('?year=2017&unit=F-B')).toEqual([]);
    expect(await list('?within=F-ROOT&year=2018')).toEqual(['F-B 2018', 'F-A 2018']);
    expect(await list('?within=F-ROOT&unit=F-OUT')).toEqual([]);
  });
});
