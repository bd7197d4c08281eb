// The public API's shapes as valibot schemas: the routes parse their query strings with them
// and type their answers with them, and /api/openapi.json is generated from them — so the
// published description cannot drift from what the routes do.
import * as v from 'valibot';
import { TEMPLATES } from '../../core';
import { reportYearText, unitCode } from '../../http/input';
import { named } from '../../http/route';

const describe = <S extends v.GenericSchema>(schema: S, text: string) => v.pipe(schema, v.description(text));

// ---------------------------------------------------------------------------------------------
// Path and query parameters (strings in the URL; checked, then turned into numbers where they are)
// ---------------------------------------------------------------------------------------------

/** Any year a published report can be about (imported history included). */
export const YearParam = reportYearText;

export const UnitParam = v.pipe(unitCode, v.description('单位代码 · a unit code'));
const WithinParam = v.pipe(unitCode, v.description('只含该单位及其下级单位 · this unit and every unit below it'));

export const VersionParam = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d{0,5}$/, '应为正整数|must be a positive whole number'),
  v.description('版本号（更正后递增）；默认为最新版本 · version number; default the latest'),
  v.transform(Number),
);

const PageParam = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d{0,5}$/, '应为正整数|must be a positive whole number'),
  v.description('页码 · page'),
  v.transform(Number),
);

/** /reports/{unit}/{year}: a malformed year or code names no report (a 404, as an unknown one). */
export const ReportPath = v.object({ unit: UnitParam, year: YearParam });
export const YearPath = v.object({ year: YearParam });

export const UnitsQuery = v.object({ within: v.optional(WithinParam) });
/** Where a page starts: the `next` of the page before (opaque; keyset pagination, src/publication/pages.ts). */
const CursorParam = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,400}$/, '应为上一页给出的 next 游标|must be the cursor a previous page gave as next'),
  v.description('上一页的 next 游标 · the cursor a previous page gave'),
);

const LimitParam = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d{0,3}$/, '应为 1 到 1000 的整数|must be a whole number from 1 to 1000'),
  v.transform(Number),
  v.maxValue(1000, '应为 1 到 1000 的整数|must be a whole number from 1 to 1000'),
  v.description('每页条数（1–1000）；给出 limit 或 cursor 时分页，并在还有下一页时给出 next · page size; with limit or cursor the list is paged and says `next`'),
);

export const ReportsQuery = v.object({
  year: v.optional(YearParam),
  unit: v.optional(UnitParam),
  within: v.optional(WithinParam),
  limit: v.optional(LimitParam),
  cursor: v.optional(CursorParam),
});
export const ReportQuery = v.object({ version: v.optional(VersionParam) });
export const BulkCsvQuery = v.object({ year: YearParam, within: v.optional(WithinParam) });
export const StatsQuery = v.object({ within: v.optional(WithinParam) });
export const FeedQuery = v.object({
  year: v.optional(YearParam),
  within: v.optional(WithinParam),
  page: v.optional(PageParam),
  cursor: v.optional(CursorParam),
});

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

const Timestamp = describe(v.pipe(v.string(), v.isoTimestamp()), 'RFC 3339, +08:00');
const Url = v.pipe(v.string(), v.url());
const Year = v.pipe(v.number(), v.integer());
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const TemplateId = v.picklist(TEMPLATES.map((t) => t.id));

export const CellValues = describe(
  v.record(v.pipe(v.string(), v.regex(/^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$/)), v.nullable(v.number())),
  '`TABLE.ROW.COLUMN` → 数值，空白为 null（空白不是 0）· cell key → number, null for a blank cell (blank is not zero)',
);
const Texts = v.record(v.string(), v.string());

const Links = {
  url: describe(Url, '公开网页 · the public page'),
  json: describe(Url, 'JSON'),
  csv: describe(Url, 'CSV (UTF-8, BOM)'),
};

export const Unit = v.object({
  code: v.string(),
  name: v.string(),
  parent: v.nullable(v.string()),
  active: v.boolean(),
});
export const UnitsResponse = named('UnitsResponse', v.object({ units: v.array(Unit) }));

