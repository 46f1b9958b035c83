/**
 * Charts drawn at build time as SVG strings: no client chart library and no
 * layout shift (every SVG has a fixed viewBox plus width and height). Colours
 * come from CSS classes (`tone-ok`, `tone-warn`, …) so dark mode applies.
 *
 * Each SVG is decorative (`aria-hidden`); {@link chartFigure} puts it in a
 * figure with a visible caption that says what it shows and, unless the page
 * prints the numbers in a table already, a data table for screen readers.
 */
import { escapeHtml } from './escape.ts';

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'muted' | 'accent';

export interface Bar {
  label: string;
  value: number;
  tone?: Tone;
}

const FONT = 13;

/**
 * Average width of one label character in chart units. Labels are drawn at the
 * page's font size inside a viewBox the page scales up, so this is wider than a
 * 13 px glyph: at 7.4 the longest labels ran off the chart's left edge.
 */
export const LABEL_CHAR_WIDTH = 9;

/** Shorten a label to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Shorten a path from the left, keeping its file name: `…/templates/service.yaml`. */
export function truncateStart(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `…${chars.slice(chars.length - max + 1).join('')}`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * Horizontal bars, one row per item, labels on the left and values on the right.
 *
 * @example
 * barChart([{ label: 'missing-file', value: 3, tone: 'bad' }], { title: 'Problems by rule' });
 */
export function barChart(items: readonly Bar[], options: { title: string; width?: number; labelWidth?: number; rowHeight?: number }): string {
  const width = options.width ?? 520;
  const labelWidth = options.labelWidth ?? 170;
  const rowHeight = options.rowHeight ?? 26;
  const valueWidth = 44;
  const plot = width - labelWidth - valueWidth;
  const max = Math.max(1, ...items.map((i) => i.value));
  const height = Math.max(1, items.length) * rowHeight;
  const rows = items.map((item, i) => {
    const y = i * rowHeight;
    const w = item.value === 0 ? 0 : Math.max(2, Math.round((item.value / max) * plot));
    const label = truncate(item.label, Math.floor(labelWidth / LABEL_CHAR_WIDTH));
    return (
      `<g transform="translate(0 ${y})">` +
      `<text class="chart-label" x="${labelWidth - 8}" y="${rowHeight / 2}" dy="0.35em" text-anchor="end">${escapeHtml(label)}</text>` +
      `<rect class="chart-track" x="${labelWidth}" y="4" width="${plot}" height="${rowHeight - 8}" rx="3"></rect>` +
      `<rect class="tone-${item.tone ?? 'accent'}" x="${labelWidth}" y="4" width="${w}" height="${rowHeight - 8}" rx="3"></rect>` +
      `<text class="chart-value" x="${labelWidth + plot + 6}" y="${rowHeight / 2}" dy="0.35em">${fmt(item.value)}</text>` +
      `</g>`
    );
  });
  const empty = items.length === 0 ? `<text class="chart-label" x="0" y="${rowHeight / 2}" dy="0.35em">none</text>` : '';
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true" focusable="false" font-size="${FONT}">` +
    `<title>${escapeHtml(options.title)}</title>${rows.join('')}${empty}</svg>`
  );
}

/**
 * One horizontal bar split into segments (shares of a whole), with a legend
 * row underneath.
 */
export function stackedBar(segments: readonly Bar[], options: { title: string; width?: number }): string {
  const width = options.width ?? 520;
  const barHeight = 22;
  const total = segments.reduce((sum, s) => sum + s.value, 0);
  let x = 0;
  const rects: string[] = [];
  if (total === 0) rects.push(`<rect class="chart-track" x="0" y="0" width="${width}" height="${barHeight}" rx="4"></rect>`);
  segments.forEach((s, i) => {
    if (s.value === 0 || total === 0) return;
    // The last visible segment takes the rounding remainder so the bar is exactly full.
    const isLast = segments.slice(i + 1).every((t) => t.value === 0);
    const w = isLast ? width - x : Math.round((s.value / total) * width);
    rects.push(`<rect class="tone-${s.tone ?? 'accent'}" x="${x}" y="0" width="${w}" height="${barHeight}"></rect>`);
    x += w;
  });
  // Legend: fixed columns so its height never depends on font metrics.
  const columns = Math.min(Math.max(segments.length, 1), 4);
  const colWidth = width / columns;
  const legendRows = Math.ceil(segments.length / columns);
  const legend = segments.map((s, i) => {
    const lx = (i % columns) * colWidth;
    const ly = barHeight + 14 + Math.floor(i / columns) * 22;
    const label = truncate(`${s.label} ${fmt(s.value)}`, Math.floor(colWidth / LABEL_CHAR_WIDTH) - 2);
    return (
      `<rect class="tone-${s.tone ?? 'accent'}" x="${lx}" y="${ly}" width="12" height="12" rx="2"></rect>` +
      `<text class="chart-label" x="${lx + 18}" y="${ly + 6}" dy="0.35em">${escapeHtml(label)}</text>`
    );
  });
  const height = barHeight + 14 + legendRows * 22;
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true" focusable="false" font-size="${FONT}">` +
    `<title>${escapeHtml(options.title)}</title><clipPath id="clip-${hashId(options.title)}"><rect x="0" y="0" width="${width}" height="${barHeight}" rx="4"></rect></clipPath>` +
    `<g clip-path="url(#clip-${hashId(options.title)})">${rects.join('')}</g>${legend.join('')}</svg>`
  );
}

/** A short deterministic id fragment for SVG-internal ids. */
function hashId(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(36);
}

/**
 * A chart as a figure with its text alternative: the SVG (hidden from
 * assistive technology), a visible caption that describes it, and a table of
 * the same numbers that screen readers get (`rows`; leave it out when a
 * visible table beside the chart holds them, and say so in the caption).
 *
 * @example
 * chartFigure(barChart(bars, { title: 'Processes by status' }), { caption: 'Processes by status', rows: bars, headers: ['Status', 'Processes'] });
 */
export function chartFigure(svg: string, options: { caption: string; rows?: readonly Bar[]; headers?: readonly [string, string] }): string {
  const [labelHeader, valueHeader] = options.headers ?? ['Item', 'Count'];
  const table = options.rows
    ? // In a wrapper: a table ignores `width: 1px` and would widen the page from its hiding place.
      `<div class="sr-only"><table><caption>${escapeHtml(options.caption)}</caption>` +
      `<thead><tr><th scope="col">${escapeHtml(labelHeader)}</th><th scope="col">${escapeHtml(valueHeader)}</th></tr></thead><tbody>` +
      options.rows.map((row) => `<tr><th scope="row">${escapeHtml(row.label)}</th><td>${fmt(row.value)}</td></tr>`).join('') +
      `</tbody></table></div>`
    : '';
  return `<figure class="chart-figure">${svg}<figcaption class="muted small">${escapeHtml(options.caption)}</figcaption>${table}</figure>`;
}
