/**
 * The staleness view: how many references are stale or moved, which
 * processes need revalidation, and a build-time SVG of the most stale ones
 * (days since validation against the code changes after it). Pure: reads the
 * collections' data, never git; the commits come from `src/core/history/staleness.ts`
 * through the loader.
 */
import { commitDay } from '../core/history/history.ts';
import type { ChangedCommit, Process, ProcessStaleness, Reference } from '../core/schema.ts';
import { escapeHtml } from './escape.ts';
import { LABEL_CHAR_WIDTH, truncate } from './charts.ts';
import { daysBetween } from '../core/text/days-between.ts';
import type { Problem, SiteMeta } from './model.ts';
import { REFERENCE_STATES, referenceState, type ReferenceState } from './reference-state.ts';
import { safeUrl } from '../core/urls/safe-url.ts';
import { isWebUrl } from '../core/urls/urls.ts';

/** One row of "most stale processes". */
export interface StaleProcessRow {
  id: string;
  name: string;
  since: ProcessStaleness['since'];
  /** Days from the validation (or update) date to `asOf`; undefined when the process has no date. */
  daysSince?: number;
  /** Days from the first code change after it to `asOf`: how long the document has been behind. */
  behindDays: number;
  commitCount: number;
  firstChange?: string;
  lastChange?: string;
  /** Distinct days with a change, oldest first. */
  changeDays: string[];
  /** Cited ranges that changed. */
  ranges: number;
}

export interface StalenessView {
  /** Whether git history was read at all (without it nothing can be stale). */
  historyKnown: boolean;
  /** The day ages are counted to: the reference date, or the newest change when that is later. */
  asOf?: string;
  /** References by state. */
  references: Record<ReferenceState, number>;
  /** Production processes whose validation is older than the limit (`validation-overdue`). */
  overdue: number;
  /** The most stale processes, most behind first. */
  mostStale: StaleProcessRow[];
}

type ViewInput = {
  meta: Pick<SiteMeta, 'referenceDate'>;
  processes: readonly Process[];
  references: readonly Reference[];
  problems: readonly Pick<Problem, 'rule' | 'file'>[];
  staleness?: readonly ProcessStaleness[];
};

/** Numbers and rows for the home page's staleness view. */
export function stalenessView(site: ViewInput, limit = 8): StalenessView {
  const references = Object.fromEntries(REFERENCE_STATES.map((state) => [state, 0])) as Record<ReferenceState, number>;
  for (const reference of site.references) references[referenceState(reference)]++;
  const staleness = new Map((site.staleness ?? []).map((entry) => [entry.id, entry]));
  // Deprecated processes are not revalidated: they leave the view.
  const live = site.processes.filter((process) => process.status !== 'deprecated');
  const flagged = (rule: string) => new Set(site.problems.filter((problem) => problem.rule === rule).map((problem) => problem.file));
  const overdue = flagged('validation-overdue');
  const asOf = latest([site.meta.referenceDate, ...[...staleness.values()].map((entry) => entry.lastChange)]);
  const rows = live.flatMap((process) => {
    const entry = staleness.get(process.id);
    return entry && entry.commitCount > 0 ? [staleRow(process, entry, asOf)] : [];
  });
  return {
    historyKnown: staleness.size > 0,
    asOf,
    references,
    overdue: live.filter((process) => overdue.has(process.file)).length,
    mostStale: rows.sort(compareStaleness).slice(0, limit),
  };
}

function staleRow(process: Process, entry: ProcessStaleness, asOf: string | undefined): StaleProcessRow {
  const changeDays = [...new Set(entry.changed.flatMap((code) => code.commits.map(commitDay)).filter(Boolean))].sort();
  // Uncommitted work has no date: it counts as changed on the day ages are counted to.
  const first = entry.firstChange ?? asOf;
  return {
    id: process.id,
    name: process.name,
    since: entry.since,
    daysSince: entry.since.day && asOf ? Math.max(0, daysBetween(entry.since.day, asOf) ?? 0) : undefined,
    behindDays: first && asOf ? Math.max(0, daysBetween(first, asOf) ?? 0) : 0,
    commitCount: entry.commitCount,
    firstChange: entry.firstChange,
    lastChange: entry.lastChange,
    changeDays,
    ranges: entry.changed.length,
  };
}

