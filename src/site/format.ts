/**
 * Small text helpers shared by the pages.
 */
import { escapeHtml } from './escape.ts';
import { daysBetween } from '../core/text/days-between.ts';
import type { SourceLine } from './model.ts';
import type { ColouredToken } from './highlight.ts';
import { lineAnchor } from '../core/urls/urls.ts';

/** `1 process`, `3 processes`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A date with its age stated against the date it is counted to, never a bare
 * relative phrase: `2026-01-20 (12 days old as of 2026-02-01)`. The site is
 * static, so "12 days ago" would be wrong the day after the build. A table
 * that says "as of" once, in its header, passes `inHeader` for `12 days old`.
 */
export function ageText(date: string | undefined, reference: string | undefined, inHeader = false): string {
  if (!date) return 'never';
  if (!reference) return date;
  const days = daysBetween(date, reference);
  if (days === undefined) return date;
  if (days <= 0) return `${date} (the newest date)`;
  return `${date} (${plural(days, 'day')} old${inHeader ? '' : ` as of ${reference}`})`;
}

/** Tone class for a process or task status. */
export function statusTone(status: string | undefined): string {
  switch (status) {
    case 'validated':
    case 'implemented':
    case 'complete':
      return 'ok';
    case 'current_implementation':
    case 'in_progress':
      return 'info';
    case 'draft':
    case 'not_started':
      return 'muted';
    case 'blocked':
    case 'deprecated':
      return 'warn';
    default:
      return 'muted';
  }
}

/** Tone class for a severity. */
export function severityTone(severity: string): string {
  return severity === 'error' ? 'bad' : severity === 'warning' ? 'warn' : 'info';
}

/**
 * The numbered source listing of a file page, as one HTML string (a big file
 * would be slow as thousands of template nodes). Every line has an `L<n>` id
 * and a self-link; cited and marker lines get classes for highlighting.
 * With `colours` (from `highlight.ts`) each token is a span classed by its
 * kind; every piece of the file's text is escaped here, coloured or
 * not. `notes` are HTML the page built (and escaped) to show above a line:
 * who cites the range that starts there.
 */
export function sourceHtml(lines: readonly SourceLine[], colours?: readonly ColouredToken[][], notes?: ReadonlyMap<number, string>): string {
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const note = notes?.get(line.number);
    if (note) out.push(note);
    const classes = ['line', line.cited ? 'cited' : '', line.inMarker ? 'marker' : ''].filter(Boolean).join(' ');
    const id = lineAnchor(line.number);
    const text = colours ? colouredText(colours[i]) : escapeHtml(line.text);
    out.push(`<span class="${classes}" id="${id}"><a class="ln" href="#${id}" aria-label="line ${line.number}">${line.number}</a><span class="lt">${text || ' '}</span></span>`);
  }
  return out.join('');
}

/** One line's tokens as HTML; a kind is one of `highlight.ts`'s fixed class letters, never text from the file. */
function colouredText(tokens: readonly ColouredToken[] | undefined): string {
  let html = '';
  for (const token of tokens ?? []) {
    const text = escapeHtml(token.text);
    html += token.kind && /^[a-z]$/.test(token.kind) ? `<span class="${token.kind}">${text}</span>` : text;
  }
  return html;
}
