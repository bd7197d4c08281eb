// Published data in the public API's shapes (api.md; schemas in src/areas/public/schemas.ts).
import { cellCatalog, type Template } from '../../core';
import { CSV_BOM, csvDocument, csvLine, type CsvValue } from '../../core/csv';
import { beijingRfc3339 } from '../../core/time';
import type { ReportDetailOut, ReportSummaryOut } from './schemas';
import { reportLinks } from '../../core/links';
import type { PublishedReport, PublishedVersion } from '../../publication/queries';

export function reportSummary(origin: string, r: PublishedVersion): ReportSummaryOut {
  return {
    unit: r.unitCode,
    unit_name: r.unitName,
    year: r.year,
    template: r.template as ReportSummaryOut['template'],
    version: r.version,
    published_at: beijingRfc3339(r.publishedAt),
    on_time: r.onTime,
    imported: r.imported,
    ...reportLinks(origin, r.unitCode, r.year),
  };
}

/** The whole report; `requestedVersion` makes its own links name that version. */
export function reportDetail(origin: string, r: PublishedReport, requestedVersion?: number): ReportDetailOut {
  const first = r.versions[0];
  return {
    unit: r.unitCode,
    unit_name: r.unitName,
    year: r.year,
    template: r.template.id,
    version: r.shown.version,
    published_at: beijingRfc3339(r.shown.publishedAt),
    submitted_at: r.shown.submittedAt === null ? null : beijingRfc3339(r.shown.submittedAt),
    deadline: r.deadline === null ? null : beijingRfc3339(r.deadline),
    on_time: first?.onTime ?? null,
    imported: r.shown.imported,
    sections: r.content.sections,
    cells: r.content.cells,
    explanations: r.content.explanations,
    versions: r.versions.map((v) => ({
      version: v.version,
      published_at: beijingRfc3339(v.publishedAt),
      reason: v.reason,
      on_time: v.onTime,
      imported: v.imported,
      ...reportLinks(origin, r.unitCode, r.year, v.version),
    })),
    content_hash: r.contentHash,
    ...reportLinks(origin, r.unitCode, r.year, requestedVersion),
  };
}

export const REPORT_CSV_HEADER = ['table', 'row', 'column', 'label', 'unit', 'value'];

/** One line per cell in official order: table,row,column,label,unit,value (blank stays empty). */
export function reportCsv(r: PublishedReport): string {
  const rows: CsvValue[][] = [REPORT_CSV_HEADER];
  for (const info of cellCatalog(r.template).values()) {
    rows.push([info.table.key, info.row.key, info.column.key, info.name, info.measure.unit, r.content.cells[info.key] ?? null]);
  }
  return csvDocument(rows);
}

const BULK_FIXED = [
  ['unit', '单位代码'],
  ['unit_name', '单位名称'],
  ['year', '年度'],
  ['version', '版本'],
  ['published_at', '发布时间'],
  ['on_time', '是否按时发布'],
] as const;

type ReportWithCells = PublishedVersion & { cells: Record<string, number | null> };

/** The bulk CSV's two header rows: the keys, then their labels, so a year opens in one sheet. */
function bulkHeader(template: Template): CsvValue[][] {
  const catalog = [...cellCatalog(template).values()];
  return [
    [...BULK_FIXED.map(([key]) => key), ...catalog.map((i) => i.key)],
    [...BULK_FIXED.map(([, label]) => label), ...catalog.map((i) => `${i.name}（${i.measure.unit}）`)],
  ];
}

function bulkRow(keys: string[], r: ReportWithCells): CsvValue[] {
  return [
    r.unitCode,
    r.unitName,
    r.year,
    r.version,
    beijingRfc3339(r.publishedAt),
    r.onTime === null ? null : String(r.onTime),
    ...keys.map((k) => r.cells[k] ?? null),
  ];
}

/**
 * The bulk CSV of a year, one row per report, streamed: the BOM and header first, then each page `nextPage`
 * reads after the previous page's last unit code, until a page comes back short. Only one page
 * is in memory at a time, whatever the number of reports.
 */
export function bulkCsvStream(
  template: Template,
  pageSize: number,
  nextPage: (afterCode: string | null) => Promise<ReportWithCells[]>,
): ReadableStream<Uint8Array> {
  const keys = [...cellCatalog(template).keys()];
  const encoder = new TextEncoder();
  const lines = (rows: CsvValue[][]) => encoder.encode(rows.map((r) => `${csvLine(r)}\r\n`).join(''));
  let after: string | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM));
        controller.enqueue(lines(bulkHeader(template)));
        return;
      }
      const page = await nextPage(after);
      if (page.length) controller.enqueue(lines(page.map((r) => bulkRow(keys, r))));
      if (page.length < pageSize) controller.close();
      else after = page.at(-1)!.unitCode;
    },
  });
}