/** Longest behind first, then most commits, then id: the same order on every machine. */
function compareStaleness(a: StaleProcessRow, b: StaleProcessRow): number {
  return b.behindDays - a.behindDays || b.commitCount - a.commitCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function latest(days: readonly (string | undefined)[]): string | undefined {
  let newest: string | undefined;
  for (const day of days) if (day && /^\d{4}-\d{2}-\d{2}$/.test(day) && (!newest || day > newest)) newest = day;
  return newest;
}

/**
 * The commit's page from config `site.commitUrl` (`{hash}` replaced), or
 * undefined: no template, a template that is not an http(s) URL, or work
 * that is not committed.
 */
export function commitHref(template: string | undefined, commit: Pick<ChangedCommit, 'hash' | 'uncommitted'>): string | undefined {
  if (!template || commit.uncommitted || !isWebUrl(template) || !/^[0-9a-f]{7,64}$/i.test(commit.hash)) return undefined;
  return safeUrl(template.replaceAll('{hash}', commit.hash));
}

/** `since it was last validated (2026-01-10)`, and the other two cut-offs, for a sentence. */
export function sinceText(since: ProcessStaleness['since']): string {
  if (since.kind === 'validated') return `since it was last validated (${since.day})`;
  if (since.kind === 'updated') return `since it was last updated (${since.day}; it was never validated)`;
  return 'since each reference was written (it has no Last Validated or Last Updated date)';
}

const ROW = 30;
const LABEL = 190;
const VALUE = 130;

/**
 * Rows of "days since validation vs code changes": each row's track spans the
 * longest age shown; a muted bar runs from the validation date to `asOf`, a
 * warning bar from the first later code change, a tick per day with changes.
 * Decorative: the page prints the same numbers in a table.
 */
export function staleProcessesChart(rows: readonly StaleProcessRow[], asOf: string | undefined, options: { title: string; width?: number }): string {
  const width = options.width ?? 640;
  const plot = width - LABEL - VALUE;
  const span = Math.max(1, ...rows.map((row) => Math.max(row.daysSince ?? 0, row.behindDays)));
  const x = (daysAgo: number) => LABEL + plot - Math.round((Math.min(daysAgo, span) / span) * plot);
  const height = Math.max(1, rows.length) * ROW;
  const body = rows.map((row, i) => {
    const y = i * ROW;
    const since = row.daysSince !== undefined ? `<rect class="tone-muted" x="${x(row.daysSince)}" y="${y + 6}" width="${LABEL + plot - x(row.daysSince)}" height="${ROW - 12}" rx="3"></rect>` : '';
    const behind = `<rect class="tone-warn" x="${x(row.behindDays)}" y="${y + 10}" width="${Math.max(2, LABEL + plot - x(row.behindDays))}" height="${ROW - 20}" rx="2"></rect>`;
    const ticks = asOf
      ? row.changeDays.map((day) => `<rect class="tone-bad" x="${Math.min(x(Math.max(0, daysBetween(day, asOf) ?? 0)), LABEL + plot - 2)}" y="${y + 4}" width="2" height="${ROW - 8}"></rect>`).join('')
      : '';
    const value = `${row.daysSince !== undefined ? `${row.daysSince} d` : '—'} · ${row.commitCount} ${row.commitCount === 1 ? 'commit' : 'commits'}`;
    return (
      `<g>` +
      `<text class="chart-label" x="${LABEL - 8}" y="${y + ROW / 2}" dy="0.35em" text-anchor="end">${escapeHtml(truncate(row.name, Math.floor(LABEL / LABEL_CHAR_WIDTH)))}</text>` +
      `<rect class="chart-track" x="${LABEL}" y="${y + 6}" width="${plot}" height="${ROW - 12}" rx="3"></rect>` +
      since +
      behind +
      ticks +
      `<text class="chart-value" x="${LABEL + plot + 6}" y="${y + ROW / 2}" dy="0.35em">${escapeHtml(value)}</text>` +
      `</g>`
    );
  });
  const empty = rows.length === 0 ? `<text class="chart-label" x="0" y="${ROW / 2}" dy="0.35em">none</text>` : '';
  return (
    `<svg class="chart stale-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true" focusable="false" font-size="13">` +
    `<title>${escapeHtml(options.title)}</title>${body.join('')}${empty}</svg>`
  );
}