const OnTime = describe(v.nullable(v.boolean()), '首次发布是否在截止时间前；无截止时间（如导入的历史报告）为 null · first publication before the deadline; null without one');

/** Which report, and which of its published versions: how every answer about one begins. */
const PublishedVersionEntries = {
  unit: v.string(),
  unit_name: v.string(),
  year: Year,
  template: TemplateId,
  version: Count,
  published_at: Timestamp,
};

export const ReportSummary = v.object({
  ...PublishedVersionEntries,
  on_time: OnTime,
  imported: v.boolean(),
  ...Links,
});
export const ReportsResponse = named(
  'ReportsResponse',
  v.object({
    reports: v.array(ReportSummary),
    next: v.optional(describe(Url, '下一页（分页时，还有下一页才有）· the next page, when paged and there is one')),
  }),
);

export const VersionEntry = v.object({
  version: Count,
  published_at: Timestamp,
  reason: describe(v.nullable(v.string()), '更正原因；第 1 版为 null · why it was corrected; null for version 1'),
  on_time: v.nullable(v.boolean()),
  imported: v.boolean(),
  ...Links,
});

export const ReportDetail = named(
  'ReportDetail',
  v.object({
    ...PublishedVersionEntries,
    submitted_at: v.nullable(Timestamp),
    deadline: v.nullable(Timestamp),
    on_time: OnTime,
    imported: v.boolean(),
    sections: describe(Texts, '叙述部分：键 → 正文 · narrative sections'),
    cells: CellValues,
    explanations: describe(Texts, '对警告的说明：规则 → 说明 · explanations of warnings, by rule'),
    versions: v.array(VersionEntry),
    content_hash: describe(v.string(), 'hex SHA-256 of canonical JSON {sections, cells, explanations}'),
    ...Links,
  }),
);

export const StatsResponse = named(
  'StatsResponse',
  v.object({
    year: Year,
    template: TemplateId,
    within: v.nullable(v.string()),
    units_expected: describe(Count, '本年度应报送的单位数 · units expected to report'),
    units_published: describe(Count, '已发布的单位数 · units whose report is published'),
    units_on_time: describe(Count, '按时发布的单位数 · units that published by the deadline'),
    cells: describe(CellValues, '各单元格之和；全为空白时为 null · sums per cell, null where every report is blank'),
  }),
);

export const FeedItem = v.object({
  id: describe(v.string(), '每个报告版本固定不变 · stable per report version'),
  url: Url,
  title: v.string(),
  content_text: v.string(),
  date_published: Timestamp,
  date_modified: v.optional(describe(Timestamp, '更正版本的发布时间 · when a correction was published')),
  _report: v.object({
    unit: v.string(),
    unit_name: v.string(),
    year: Year,
    version: Count,
    template: TemplateId,
    reason: v.nullable(v.string()),
    json: Url,
    csv: Url,
  }),
});

export const Feed = named(
  'Feed',
  v.object({
    version: v.literal('https://jsonfeed.org/version/1.1'),
    title: v.string(),
    home_page_url: Url,
    feed_url: Url,
    description: v.string(),
    language: v.string(),
    next_url: v.optional(Url),
    items: v.array(FeedItem),
  }),
);

export const ErrorResponse = v.object({
  error: v.object({
    code: v.string(),
    message: describe(v.string(), '默认中文；Accept-Language 偏好 en 时为英文 · Chinese, or English when preferred'),
    details: v.array(v.looseObject({ field: v.optional(v.string()), message: v.string() })),
  }),
});

export type ReportSummaryOut = v.InferOutput<typeof ReportSummary>;
export type ReportDetailOut = v.InferOutput<typeof ReportDetail>;
export type StatsOut = v.InferOutput<typeof StatsResponse>;
export type FeedOut = v.InferOutput<typeof Feed>;
export type FeedItemOut = v.InferOutput<typeof FeedItem>;
export type UnitsOut = v.InferOutput<typeof UnitsResponse>;
export type ReportsOut = v.InferOutput<typeof ReportsResponse>;
