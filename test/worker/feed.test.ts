// GET /feeds/reports.json: JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) of
// publications and corrections: the required fields, the content type, stable ids per report
// version, corrections as new items with date_modified, the _report extension, filters, and
// never an unpublished report.
import { beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { Feed } from '../../src/areas/public/schemas';
import hongze from '../fixtures/real/hongze-district-2023.json';
import { get, importReport, insertDraft, JINTANG, jintangBody, putUnit } from './publication-helpers';

type FeedBody = v.InferOutput<typeof Feed>;
const feed = async (query = '') => {
  const res = await get(`/feeds/reports.json${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as FeedBody;
};

beforeAll(async () => {
  await putUnit('ZS-DH', '定海区人民政府');
  await putUnit('JT-330903-101', '金塘镇', 'ZS-DH');
  await putUnit('HZ', '淮安市洪泽区人民政府');
  await putUnit('DRAFT-UNIT', '草稿镇', 'ZS-DH');
  expect((await importReport(jintangBody())).status).toBe(201);
  expect(
    (await importReport({ unit: 'HZ', year: 2023, template: 'gov-2021', sections: {}, cells: hongze.cells, published_at: '2024-01-25' })).status,
  ).toBe(201);
  await insertDraft('DRAFT-UNIT', 2023);
});

describe('the feed', () => {
  it('is JSON Feed 1.1 with its required fields, served as application/feed+json', async () => {
    const res = await get('/feeds/reports.json');
    expect(res.headers.get('Content-Type')).toBe('application/feed+json; charset=utf-8');
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(res.headers.get('ETag')).toBeTruthy();
    const body = (await res.json()) as Record<string, unknown> & { items: Record<string, unknown>[] };
    // The spec's required top-level fields, and for each item an id and content_text or content_html.
    expect(body.version).toBe('https://jsonfeed.org/version/1.1');
    expect(typeof body.title).toBe('string');
    expect(body.title).not.toBe('');
    expect(Array.isArray(body.items)).toBe(true);
    expect(body.home_page_url).toBe('https://nianbao.test/reports');
    expect(body.feed_url).toBe('https://nianbao.test/feeds/reports.json');
    for (const item of body.items) {
      expect(typeof item.id).toBe('string');
      expect(typeof item.content_text === 'string' || typeof item.content_html === 'string').toBe(true);
      expect(item.date_published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    }
    v.parse(Feed, body); // and everything else as the OpenAPI document describes it
  });

  it('lists publications newest first, each linking its page, JSON and CSV', async () => {
    const body = await feed();
    expect(body.items.map((i) => [i._report.unit, i._report.year, i._report.version])).toEqual([
      ['HZ', 2023, 1],
      ['JT-330903-101', 2018, 1],
    ]);
    const [first] = body.items;
    expect(first).toMatchObject({
      id: 'https://nianbao.test/reports/HZ/2023?version=1',
      url: 'https://nianbao.test/reports/HZ/2023?version=1',
      title: '淮安市洪泽区人民政府2023年政府信息公开工作年度报告',
      date_published: '2024-01-25T00:00:00+08:00',
      _report: {
        unit: 'HZ',
        unit_name: '淮安市洪泽区人民政府',
        template: 'gov-2021',
        json: 'https://nianbao.test/api/v1/reports/HZ/2023?version=1',
        csv: 'https://nianbao.test/api/v1/reports/HZ/2023.csv?version=1',
      },
    });
    expect(first!.date_modified).toBeUndefined();
    expect(first!.content_text).toContain('新收政府信息公开申请 21 件');
  });

  it('a correction is a new item with date_modified; the original item keeps its id', async () => {
    const before = await feed();
    const res = await importReport(jintangBody({ cells: { ...JINTANG.cells, 'stats.staff.value': 3 }, published_at: '2024-02-01', reason: '人员数更正' }));
    expect(res.status).toBe(201);
    const after = await feed();
    expect(after.items).toHaveLength(3);
    const [correction] = after.items;
    expect(correction).toMatchObject({
      id: 'https://nianbao.test/reports/JT-330903-101/2018?version=2',
      title: '金塘镇2018年政府信息公开工作年度报告（更正，第 2 版）',
      date_published: '2019-01-16T00:00:00+08:00',
      date_modified: '2024-02-01T00:00:00+08:00',
      _report: { version: 2, reason: '人员数更正' },
    });
    expect(correction!.content_text).toContain('更正原因：人员数更正');
    // Items already seen keep their ids: a reader shows the correction as the one new item.
    for (const item of before.items) expect(after.items.map((i) => i.id)).toContain(item.id);
  });

  it('?year= and ?within= filter it, and name the filter in its title and feed_url', async () => {
    const year = await feed('?year=2018');
    expect(year.items.every((i) => i._report.year === 2018)).toBe(true);
    expect(year.title).toBe('2018年度政府信息公开工作年度报告');
    const within = await feed('?within=ZS-DH');
    expect(within.items.every((i) => i._report.unit === 'JT-330903-101')).toBe(true);
    expect(within.title).toBe('定海区人民政府及下级单位政府信息公开工作年度报告');
    expect(within.feed_url).toBe('https://nianbao.test/feeds/reports.json?within=ZS-DH');
    expect((await feed('?year=2030')).items).toEqual([]);
  });

  it('never carries an unpublished report', async () => {
    const text = await (await get('/feeds/reports.json')).text();
    expect(text).not.toContain('DRAFT-UNIT');
    expect(text).not.toContain('424242');
  });

  it('answers a repeated request with 304', async () => {
    const first = await get('/feeds/reports.json');
    const again = await get('/feeds/reports.json', { 'If-None-Match': first.headers.get('ETag')! });
    expect(again.status).toBe(304);
  });
});
