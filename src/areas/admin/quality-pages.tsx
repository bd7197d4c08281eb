// /app/admin/quality/{year}: what a third-party assessment of the year's published 年报 would find,
// found before the public does (issue 16) — per unit in the administrator's scope: published on
// time, in the year's format, table rule failures published as filed (imports), figures of the
// text that contradict the tables, parts missing; a score, sorted worst first or as asked (a GET
// form: works without JavaScript, and a sorted view is a link to share). For an administrator
// whose units have units below them (a province, a city), the same per county: each child of the
// administered unit with everything below it. Computed from the published versions with the
// core's own rule engine (core/narrative-quality.ts); drafts are never read.
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { currentReportYear, getTemplate } from '../../core';
import { translator, type Lang } from '../../core/i18n';
import { QUALITY_DEDUCTIONS, reportQuality, type ReportQuality } from '../../core/narrative-quality';
import type { Viewer } from '../../auth/scope';
import type { Db } from '../../db/client';
import type { AppEnv } from '../../http/app-env';
import { notFound } from '../../http/errors';
import { pathYear } from '../../http/input';
import { lang } from '../../http/lang';
import { inJsonList } from '../../reports/json-list';
import { normalContent } from '../../reports/revision-content';
import { AdminPage } from '../../views/admin-page';
import { ChoiceFilter } from '../../views/forms';

export const qualityPages = new Hono<AppEnv>();

interface UnitRow {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
}

export interface UnitQuality extends UnitRow {
  template: string | null;
  imported: boolean;
  /** Null: nothing published for the year yet. */
  quality: ReportQuality | null;
}

export interface CountyQuality {
  code: string;
  name: string;
  units: number;
  published: number;
  /** The mean score of the published reports; null when none is. */
  score: number | null;
  late: number;
  tableIssues: number;
  mismatches: number;
  missing: number;
}

const SORTS = ['score', 'mismatches', 'missing', 'name'] as const;
type Sort = (typeof SORTS)[number];

/** The units in scope (null: every unit), id order. One JSON parameter, however many units. */
async function unitsInScope(db: Db, scope: number[] | null): Promise<UnitRow[]> {
  const where = scope === null ? sql`1 = 1` : inJsonList(sql`u.id`, scope);
  return db.all<UnitRow>(sql`SELECT u.id, u.code, u.name, u.parent_id AS parentId FROM units u WHERE ${where} ORDER BY u.id`);
}

/** Every report of `year` of the units in scope that is expected or published, with its current published content. */
export async function yearQuality(db: Db, scope: number[] | null, year: number): Promise<{ units: UnitRow[]; reports: UnitQuality[] }> {
  const units = await unitsInScope(db, scope);
  const where = scope === null ? sql`1 = 1` : inJsonList(sql`r.unit_id`, scope);
  const rows = await db.all<{ unitId: number; template: string; imported: number; version: number | null; firstOnTime: number | null; sections: string | null; cells: string | null }>(
    sql`SELECT r.unit_id AS unitId, r.template, r.imported, v.version,
          (SELECT v1.on_time FROM report_versions v1 WHERE v1.report_id = r.id AND v1.version = 1) AS firstOnTime,
          rr.sections, rr.cells
        FROM reports r
        LEFT JOIN report_versions v ON v.report_id = r.id AND v.is_current = 1
        LEFT JOIN report_revisions rr ON rr.id = v.revision_id
        WHERE r.year = ${year} AND (r.expected = 1 OR v.id IS NOT NULL) AND ${where}`,
  );
  const byId = new Map(units.map((u) => [u.id, u]));
  const reports: UnitQuality[] = [];
  for (const row of rows) {
    const unit = byId.get(row.unitId);
    const template = getTemplate(row.template);
    if (!unit) continue;
    // Judged as the public reads it: the published revision in its normal form (publication/queries.ts does the same).
    const content = row.version !== null && template ? normalContent(template, { sections: JSON.parse(row.sections ?? '{}'), cells: JSON.parse(row.cells ?? '{}') }) : null;
    const quality = content ? reportQuality({ template: template!, year, ...content, onTime: row.firstOnTime === null ? null : row.firstOnTime === 1 }) : null;
    reports.push({ ...unit, template: row.template, imported: row.imported === 1, quality });
  }
  return { units, reports };
}

