/**
 * Normalisers for hand-written metadata values (CONVENTIONS §3, §5): keys,
 * statuses, dates, percentages and template placeholders. Pure functions that
 * return `undefined` for anything they cannot read; callers decide whether
 * that is a problem.
 */
import type { ProcessStatus, TaskStatus } from '../schema.ts';

/** `Last Validated`, `last_validated`, `lastValidated:` → `last validated`. */
export function normaliseKey(label: string): string {
  let key = stripDecorations(label);
  // camelCase keys come from front matter; labels with spaces are already words
  if (!/\s/.test(key)) key = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  // The trailing `:` goes last, so what the other steps expose goes too (`a:_`): normalising twice changes nothing.
  return withoutTrailing(key.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').toLowerCase(), ':\\');
}

/**
 * `text` without trailing blanks and `chars`, e.g. `Status::` → `Status`. A
 * loop, not `/:+\s*$/`: that regex retries the run from every position,
 * quadratic on a long line of colons.
 */
function withoutTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && (chars.includes(text[end - 1]) || /\s/.test(text[end - 1]))) end--;
  return text.slice(0, end).trim();
}

const EMOJI = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}\u{20E3}]/gu;
/** Every character EMOJI matches is outside ASCII. */
const NON_ASCII = /[^\x00-\x7f]/;

/** Whitespace other than a space, or a space followed by whitespace: what `/\s+/g` → `' '` changes. */
const SPACE_TO_COLLAPSE = /[^\S ]| \s/;

