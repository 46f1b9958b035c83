/**
 * The process ↔ code ↔ task picture on a process page: tasks on the left,
 * the process in the middle, the code that implements or is cited by it on
 * the right. A static SVG whose boxes are real links (focusable, labelled),
 * generated at build time.
 */
import { safeUrl } from '../core/urls/safe-url.ts';
import { escapeHtml } from './escape.ts';
import { truncate, truncateStart } from './charts.ts';

export interface RelationNode {
  /** Main line of the box. */
  label: string;
  /** Second, smaller line (status, environment, marker count). */
  detail?: string;
  /** Page the box links to. */
  href?: string;
  /** Colour class suffix (`ok`, `warn`, `bad`, `info`, `muted`, `accent`). */
  tone?: string;
  /** Shorten a long label from the left (paths: keep the file name). */
  keepEnd?: boolean;
}

const WIDTH = 780;
const BOX_W = 230;
const BOX_H = 40;
const GAP = 12;
const CENTER_W = 220;

function box(node: RelationNode, x: number, y: number, w: number, kind: string): string {
  const maxChars = Math.floor((w - 20) / 7.8);
  const label = escapeHtml(node.keepEnd ? truncateStart(node.label, maxChars) : truncate(node.label, maxChars));
  const detail = node.detail ? escapeHtml(truncate(node.detail, maxChars + 4)) : '';
  const shape =
    `<rect class="rel-box rel-${kind} tone-edge-${node.tone ?? 'muted'}" x="${x}" y="${y}" width="${w}" height="${BOX_H}" rx="6"></rect>` +
    `<text class="rel-label" x="${x + 10}" y="${y + (detail ? 16 : 20)}" dy="0.35em">${label}</text>` +
    (detail ? `<text class="rel-detail" x="${x + 10}" y="${y + 30}" dy="0.35em">${detail}</text>` : '');
  const full = escapeHtml(node.detail ? `${node.label} (${node.detail})` : node.label);
  const href = safeUrl(node.href);
  return href ? `<a href="${escapeHtml(href)}" aria-label="${full}"><title>${full}</title>${shape}</a>` : `<g><title>${full}</title>${shape}</g>`;
}

function column(nodes: readonly RelationNode[], x: number, kind: string): { svg: string; centers: number[] } {
  // Columns hang from the top, so the process stays in view however long a side is.
  const top = 20;
  const centers: number[] = [];
  const svg = nodes
    .map((n, i) => {
      const y = top + i * (BOX_H + GAP);
      centers.push(y + BOX_H / 2);
      return box(n, x, y, BOX_W, kind);
    })
    .join('');
  return { svg, centers };
}

function edge(x1: number, y1: number, x2: number, y2: number): string {
  const mid = (x1 + x2) / 2;
  return `<path class="rel-edge" d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}"></path>`;
}

/**
 * Draw the picture. Empty sides get a muted "none" box so the shape of the
 * picture is the same on every process page.
 *
 * @example
 * relationsSvg({ label: 'Blue/Green Rollout' }, [{ label: 'TASK-001' }], [{ label: 'infra/lb.tf' }]);
 */
export function relationsSvg(center: RelationNode, tasks: readonly RelationNode[], code: readonly RelationNode[]): string {
  const left = tasks.length ? tasks : [{ label: 'no tasks', tone: 'muted' }];
  const right = code.length ? code : [{ label: 'no code', tone: 'muted' }];
  const rows = Math.max(left.length, right.length, 1);
  const height = rows * BOX_H + (rows - 1) * GAP + 40;
  const cx = (WIDTH - CENTER_W) / 2;
  const cy = 20;
  const l = column(left, 0, 'task');
  const r = column(right, WIDTH - BOX_W, 'code');
  const edges = [
    ...(tasks.length ? l.centers.map((y) => edge(BOX_W, y, cx, cy + BOX_H / 2)) : []),
    ...(code.length ? r.centers.map((y) => edge(cx + CENTER_W, cy + BOX_H / 2, WIDTH - BOX_W, y)) : []),
  ];
  const heads =
    `<text class="rel-head" x="0" y="12">Tasks</text>` +
    `<text class="rel-head" x="${cx}" y="12">Process</text>` +
    `<text class="rel-head" x="${WIDTH - BOX_W}" y="12">Code</text>`;
  return (
    `<svg class="relations" viewBox="0 -4 ${WIDTH} ${height + 4}" width="${WIDTH}" height="${height + 4}" role="group" aria-label="Tasks, process and code">` +
    heads +
    edges.join('') +
    l.svg +
    box(center, cx, cy, CENTER_W, 'process') +
    r.svg +
    `</svg>`
  );
}
