// Server-rendered SVG charts: no script, readable in print (black on white, values written on
// the bars), and for screen readers a <title>/<desc> on each chart plus the same figures in a
// data table beside it. Pure: figures in, markup out (figures from src/core/charts.ts).
import type { Child } from 'hono/jsx';
import type { Figure, TrendMetric, TrendPoint } from '../core/charts';

const format = (n: number | null) => (n === null ? '—' : String(Math.round(n * 1e6) / 1e6));

/** Text in SVG: one attribute name JSX cannot spell. */
const anchorEnd = { 'text-anchor': 'end' } as Record<string, string>;
const anchorMiddle = { 'text-anchor': 'middle' } as Record<string, string>;

/** An SVG image a screen reader announces by its <title> and <desc>; it scales down, never up. */
function ChartSvg(props: { id: string; width: number; height: number; title: string; desc: string; children: Child }) {
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
      <desc id={`${id}-desc`}>{props.desc}</desc>
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
function ChartData(props: { title: string; corner: string; columns: string[]; rows: [Child, Child[]][] }) {
  // Many years make it wider than a phone at 200 % zoom: it scrolls in a box the keyboard reaches.
  return (
    <div class="table-scroll chart-data-scroll" tabindex={0} role="region" aria-label={`${props.title}（数据表）`}>
      <table class="chart-data">
        <caption>{props.title}（数据表）</caption>
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

function describeFigures(figures: Figure[], unit: string): string {
  return figures.map((f) => `${f.label}${f.value === null ? '空白' : ` ${format(f.value)} ${unit}`}`).join('；');
}

/** Horizontal bars, one per figure, longest = the largest value. */
export function BarChart({ id, title, figures, unit }: { id: string; title: string; figures: Figure[]; unit: string }) {
  const labelWidth = 120;
  const barWidth = 260;
  const rowHeight = 26;
  const width = labelWidth + barWidth + 70;
  const height = figures.length * rowHeight + 8;
  const max = Math.max(1, ...figures.map((f) => f.value ?? 0));
  return (
    <ChartFigure title={title}>
      <ChartSvg id={id} width={width} height={height} title={title} desc={describeFigures(figures, unit)}>
        {figures.map((f, i) => {
          const y = 4 + i * rowHeight;
          const w = f.value ? Math.max(1, (f.value / max) * barWidth) : 0;
          return (
            <g>
              <text x={labelWidth - 6} y={y + 16} class="chart-label" {...anchorEnd}>
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
      <ChartData title={title} corner="类别" columns={[`数量（${unit}）`]} rows={figures.map((f) => [f.label, [format(f.value)]])} />
    </ChartFigure>
  );
}

/** Columns by year for one metric. */
function TrendSvg({ id, metric, points }: { id: string; metric: TrendMetric; points: TrendPoint[] }) {
  const column = 44;
  const chartHeight = 120;
  const top = 18;
  const width = Math.max(160, points.length * column + 16);
  const height = top + chartHeight + 22;
  const values = points.map((p) => p.values[metric.key]);
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const title = `${metric.label}（${metric.unit}），按年度`;
  const desc = points.map((p) => `${p.year}年 ${p.values[metric.key] === null ? '空白' : `${format(p.values[metric.key])} ${metric.unit}`}`).join('；');
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
export function TrendCharts({ id, title, metrics, points }: { id: string; title: string; metrics: readonly TrendMetric[]; points: TrendPoint[] }) {
  const shown = metrics.filter((m) => points.some((p) => p.values[m.key] !== null));
  if (shown.length === 0 || points.length === 0) return null;
  return (
    <ChartFigure title={title}>
      <div class="chart-row">
        {shown.map((m) => (
          <div class="chart-cell">
            <p class="chart-name" aria-hidden="true">
              {m.label}（{m.unit}）
            </p>
            <TrendSvg id={`${id}-${m.key}`} metric={m} points={points} />
          </div>
        ))}
      </div>
      <ChartData
        title={title}
        corner="年度"
        columns={shown.map((m) => `${m.label}（${m.unit}）`)}
        rows={points.map((p) => [p.year, shown.map((m) => format(p.values[m.key]))])}
      />
    </ChartFigure>
  );
}
