// Server-rendered SVG charts: no script, readable in print (black on white, values written on
// the bars), and for screen readers a <title>/<desc> on each chart plus the same figures in a
// data table beside it. Pure: figures in, markup out (figures from src/core/charts.ts).
// English (lang 'en'): the page's own words; the official row labels a bar chart shows stay
// Chinese, marked lang="zh-CN".
import type { Child } from 'hono/jsx';
import type { Figure, TrendMetric, TrendPoint } from '../core/charts';
import { translator, type Lang } from '../core/i18n';

/** The trend metrics' names in English (src/core/charts.ts has the Chinese). */
const METRIC_EN: Record<TrendMetric['key'], string> = {
  new_applications: 'New requests for government information',
  appeals: 'Administrative reconsiderations and lawsuits',
  regulations_in_force: 'Regulations and normative documents in force',
};
const metricName = (m: TrendMetric, lang: Lang) =>
  lang === 'en' ? `${METRIC_EN[m.key]}${m.unit === '件' ? '' : ` (${m.unit})`}` : `${m.label}（${m.unit}）`;

const format = (n: number | null) => (n === null ? '—' : String(Math.round(n * 1e6) / 1e6));

/** Text in SVG: one attribute name JSX cannot spell. */
const anchorEnd = { 'text-anchor': 'end' } as Record<string, string>;
const anchorMiddle = { 'text-anchor': 'middle' } as Record<string, string>;