/** Each child of the administered units (or of the roots), with every report at and below it. */
export function countyQuality(units: UnitRow[], reports: UnitQuality[], tops: number[]): CountyQuality[] {
  const children = new Map<number | null, UnitRow[]>();
  for (const u of units) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u]);
  const inScope = new Set(units.map((u) => u.id));
  // The tops: the administered units, or (a whole-jurisdiction administrator) the units with no parent in scope.
  const topIds = tops.length ? tops : units.filter((u) => u.parentId === null || !inScope.has(u.parentId)).map((u) => u.id);
  const below = (id: number): number[] => [id, ...(children.get(id) ?? []).flatMap((c) => below(c.id))];
  const byUnit = new Map(reports.map((r) => [r.id, r]));
  const counties = topIds.flatMap((top) => children.get(top) ?? []);
  // A county is a unit with units of its own below it: without one, the per-unit list says it all.
  if (!counties.some((c) => (children.get(c.id) ?? []).length > 0)) return [];
  return counties.map((county) => {
    const own = below(county.id)
      .map((id) => byUnit.get(id))
      .filter((r): r is UnitQuality => r !== undefined);
    const published = own.filter((r) => r.quality !== null).map((r) => r.quality!);
    const total = (pick: (q: ReportQuality) => number) => published.reduce((n, q) => n + pick(q), 0);
    return {
      code: county.code,
      name: county.name,
      units: own.length,
      published: published.length,
      score: published.length ? Math.round(total((q) => q.score) / published.length) : null,
      late: published.filter((q) => q.onTime === false).length,
      tableIssues: total((q) => q.tableIssues),
      mismatches: total((q) => q.mismatches),
      missing: total((q) => q.missing),
    };
  });
}

function sorted(reports: UnitQuality[], sort: Sort): UnitQuality[] {
  // Unpublished first when worst first: nothing published is the worst finding of all.
  const score = (r: UnitQuality) => (r.quality ? r.quality.score : -1);
  const by: Record<Sort, (a: UnitQuality, b: UnitQuality) => number> = {
    score: (a, b) => score(a) - score(b),
    mismatches: (a, b) => (b.quality?.mismatches ?? -1) - (a.quality?.mismatches ?? -1),
    missing: (a, b) => (b.quality?.missing ?? -1) - (a.quality?.missing ?? -1),
    name: () => 0,
  };
  return [...reports].sort((a, b) => by[sort](a, b) || a.code.localeCompare(b.code));
}

const SORT_NAMES: Record<Sort, { zh: string; en: string }> = {
  score: { zh: '得分（低分在前）', en: 'Score (lowest first)' },
  mismatches: { zh: '正文与表格不一致（多者在前）', en: 'Text against tables (most first)' },
  missing: { zh: '缺少内容（多者在前）', en: 'Missing parts (most first)' },
  name: { zh: '单位代码', en: 'Unit code' },
};