/** Remove `**`, backticks, emoji and hard-break residue; collapse whitespace. */
export function stripDecorations(value: string): string {
  // Emoji and backticks first: removing them can join two `*` into a `**`.
  // Each pass only where it can change something: four regex passes over every value were 0.3 s of a cold check (profiled).
  const plain = NON_ASCII.test(value) ? value.replace(EMOJI, '') : value;
  const unquoted = plain.includes('`') ? plain.replace(/`/g, '') : plain;
  const joined = unquoted.includes('**') ? unquoted.replace(/\*\*/g, '') : unquoted;
  // Collapsing is a no-op unless some whitespace is not a lone space.
  const text = SPACE_TO_COLLAPSE.test(joined) ? joined.replace(/\s+/g, ' ') : joined;
  return withoutTrailing(text, '\\'); // a backslash hard break at the end of a line
}

/** Lower-case words only, with parenthetical asides dropped, for vocabulary matching. */
function words(text: string): string {
  return withoutAsides(stripDecorations(text))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Replace each `(` … first `)` span with a space, as `/\([^)]*\)/g` would, in
 * one pass: the regex scans to the end from every `(` that has no `)` after
 * it, which is quadratic on a long line of `(`.
 */
function withoutAsides(text: string): string {
  const lastClose = text.lastIndexOf(')');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('(', i);
    if (open < 0 || open > lastClose) break;
    const close = text.indexOf(')', open);
    out += `${text.slice(i, open)} `;
    i = close + 1;
  }
  return out + text.slice(i);
}

/** True when `text` is `phrase` or starts with it as whole words. */
function startsWithPhrase(text: string, phrase: string): boolean {
  return text === phrase || text.startsWith(`${phrase} `);
}

const PROCESS_STATUS_WORDS: Array<[string, ProcessStatus]> = [
  ['current implementation', 'current_implementation'],
  ['current', 'current_implementation'],
  ['draft', 'draft'],
  ['validated', 'validated'],
  ['implemented', 'implemented'],
  ['deprecated', 'deprecated'],
  ['obsolete', 'deprecated'],
  ['superseded', 'deprecated'],
  ['retired', 'deprecated'],
];

/** `current_implementation`, `Current Implementation`, `✅ Validated` → the process status; else undefined. */
export function parseProcessStatus(text: string): ProcessStatus | undefined {
  if (isPlaceholder(text)) return undefined;
  const norm = words(text);
  for (const [phrase, status] of PROCESS_STATUS_WORDS) {
    if (startsWithPhrase(norm, phrase)) return status;
  }
  return undefined;
}

const TASK_STATUS_WORDS: Array<[string, TaskStatus]> = [
  ['not started', 'not_started'],
  ['not yet started', 'not_started'],
  ['not implemented', 'not_started'],
  ['not begun', 'not_started'],
  ['pending', 'not_started'],
  ['planned', 'not_started'],
  ['todo', 'not_started'],
  ['to do', 'not_started'],
  ['backlog', 'not_started'],
  ['open', 'not_started'],
  ['proposed', 'not_started'],
  ['in progress', 'in_progress'],
  ['wip', 'in_progress'],
  ['ongoing', 'in_progress'],
  ['started', 'in_progress'],
  ['underway', 'in_progress'],
  ['under way', 'in_progress'],
  ['in review', 'in_progress'],
  ['partially complete', 'in_progress'],
  ['partially implemented', 'in_progress'],
  ['partial', 'in_progress'],
  ['blocked', 'blocked'],
  ['on hold', 'blocked'],
  ['complete', 'complete'],
  ['completed', 'complete'],
  ['done', 'complete'],
  ['finished', 'complete'],
  ['implemented', 'complete'],
  ['closed', 'complete'],
  ['resolved', 'complete'],
  ['fixed', 'complete'],
  ['deployed', 'complete'],
  ['shipped', 'complete'],
  ['merged', 'complete'],
  ['100', 'complete'], // `100% Complete`: the sign is gone with the punctuation
  ['on track', 'in_progress'],
];

/** `✅ Complete`, `WIP`, `Blocked by TASK-002`, `❌ **NOT IMPLEMENTED**` → the task status; else undefined. */
export function parseTaskStatus(text: string): TaskStatus | undefined {
  if (isPlaceholder(text)) return undefined;
  const norm = words(text);
  for (const [phrase, status] of TASK_STATUS_WORDS) {
    if (startsWithPhrase(norm, phrase)) return status;
  }
  return undefined;
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const SLASH_DATE = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
const MONTH_FIRST = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;
const DAY_FIRST = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$/i;

/**
 * `2026-01-05`, `2026-01-05T10:00Z`, `2026/01/05`, `January 5, 2026`, `5 Jan 2026` → `2026-01-05`.
 * Impossible dates and day/month-ambiguous forms (`05/01/2026`) give undefined.
 */
export function parseIsoDate(text: string): string | undefined {
  const value = stripDecorations(text);
  let match = ISO_DATE.exec(value) ?? SLASH_DATE.exec(value);
  if (match) return formatDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = MONTH_FIRST.exec(value);
  if (match) return formatDate(Number(match[3]), MONTHS[match[1].toLowerCase()], Number(match[2]));
  match = DAY_FIRST.exec(value);
  if (match) return formatDate(Number(match[3]), MONTHS[match[2].toLowerCase()], Number(match[1]));
  return undefined;
}

/**
 * Words where a date goes (`After the load-test run`, `last Tuesday`): no year and no month
 * written, so no date was attempted and none was mistyped.
 */
export function writesNoDate(text: string): boolean {
  const value = stripDecorations(text).toLowerCase();
  if (/(?<!\d)(?:19|20)\d{2}(?!\d)/.test(value)) return false;
  return !(value.match(/[a-z]+/g) ?? []).some((word) => word in MONTHS);
}

/** What a hand-written date says: a day, or only a month or a year, or a template's `2025-01-XX`. */
export type WrittenDate = { day: string; precision: 'day' | 'month' | 'year' } | { placeholder: true };

const WEEKDAY = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+/i;
// A time, a zone, an aside or a closing full stop after the date: `July 2, 2025, 3:55 PM (draft)`.
const TRAILER = /(?:[,\s]+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?)?\s*(?:\([^()]*\))?\s*[.;]?$/i;
const MONTH_YEAR = /^([a-z]+)\.?,?\s+(\d{4})$/i;
const NUMERIC_US_OR_EU = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/;
const PLACEHOLDER_DATE = /^(?:\d{4}|YYYY)[-/.](?:\d{1,2}|MM|XX?)[-/.](?:XX?|DD)$|^\d{4}[-/.]XX?[-/.]XX?$/i;

/**
 * Read a date as people write it in metadata: `2025-11-02`, `2025-11-02.`, `Friday, October 24,
 * 2025`, `July 2, 2025, 3:55 PM`, `November 20, 2025 (Updated)`, `5/13/2025` (only when the day
 * cannot be taken for the month), `January 2025`, `2025`. A month or a year counts as its last
 * day, so an age computed from it never runs ahead of what the writer claimed.
 */
export function readWrittenDate(text: string): WrittenDate | undefined {
  // No date is longer; the bound also keeps the trailer's backtracking small on hostile lines.
  if (text.length > 120) return undefined;
  const value = stripDecorations(text).replace(WEEKDAY, '').replace(TRAILER, '').trim();
  if (PLACEHOLDER_DATE.test(value)) return { placeholder: true };
  const day = parseIsoDate(value) ?? numericDate(value);
  if (day) return { day, precision: 'day' };
  const monthYear = MONTH_YEAR.exec(value);
  const month = monthYear ? MONTHS[monthYear[1].toLowerCase()] : undefined;
  if (monthYear && month) {
    const year = Number(monthYear[2]);
    return { day: formatDate(year, month, daysInMonth(year, month))!, precision: 'month' };
  }
  if (/^\d{4}$/.test(value) && Number(value) >= 1970) return { day: `${value}-12-31`, precision: 'year' };
  return undefined;
}

/** `5/13/2025` or `13/5/2025`; `5/6/2025` could be either, so it is not read. */
function numericDate(value: string): string | undefined {
  const match = NUMERIC_US_OR_EU.exec(value);
  if (!match) return undefined;
  const [first, second, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (first > 12) return formatDate(year, second, first);
  if (second > 12) return formatDate(year, first, second);
  return first === second ? formatDate(year, first, second) : undefined;
}

/** `YYYY-MM-DD` when the parts make a real calendar date. */
function formatDate(year: number, month: number | undefined, day: number): string | undefined {
  if (month === undefined || month < 1 || month > 12 || year < 1000) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  // day 0 of the next month is the last day of this one
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `40%`, `40 %`, `40% (2 of 5 steps)` → 40; placeholders and values outside 0–100 → undefined. */
export function parsePercent(text: string): number | undefined {
  if (isPlaceholder(text)) return undefined;
  const match = /^(\d{1,3}(?:\.\d+)?)\s*%?(?!\d)/.exec(stripDecorations(text));
  if (!match) return undefined;
  const value = Number(match[1]);
  return value <= 100 ? value : undefined;
}

const PLACEHOLDER_PATTERNS: RegExp[] = [
  /^\[[^\]]*\]$/, // [Status], [YYYY-MM-DD], [X%]
  /\{\{[^{}]*\}\}/, // {{name}} (no `{` inside, so a line of `{` is linear)
  /\b[A-Z]+[-_]X{2,}\b/, // TASK-XXX
  /\bYYYY\b/, // YYYY-MM-DD inside a larger value
  /\bline-range\b/, // file.tf:line-range
  /(^|\/)path\/to\//, // path/to/file
  /^file\d*\.[a-z0-9]+$/i, // file1.tf, file2.yml in the playbook templates
  /^(\.\.\.|…)$/,
  /^_{2,}$/, // a blank to fill in: `**Owner**: ___`, `- [Benefit 2]: ___` (read as a link definition)
];

/** An alternatives list from a template: `Complete | In Progress | Blocked`. */
const ALTERNATIVE = /^[\p{L}][\p{L}/_ -]{0,40}$/u;

/**
 * Two or more short word choices split by `|`. Checked part by part: as one
 * regex, `(\s*\|\s*[\p{L}][\p{L}/_ -]{0,40})+` can split the spaces around each
 * `|` two ways, and a long near-miss backtracks exponentially.
 */
function isAlternatives(text: string): boolean {
  const parts = text.split('|');
  return parts.length > 1 && parts.every((part) => ALTERNATIVE.test(part.trim()));
}

/** `<name>` but not an autolink such as `<https://…>` or `<ops@example.com>`. */
function isAngleHole(value: string): boolean {
  return /^<[^<>]+>$/.test(value) && !/^<[a-z][a-z0-9+.-]*:|@/i.test(value);
}

/** True for template text that stands in for a value: `[Status]`, `TASK-XXX`, `<name>`, `{{x}}`, `A | B | C`. */
export function isPlaceholder(value: string): boolean {
  const text = stripDecorations(value);
  if (text === '') return false;
  if (isAngleHole(text)) return true;
  if (isAlternatives(text)) return true;
  return PLACEHOLDER_PATTERNS.some((pattern) => pattern.test(text));
}
