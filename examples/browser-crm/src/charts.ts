/**
 * Charts as inline SVG: grouped vertical bars with a value axis, and horizontal bars that
 * may go below zero (ROI). Each returns an `<svg>` element with a title, axes and labels.
 */

const NS = 'http://www.w3.org/2000/svg';

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** One series of a bar chart. */
export interface Series {
  name: string;
  color: string;
  values: number[];
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  /** Accessible title. */
  title: string;
  /** One label per group along the x axis. */
  categories: string[];
  series: Series[];
  /** How values are written on the axis and on bars. */
  format: (n: number) => string;
  /** The top of the value axis. @defaultValue the largest value, rounded up */
  max?: number;
  /** Write each bar's value above it. @defaultValue false */
  labels?: boolean;
  width?: number;
  height?: number;
}

/** A "nice" axis top and step for `max` (1, 2 or 5 × 10ⁿ). */
function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 0.2 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((x) => x >= raw) ?? 10 * mag;
  return { top: Math.ceil(max / step) * step, step };
}

/** Grouped vertical bars with a y axis, grid lines, category labels and a legend. */
export function barChart(o: BarChartOptions): SVGSVGElement {
  const width = o.width ?? 640;
  const height = o.height ?? 280;
  const m = { top: 16, right: 12, bottom: 54, left: 56 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const largest = Math.max(0, ...o.series.flatMap((x) => x.values));
  const { top, step } = o.max !== undefined ? { top: o.max, step: o.max / 4 } : niceScale(largest);
  const y = (v: number) => m.top + plotH - (v / top) * plotH;

  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', width: '100%' });
  svg.append(s('title', {}, o.title));
  for (let v = 0; v <= top + step / 2; v += step) {
    svg.append(s('line', { x1: m.left, x2: width - m.right, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'grid' }));
    svg.append(s('text', { x: m.left - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, o.format(v)));
  }
  svg.append(s('line', { x1: m.left, x2: m.left, y1: m.top, y2: m.top + plotH, class: 'axis' }));

  const groupW = plotW / Math.max(1, o.categories.length);
  const barW = Math.min(36, (groupW * 0.75) / Math.max(1, o.series.length));
  o.categories.forEach((label, i) => {
    const x0 = m.left + i * groupW + (groupW - barW * o.series.length) / 2;
    o.series.forEach((series, j) => {
      const v = series.values[i] ?? 0;
      const bar = s('rect', { x: x0 + j * barW, y: y(v), width: Math.max(1, barW - 2), height: Math.max(0, y(0) - y(v)), fill: series.color, rx: 2 });
      bar.append(s('title', {}, `${series.name} · ${label}: ${o.format(v)}`));
      svg.append(bar);
      if (o.labels && v > 0) svg.append(s('text', { x: x0 + j * barW + barW / 2 - 1, y: y(v) - 4, 'text-anchor': 'middle', class: 'value' }, o.format(v)));
    });
    svg.append(s('text', { x: m.left + i * groupW + groupW / 2, y: m.top + plotH + 16, 'text-anchor': 'middle', class: 'tick' }, label));
  });

  let lx = m.left;
  for (const series of o.series) {
    svg.append(s('rect', { x: lx, y: height - 18, width: 10, height: 10, fill: series.color, rx: 2 }));
    const text = s('text', { x: lx + 14, y: height - 9, class: 'legend' }, series.name);
    svg.append(text);
    lx += 24 + series.name.length * 7;
  }
  return svg;
}

/** One bar of {@link hBarChart}. */
export interface HBar {
  label: string;
  value: number | null;
  /** Written after the bar, e.g. "ROI 2.4× · €32,000 revenue". */
  note: string;
}

/** Horizontal bars around a zero line (negative values go left); `null` shows only the note. */
export function hBarChart(o: { title: string; bars: HBar[]; format: (n: number) => string; width?: number }): SVGSVGElement {
  const width = o.width ?? 640;
  const rowH = 34;
  const m = { top: 10, right: 230, bottom: 28, left: 150 };
  const height = m.top + m.bottom + rowH * o.bars.length;
  const values = o.bars.map((b) => b.value ?? 0);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const plotW = width - m.left - m.right;
  const x = (v: number) => m.left + ((v - lo) / span) * plotW;

  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', width: '100%' });
  svg.append(s('title', {}, o.title));
  const bottom = m.top + rowH * o.bars.length;
  for (const v of new Set([lo, 0, hi])) {
    svg.append(s('line', { x1: x(v), x2: x(v), y1: m.top, y2: bottom, class: v === 0 ? 'axis' : 'grid' }));
    // Zero's label would overlap an end's when it sits close to it.
    const crowded = v === 0 && [lo, hi].some((end) => end !== 0 && Math.abs(x(end) - x(0)) < 48);
    if (!crowded) svg.append(s('text', { x: x(v), y: bottom + 16, 'text-anchor': 'middle', class: 'tick' }, o.format(v)));
  }
  o.bars.forEach((bar, i) => {
    const yMid = m.top + i * rowH + rowH / 2;
    svg.append(s('text', { x: m.left - 8, y: yMid + 4, 'text-anchor': 'end', class: 'tick' }, bar.label));
    if (bar.value !== null) {
      const a = x(Math.min(0, bar.value));
      const b = x(Math.max(0, bar.value));
      svg.append(s('rect', { x: a, y: yMid - 10, width: Math.max(2, b - a), height: 20, rx: 2, fill: bar.value >= 0 ? '#2f9e6e' : '#d9534f' }));
    }
    svg.append(s('text', { x: width - m.right + 10, y: yMid + 4, class: 'value' }, bar.note));
  });
  return svg;
}