function Findings({ q, lang: l }: { q: ReportQuality; lang: Lang }) {
  const t = translator(l);
  const items = [
    q.onTime === false ? t('逾期发布', 'published late') : q.onTime === true ? t('按时发布', 'on time') : t('无截止时间（导入）', 'no deadline (imported)'),
    q.formatOk ? null : t('未使用本年度格式', 'not the year’s format'),
    q.tableIssues ? t(`表格勾稽问题 ${q.tableIssues} 处`, `${q.tableIssues} table rule failure(s)`) : null,
    q.mismatches ? t(`正文与表格不一致 ${q.mismatches} 处`, `${q.mismatches} figure(s) of the text against the tables`) : null,
    q.missing ? t(`缺少内容 ${q.missing} 项`, `${q.missing} part(s) missing`) : null,
  ].filter((s): s is string => s !== null);
  return (
    <>
      <span class="detail">{items.join(' · ')}</span>
      {q.findings.length ? (
        <details class="quality-findings">
          <summary>{t(`查看 ${q.findings.length} 项问题`, `Show the ${q.findings.length} finding(s)`)}</summary>
          <ul>
            {q.findings.map((issue) => (
              <li data-rule={issue.rule}>{t(issue.message)}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

export function QualityPage(props: { lang: Lang; year: number; sort: Sort; reports: UnitQuality[]; counties: CountyQuality[] }) {
  const { year, sort, reports, counties } = props;
  const l = props.lang;
  const t = translator(l);
  const published = reports.filter((r) => r.quality !== null);
  const d = QUALITY_DEDUCTIONS;
  return (
    <AdminPage lang={l} title={t(`${year} 年度报告质量`, `Report quality, ${year}`)} section="quality">
      <p>
        {t(
          `已发布 ${published.length} / ${reports.length} 份。按第三方评估的常见扣分项，从已发布版本计算：`,
          `${published.length} of ${reports.length} published. What a third-party assessment counts, from the published versions:`,
        )}
      </p>
      <p class="hint">
        {t(
          `满分 100：逾期发布 −${d.late}；未使用本年度格式 −${d.format}；表格勾稽问题每处 −${d.tableIssue.each}（最多 −${d.tableIssue.max}）；正文与表格不一致每处 −${d.mismatch.each}（最多 −${d.mismatch.max}）；缺少内容每项 −${d.missing.each}（最多 −${d.missing.max}）。`,
          `Out of 100: late −${d.late}; not the year’s format −${d.format}; each table rule failure −${d.tableIssue.each} (at most −${d.tableIssue.max}); each figure of the text against the tables −${d.mismatch.each} (at most −${d.mismatch.max}); each missing part −${d.missing.each} (at most −${d.missing.max}).`,
        )}
      </p>
      <ChoiceFilter
        action={`/app/admin/quality/${year}`}
        id="quality-sort"
        name="sort"
        label={t('排序方式', 'Sort by')}
        choices={SORTS}
        selected={sort}
        choiceName={(s) => t(SORT_NAMES[s])}
        button={t('排序', 'Sort')}
      />
      <p>
        <a href={`/app/admin/quality/${year - 1}`}>{t(`${year - 1} 年度`, `${year - 1}`)}</a>
        {' · '}
        <a href={`/app/admin/quality/${year + 1}`}>{t(`${year + 1} 年度`, `${year + 1}`)}</a>
      </p>
      {counties.length ? (
        <section aria-labelledby="quality-counties">
          <h2 id="quality-counties">{t('按下级单位汇总', 'By county')}</h2>
          <ol class="progress-list quality-list" data-counties="">
            {counties.map((c) => (
              <li class="progress-item" data-county={c.code}>
                <strong>{c.name}</strong> <span class="code">{c.code}</span>
                <span class="quality-score">{c.score === null ? '—' : t(`平均 ${c.score} 分`, `mean ${c.score}`)}</span>
                <span class="detail">
                  {t(
                    `已发布 ${c.published}/${c.units} · 逾期 ${c.late} · 表格勾稽问题 ${c.tableIssues} · 正文与表格不一致 ${c.mismatches} · 缺少内容 ${c.missing}`,
                    `published ${c.published}/${c.units} · late ${c.late} · table rule failures ${c.tableIssues} · text against tables ${c.mismatches} · missing parts ${c.missing}`,
                  )}
                </span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-labelledby="quality-units">
        <h2 id="quality-units">{t('各单位', 'Units')}</h2>
        {reports.length === 0 ? (
          <p>{t('您管理的单位在该年度没有应报或已发布的报告。', 'None of your units has a report expected or published for this year.')}</p>
        ) : (
          <ol class="progress-list quality-list" data-units="">
            {sorted(reports, sort).map((r) => (
              <li class="progress-item" data-unit={r.code} data-score={r.quality ? String(r.quality.score) : ''}>
                {r.quality ? <a href={`/reports/${r.code}/${year}`}>{r.name}</a> : <strong>{r.name}</strong>} <span class="code">{r.code}</span>
                <span class="quality-score">{r.quality ? t(`${r.quality.score} 分`, `${r.quality.score}`) : t('未发布', 'not published')}</span>
                {r.quality ? <Findings q={r.quality} lang={l} /> : null}
                {r.quality && r.imported ? <span class="detail">{t('导入的报告（照原样发布）', 'imported (published as filed)')}</span> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </AdminPage>
  );
}

/** The open cycle's year: where the navigation's 质量 leads. */
qualityPages.get('/', (c) => c.redirect(`/app/admin/quality/${currentReportYear(Date.now())}`, 302));

qualityPages.get('/:year', async (c) => {
  const year = pathYear(c.req.param('year'));
  if (year === undefined) throw notFound();
  const viewer: Viewer = c.get('viewer')!;
  const requested = c.req.query('sort');
  const sort: Sort = (SORTS as readonly string[]).includes(requested ?? '') ? (requested as Sort) : 'score';
  const { units, reports } = await yearQuality(c.get('db'), viewer.manageUnitIds, year);
  const counties = countyQuality(units, reports, viewer.adminUnitIds.filter((id) => units.some((u) => u.id === id)));
  return c.html(<QualityPage lang={lang(c)} year={year} sort={sort} reports={reports} counties={counties} />);
});