/** An SVG image a screen reader announces by its <title> and <desc>; it scales down, never up. */
function ChartSvg(props: { id: string; width: number; height: number; title: string; desc: string; descLang?: string; children: Child }) {
  const { id, width, height } = props;
  return (
    <svg
      class="chart-svg"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`} lang={props.descLang}>
        {props.desc}
      </desc>
      {props.children}
    </svg>
  );
}

/** A chart with its caption: the picture, then its figures as a table (ChartData). */
function ChartFigure(props: { title: string; children: Child }) {
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div class="chart-body">{props.children}</div>
    </figure>
  );
}

/** The figures a chart draws, as a table with a row each: what a screen reader reads, and print. */
function ChartData(props: { title: string; corner: string; columns: string[]; rows: [Child, Child[]][]; lang: Lang }) {
  const t = translator(props.lang);
  // Many years make it wider than a phone at 200 % zoom: it scrolls in a box the keyboard reaches.
  return (
    <div class="table-scroll chart-data-scroll" tabindex={0} role="region" aria-label={t(`${props.title}（数据表）`, `${props.title} (data table)`)}>
      <table class="chart-data">
        <caption>{t(`${props.title}（数据表）`, `${props.title} (data table)`)}</caption>
        <thead>
          <tr>
            <th scope="col">{props.corner}</th>
            {props.columns.map((column) => (
              <th scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map(([head, values]) => (
            <tr>
              <th scope="row">{head}</th>
              {values.map((value) => (
                <td>{value}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function describeFigures(figures: Figure[], unit: string, lang: Lang): string {
  if (lang === 'en') return figures.map((f) => `${f.label} ${f.value === null ? 'blank' : format(f.value)}`).join('; ');
  return figures.map((f) => `${f.label}${f.value === null ? '空白' : ` ${format(f.value)} ${unit}`}`).join('；');
}

/** Horizontal bars, one per figure (labelled with the official rows), longest = the largest value. */
export function BarChart({ id, title, figures, unit, lang = 'zh' }: { id: string; title: string; figures: Figure[]; unit: string; lang?: Lang }) {
  const t = translator(lang);
  const labelWidth = 120;
  const barWidth = 260;
  const rowHeight = 26;
  const width = labelWidth + barWidth + 70;
  const height = figures.length * rowHeight + 8;
  const max = Math.max(1, ...figures.map((f) => f.value ?? 0));
  return (
    <ChartFigure title={title}>
      {/* The figures' names are the official rows: Chinese in every language. */}
      <ChartSvg id={id} width={width} height={height} title={title} desc={describeFigures(figures, unit, lang)} descLang={lang === 'en' ? 'zh-CN' : undefined}>
        {figures.map((f, i) => {
          const y = 4 + i * rowHeight;
          const w = f.value ? Math.max(1, (f.value / max) * barWidth) : 0;
          return (
            <g>
              <text x={labelWidth - 6} y={y + 16} class="chart-label" lang="zh-CN" {...anchorEnd}>
                {f.label}
              </text>
              <rect x={labelWidth} y={y + 3} width={w} height={rowHeight - 8} class={`chart-bar chart-bar-${i % 6}`} />
              <text x={labelWidth + w + 4} y={y + 16} class="chart-value">
                {format(f.value)}
              </text>
            </g>
          );
        })}
      </ChartSvg>
      <ChartData
        title={title}
        corner={t('类别', 'Category')}
        columns={[t(`数量（${unit}）`, 'Number')]}
        rows={figures.map((f) => [<span lang="zh-CN">{f.label}</span>, [format(f.value)]])}
        lang={lang}
      />
    </ChartFigure>
  );
}

/** Columns by year for one metric. */
function TrendSvg({ id, metric, points, lang }: { id: string; metric: TrendMetric; points: TrendPoint[]; lang: Lang }) {
  const column = 44;
  const chartHeight = 120;
  const top = 18;
  const width = Math.max(160, points.length * column + 16);
  const height = top + chartHeight + 22;
  const values = points.map((p) => p.values[metric.key]);
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const title = lang === 'en' ? `${metricName(metric, lang)}, by year` : `${metricName(metric, lang)}，按年度`;
  const desc =
    lang === 'en'
      ? points.map((p) => `${p.year}: ${p.values[metric.key] === null ? 'blank' : format(p.values[metric.key])}`).join('; ')
      : points.map((p) => `${p.year}年 ${p.values[metric.key] === null ? '空白' : `${format(p.values[metric.key])} ${metric.unit}`}`).join('；');
  return (
    <ChartSvg id={id} width={width} height={height} title={title} desc={desc}>
      <line x1={8} y1={top + chartHeight} x2={width - 8} y2={top + chartHeight} class="chart-axis" />
      {points.map((p, i) => {
        const value = p.values[metric.key];
        const h = value ? Math.max(1, (value / max) * chartHeight) : 0;
        const x = 16 + i * column;
        return (
          <g>
            <rect x={x} y={top + chartHeight - h} width={column - 14} height={h} class="chart-bar chart-bar-0" />
            <text x={x + (column - 14) / 2} y={top + chartHeight - h - 4} class="chart-value" {...anchorMiddle}>
              {format(value)}
            </text>
            <text x={x + (column - 14) / 2} y={top + chartHeight + 15} class="chart-label" {...anchorMiddle}>
              {p.year}
            </text>
          </g>
        );
      })}
    </ChartSvg>
  );
}

/** One small chart per metric the reports have, and one data table of every figure. */
export function TrendCharts({ id, title, metrics, points, lang = 'zh' }: { id: string; title: string; metrics: readonly TrendMetric[]; points: TrendPoint[]; lang?: Lang }) {
  const t = translator(lang);
  const shown = metrics.filter((m) => points.some((p) => p.values[m.key] !== null));
  if (shown.length === 0 || points.length === 0) return null;
  return (
    <ChartFigure title={title}>
      <div class="chart-row">
        {shown.map((m) => (
          <div class="chart-cell">
            <p class="chart-name" aria-hidden="true">
              {metricName(m, lang)}
            </p>
            <TrendSvg id={`${id}-${m.key}`} metric={m} points={points} lang={lang} />
          </div>
        ))}
      </div>
      <ChartData
        title={title}
        corner={t('年度', 'Year')}
        columns={shown.map((m) => metricName(m, lang))}
        rows={points.map((p) => [p.year, shown.map((m) => format(p.values[m.key]))])}
        lang={lang}
      />
    </ChartFigure>
  );
}
