/**
 * Where a reference stands, for the confidence model of issue 12: how it is written
 * (explicit or a mention) and where (a present description, a plan, an example, an
 * archive, a record of the past). Pure: the document, the reference and the configured
 * words in, a verdict with its evidence out. Rules decide what the verdict is worth.
 */
import { DEFAULT_CONTEXT_WORDS, type ContextWords } from '../config/config.ts';
import { parseTaskStatus } from '../extract/metadata.ts';
import { spelledPaths } from '../history/missing-paths.ts';
import type { Document, Heading, Reference } from '../schema.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

/** Where a reference stands; `present` when nothing says otherwise. */
type Place = 'present' | 'planned' | 'example' | 'archived' | 'historical' | 'scratch';

export interface Standing {
  place: Place;
  /** How it is written, in words for `--explain`. */
  how: string;
  /** Why it got its place, in words for `--explain` (empty for `present`). */
  why: string[];
}

/** How each origin is written, for `--explain`. */
const HOW: Record<Reference['origin'], string> = {
  link: 'written as a markdown link: an explicit reference, a reader can click it',
  'code-reference': 'written in a code-reference field: an explicit reference',
  'files-modified': 'listed as a file created or modified: an explicit reference',
  marker: "written in a code comment's reference field: an explicit reference",
  mention: 'written as a backticked path in prose: a mention',
};

/** A mention that cites lines (`Api/Health.cs:3`, `lb.tf:12-48`) points at code on purpose. */
const CITED_LINES = 'written with line numbers (`path:N-M`): an explicit reference';

/** Whether the text makes the claim on purpose (a field, a link, cited lines), not a path named in passing. */
export function isExplicit(reference: Pick<Reference, 'origin' | 'lines'>): boolean {
  return reference.origin !== 'mention' || reference.lines !== undefined;
}

/** `docs/archive/OldPlan.md` → `docs archive old plan md` (lower case, camelCase split). */
function words(text: string): string {
  return ` ${text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}.]+/gu, ' ')
    .replace(/\.(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

/** A word's pattern, and its first token in lower case for a plain substring test first (undefined when the word is not ASCII). */
const patterns = new Map<string, { pattern: RegExp; needle?: string }>();
const ASCII = /^[\x00-\x7f]*$/;

/** Per word list: one pattern for "any of its words", and the answers given so far, by text. */
const lists = new WeakMap<readonly string[], { any: RegExp; answers: Map<string, string | null> }>();
/** Answers kept per list before they are dropped (a resident engine lives long): a check asks a few thousand. */
const MAX_ANSWERS = 20_000;

/**
 * The first of `list` that `text` holds as a whole word or phrase, case-insensitively.
 * Most texts hold none of the words: one alternation of the whole list says so in one
 * pass (it matches exactly when some word's own pattern does), and only a text that
 * holds one is searched word by word for the first in list order. The same texts come
 * back for every reference of a document (its folders, name and title), so answers are
 * kept. Profiled on a 750-file repository, a word at a time took 0.25 s of a warm check.
 */
function firstWord(text: string, list: readonly string[]): string | undefined {
  let entry = lists.get(list);
  if (!entry) {
    const any = list.length === 0 ? /(?!)/ : new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${list.map(wordSource).join('|')})(?=$|[^\\p{L}\\p{N}])`, 'iu');
    lists.set(list, (entry = { any, answers: new Map() }));
  }
  const known = entry.answers.get(text);
  if (known !== undefined) return known ?? undefined;
  const found = entry.any.test(text) ? firstWordInOrder(text, list) : undefined;
  if (entry.answers.size >= MAX_ANSWERS) entry.answers.clear();
  entry.answers.set(text, found ?? null);
  return found;
}

/** Per word: its pattern at the start of a text, past emphasis (`**Files to Create:**`). */
const leading = new Map<string, RegExp>();

/** The first of `list` that starts `text` (a caption: `Files to Create:`, not `When making future changes:`). */
function leadingWord(text: string, list: readonly string[]): string | undefined {
  return list.find((word) => {
    let pattern = leading.get(word);
    if (!pattern) leading.set(word, (pattern = new RegExp(`^[\\s*_]*${wordSource(word)}(?=$|[^\\p{L}\\p{N}])`, 'iu')));
    return pattern.test(text);
  });
}

/** A word as its pattern spells it: lower case, escaped, any run of blanks matching blanks, `_` or `-`. */
function wordSource(word: string): string {
  return escapeRegExp(word.toLowerCase()).replace(/\s+/g, '[\\s_-]+');
}

/**
 * The first of `list` that `text` holds, word by word: an ASCII text is searched for
 * each word's first token as a plain substring before the Unicode-aware regex runs
 * (for ASCII, lower case is exactly the regex's case folding).
 */
function firstWordInOrder(text: string, list: readonly string[]): string | undefined {
  const lower = ASCII.test(text) ? text.toLowerCase() : undefined;
  for (const word of list) {
    let entry = patterns.get(word);
    if (!entry) {
      const pattern = new RegExp(`(?:^|[^\\p{L}\\p{N}])${wordSource(word)}(?=$|[^\\p{L}\\p{N}])`, 'iu');
      entry = { pattern, needle: ASCII.test(word) ? word.trim().toLowerCase().split(/\s+/)[0] : undefined };
      patterns.set(word, entry);
    }
    if (lower !== undefined && entry.needle !== undefined && !lower.includes(entry.needle)) continue;
    if (entry.pattern.test(text)) return word;
  }
  return undefined;
}

/**
 * A name of the reference's path that a shell block earlier in the same section (from its `##`)
 * creates: `mkdir monitoring && touch main.tf` above **Edit `modules/monitoring/main.tf`:**.
 */
function createdEarlier(reference: ContextInput['reference'], document: Pick<Document, 'headings' | 'created'>): string | undefined {
  if (!document.created || !reference.path) return undefined;
  const line = reference.source.line;
  let start = 0;
  for (const heading of document.headings) {
    if (heading.line > line) break;
    if (heading.depth <= 2) start = heading.line;
  }
  const names = new Set(reference.path.split('/'));
  return document.created.find((made) => made.line > start && made.line < line && names.has(made.name))?.name;
}

/** Whether `line` is a heading over a checklist with nothing ticked: `### \`e2e/admin.spec.ts\`` above `- [ ] case …` items. */
function headsUntickedList(line: number, document: Pick<Document, 'headings' | 'checkboxes'>): boolean {
  const at = document.headings.findIndex((heading) => heading.line === line);
  if (at === -1) return false;
  const depth = document.headings[at].depth;
  const end = document.headings.slice(at + 1).find((heading) => heading.depth <= depth)?.line ?? Infinity;
  const items = document.checkboxes.filter((item) => item.line > line && item.line < end);
  return items.length > 0 && items.every((item) => !item.checked);
}

/** Longest list intro read as a caption (`**Files to Create:**`) rather than a sentence. */
const MAX_CAPTION = 40;

/** The headings enclosing `line`, outermost first. */
function headingsAt(headings: readonly Heading[], line: number): Heading[] {
  const stack: Heading[] = [];
  for (const heading of headings) {
    if (heading.line > line) break;
    while (stack.length > 0 && stack[stack.length - 1].depth >= heading.depth) stack.pop();
    stack.push(heading);
  }
  return stack;
}

/** Heading text without its numbering and decorations: `5.3 Create Script` → `Create Script`. */
function headingWords(text: string): string {
  return text.replace(/^[^\p{L}]*(?:step|phase|part)?\s*[\d.]*[:.)\s-]*/iu, '').trim();
}

function startsWithVerb(text: string, verbs: readonly string[]): string | undefined {
  const start = text.replace(/^[\s>*_\-+|#\d.)[\]]*/u, '').replace(/^\*\*|^__/, '');
  const verb = firstWord(start.split(/\s+/).slice(0, 1).join(' '), verbs);
  return verb;
}

/** The document's own words: folder, file name and H1. */
function documentFacts(document: Pick<Document, 'path' | 'title'>): { folders: string[]; name: string; title: string } {
  const parts = document.path.split('/');
  const name = parts.pop() ?? '';
  return { folders: parts, name: words(name.replace(/\.(md|mdx|markdown)$/i, '')), title: document.title };
}

const MONTHS = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november', 'december']);

/**
 * The one of `list` that ends `text` (words of a file name), trailing numbers and versions
 * aside: a name says what it is by its last word, so `sync-report.md` and `DAY1_PROGRESS.md`
 * are records while `report-templates.md` and `progress-tracking.md` are not.
 */
function headWord(text: string, list: readonly string[]): string | undefined {
  const tokens = text.trim().split(' ');
  // `PHASE_4_COMPLETE_2025-06-26.md`, `migration_completion_oct_2025.md`: a date after the name is no word of it.
  while (tokens.length > 1 && (/^v?\d[\d.]*$/.test(tokens[tokens.length - 1]) || MONTHS.has(tokens[tokens.length - 1]))) tokens.pop();
  return list.find((word) => {
    const parts = word.toLowerCase().split(/[\s_-]+/);
    return parts.length <= tokens.length && parts.every((part, i) => tokens[tokens.length - parts.length + i] === part);
  });
}

/**
 * Why a document reads as a report of its day, or undefined: a `report` word ending its
 * file name or title, or in its folders (`sync-report.md`, `reports/`), a report's kind, or its own
 * status saying the work is done. What such a document names existed when it was written; whether it
 * still does is not its claim.
 * A whole date in its file name too, outside its reading list: a dated ADR's `## References` points today's
 * reader at pages that should still be there (a first try, round 4, took any date and was dropped for one
 * living TownePark document; measured again on rounds 1–28, only those reading lists lost right errors).
 */
export function reportOfItsDay(
  document: Pick<Document, 'path' | 'title' | 'kind' | 'headings' | 'metadata' | 'statusSection'>,
  list: ContextWords = DEFAULT_CONTEXT_WORDS,
  line?: number,
): string | undefined {
  const facts = documentFacts(document);
  // A change log too: its released entries, links included, describe the tree of their day.
  const word = namedAs(facts, list.reportDocuments) ?? namedAs(facts, list.ledgerDocuments) ?? namedAs(facts, list.historicalDocuments);
  if (word) return `its name or folder says \`${word}\``;
  // `# Technical Debt Remediation Report - Ops Tower`: a title says what the document is by its last word, as a
  // file name does, before any ` - subject` after it.
  const kind = facts.title.split(/\s+[-–—|]\s+|:\s+/)[0];
  const titled = headWord(words(kind), list.reportDocuments) ?? headWord(words(kind), list.ledgerDocuments);
  if (titled) return `its title says \`${titled}\``;
  if (document.kind === 'report') return 'it is a report (validation report, audit, gap analysis)';
  if (datedSpec(document.path)) return 'it is a design spec named for its day (`specs/2026-05-15-…`)';
  // `KNOWLEDGE_2025-06-26.md`, `completed/2025-08.md`: named for its day, unless the reference is in its reading
  // list (`## References`), which points today's reader at a page that should still be there.
  const name = document.path.slice(document.path.lastIndexOf('/') + 1);
  if (DATED_NAME.test(name) && !(line !== undefined && underHeading(document.headings, line, READING_LIST))) return `its file name carries its day (\`${name}\`)`;
  // `**Status:** ✅ COMPLETED` heading a story or a summary: the work is done, the document records it. Its own
  // status only, above its first section (a `Status:` under `## Contact` is some project's); and not a process's
  // (`Implemented` says it is in force, not that it is over).
  const sections = document.headings.find((heading) => heading.depth === 2)?.line ?? Number.POSITIVE_INFINITY;
  const status = document.kind === 'process' ? undefined : (document.metadata.find((entry) => entry.key === 'status' && entry.line < sections) ?? document.statusSection);
  if (status && parseTaskStatus(status.value) === 'complete' && !IN_FORCE.test(status.value)) return 'its status says the work is done';
  const entry = datedEntry(document.headings);
  return entry ? `its sections are dated entries (\`## ${entry}\`)` : undefined;
}

/** A done status that also says the document is in force: a spec or a feature page `Implemented` describes what runs. */
const IN_FORCE = /^\W*(?:implemented|deployed)\b/i;

/** A folder of backups or snapshots, which holds copies by the day they were taken. */
const BACKUP_FOLDER = /^\.?(?:backups?|snapshots?)$/i;

/**
 * A folder name that holds a whole date (`20251031_173812_…`, `current_backup_2025-09-01`) or starts
 * with a version (`v2.4.0`, `version_2.4.0_beta`): a copy taken on a day, or of a release.
 */
const BACKUP_COPY = /(?:^|\D)(?:19|20)\d{2}([-_]?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?:$|\D)|^v(?:ersion)?[-_]?\d+\.\d+/i;

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
/** `2025-01-27`, `[2025-01-27]`, `October 20, 2025`, `20 October 2025` at the start of a heading. */
const DATED_HEADING = new RegExp(`^\\[?(?:\\d{4}-\\d{2}-\\d{2}|${MONTH} \\d{1,2},? \\d{4}|\\d{1,2} ${MONTH} \\d{4})\\b`, 'i');

/**
 * A dated section heading, when most section headings start with a date: a log kept entry by
 * entry (`## [2025-01-27] Search operations`, `## October 20, 2025 Testing Session`) whatever its
 * name, its entry template (`## Template for New Entries`) aside.
 */
function datedEntry(headings: readonly Heading[]): string | undefined {
  const sections = headings.filter((heading) => heading.depth === 2);
  const dated = sections.filter((heading) => DATED_HEADING.test(heading.text));
  return dated.length * 2 > sections.length ? dated[0].text : undefined;
}

/**
 * A file name holding a whole date (`KNOWLEDGE_2025-06-26.md`, `20250718_overview.md`) or being a month
 * (`2025-08.md`, a monthly log). Not a month and year in a name (`remaining-work-assessment-jan-2026.md`):
 * the blind audit of this rule found such a document kept current, its moved links fixed as they broke.
 */
const DATED_NAME = /(?:^|\D)(?:19|20)\d{2}([-_]?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?:\D|$)|^(?:19|20)\d{2}-(?:0[1-9]|1[0-2])\.\w+$/i;

/** A reading list's heading: `## References`, `### Reference`. */
const READING_LIST = /\breferences?\b/i;

/** Whether a section heading (not the title) above `line`, or one it sits under, matches `pattern`. */
function underHeading(headings: readonly Heading[], line: number, pattern: RegExp): boolean {
  return headingsAt(headings, line).some((heading) => heading.depth > 1 && pattern.test(heading.text));
}

/** A name that starts with its day: `2026-05-15-refund-queue-design.md`. */
const DAY_NAMED = /^(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[-_]/;

/**
 * A design spec written on its day for work to come, as the superpowers plugin files them
 * (`docs/superpowers/specs/2026-05-15-refund-queue-design.md`): dated by its name, in a `specs/`
 * folder. Not an undated spec (`specs/001-refunds/plan.md`, `specs/api.md`), which is kept current.
 */
function datedSpec(path: string): boolean {
  const parts = path.split('/');
  const name = parts.pop() ?? '';
  return DAY_NAMED.test(name) && parts.some((part) => /^specs?$/i.test(part));
}

/** The word of `list` that ends the document's file name, or names one of its folders. */
function namedAs(facts: { folders: string[]; name: string }, list: readonly string[]): string | undefined {
  return headWord(facts.name, list) ?? facts.folders.map((segment) => firstWord(words(segment), list)).find(Boolean);
}

/** The heading of a see-also section (`## Related Files`) the line sits in, or undefined. */
export function pointerSection(document: Pick<Document, 'headings'>, line: number, list: ContextWords = DEFAULT_CONTEXT_WORDS): string | undefined {
  const nearest = headingsAt(document.headings, line).filter((heading) => heading.depth > 1).pop();
  return nearest && firstWord(nearest.text, list.pointerSections) ? nearest.text : undefined;
}

export interface ContextInput {
  reference: Pick<Reference, 'origin' | 'lines' | 'path' | 'raw' | 'lineText' | 'source' | 'tableColumn' | 'listIntro'>;
  document?: Pick<Document, 'path' | 'title' | 'kind' | 'headings' | 'checkboxes' | 'metadata' | 'created' | 'statusSection'>;
  words?: ContextWords;
  /** Whether a folder exists in the repository (for placeholder segments such as `example/`). */
  folderExists?: (folder: string) => boolean;
  /** Whether a repository path is a file or a folder (for the new side of `old → new`). */
  pathExists?: (path: string) => boolean;
  /**
   * Whether a file of that name exists anywhere in the repository: a link to it from the wrong folder is broken, not
   * planned. Without it, an unchecked item's link is taken as broken.
   */
  nameExists?: (name: string) => boolean;
}

/**
 * Where a reference stands. The order is the order of certainty: an archived document is
 * out of service whatever it says; a record of the past describes what was; a line or a
 * section may then place the reference in the future or in an example. A markdown link is
 * a claim a reader can click now, so only an archive or the words of its own line move it.
 */
export function standingOf({ reference, document, words: list = DEFAULT_CONTEXT_WORDS, folderExists, pathExists, nameExists }: ContextInput): Standing {
  const how = reference.origin === 'mention' && reference.lines !== undefined ? CITED_LINES : HOW[reference.origin];
  const at = (place: Place, ...why: string[]): Standing => ({ place, how, why });
  if (!document) return at('present');
  const link = reference.origin === 'link';
  const facts = documentFacts(document);

  const folder = facts.folders.find((segment) => firstWord(words(segment), list.archiveFolders));
  if (folder) return at('archived', `the document sits in \`${folder}/\`, a folder of archived documents`);
  // `backups/20251031_173812_deploy_failure/`, `backups/version_2.4.0_beta_20250901/`: a backup named for its day
  // or version holds that day's copy. Not any dated folder: `audits/2026-07-02-whia/` holds a pack its repository
  // keeps current; nor a guide folder `docs/backups/` (no date, no version).
  const dayFolder = facts.folders.find((segment, index) => BACKUP_COPY.test(segment) && facts.folders.slice(0, index).some((folder) => BACKUP_FOLDER.test(folder)));
  if (dayFolder) return at('archived', `the document sits in \`${dayFolder}/\`, a backup named for the day or version it was taken`);
  // A working copy is regenerated or thrown away, not edited: `.tmp/ADR-INDEX.generated.md`.
  // The whole folder name: `ai-generated-reports/` holds reports, `tmp/` working copies.
  const scratch = facts.folders.find((segment) => {
    const name = words(segment).trim().replace(/^\.+/, '');
    return list.scratchDocuments.some((word) => word.toLowerCase() === name);
  });
  if (scratch) return at('scratch', `the document sits in \`${scratch}/\`, a scratch folder: a working copy, not documentation`);
  const generated = headWord(facts.name, list.scratchDocuments);
  if (generated) return at('scratch', `the document's name says \`${generated}\`: it is regenerated, not edited`);
  // The document's own status is its first one; later ones belong to tasks or sections.
  const status = document.metadata.find((entry) => entry.key === 'status');
  const banner = firstWord(document.title, list.archiveBanners) ?? (status ? firstWord(status.value, list.archiveBanners) : undefined);
  if (banner) return at('archived', `the document says it is ${banner.toLowerCase()}`);

  const line = reference.lineText ?? '';
  const before = beforeReference(line, reference.raw);
  // Link texts and targets are names, not markers: `[TODO.md](TODO.md)` plans nothing.
  const around = line.replace(/!?\[[^\]]*\]\([^)]*\)/g, ' ').replace(reference.raw, ' ');
  const planLine = firstWord(around, list.futureLines);
  if (planLine) return at('planned', `its line says \`${planLine}\``);
  const pastLine = firstWord(around, list.pastLines);
  if (pastLine) return at('historical', `its line says \`${pastLine}\`: it speaks of a file that was`);
  // `The following files have been removed:` above the list says what its items are, as a column's header does.
  const intro = reference.listIntro ?? '';
  const planIntro = firstWord(intro, list.futureLines);
  if (planIntro) return at('planned', `its list is introduced by \`${planIntro}\``);
  const pastIntro = firstWord(intro, list.pastLines);
  if (pastIntro) return at('historical', `its list is introduced by \`${pastIntro}\`: it lists files that were`);
  const column = reference.tableColumn;
  const pastColumn = column ? list.pastColumns.find((word) => word.toLowerCase() === column.toLowerCase().replace(/[:.]+$/, '')) : undefined;
  if (pastColumn) return at('historical', `its table column is headed \`${column}\`: it lists files that were`);
  const cell = tableVerb(line, list.futureVerbs);
  if (cell) return at('planned', `its table row says \`${cell}\``);
  // `Delete \`scripts/old.sh\``: the text expects the file gone. `Do not remove \`x\``: it expects it there.
  if (pointedAt(before, list.removalVerbs) && !/\b(?:not|never|don'?t|cannot|can'?t)\b/i.test(before)) {
    return at('historical', 'its line removes it (a removal verb right before the path): the file is meant to be gone');
  }
  // A report's `old → new` records a move whenever it was written; a README's migration map is read as current.
  const moved = pathExists && arrowTarget(line, reference.raw);
  const report = moved && moved !== reference.path && spelledPaths(moved, document.path).some(pathExists) && reportOfItsDay(document, list, reference.source.line);
  if (report) return at('historical', `the document is a report of its day (${report}), and its line maps the path to \`${moved}\`, which exists: it records a move`);
  const example = firstWord(before, list.exampleLines);
  if (example) return at('example', `its line says \`${example}\` before it`);
  // A template's links too are written for where its copies will stand, not for where it stands. By its
  // own name only: a README or a standards page kept in a `templates/` folder describes, it is not copied.
  const template = firstWord(facts.name, list.templateDocuments);
  if (template) return at('example', `the document is a template (\`${template}\`): its paths are written for its copies`);
  const braces = reference.path?.match(/(?:^|\/)(\{[^{},/]+\})(?:\/|$|\.)/)?.[1];
  if (braces) return at('example', `\`${braces}\` in the path is a blank to fill in`);
  // `- [ ] 8.2.1 Mobile wallet ([task_8.2.1.md](task_8.2.1.md))`: the task and its file are still to come. Not a file
  // that exists under another folder (`- [ ] Read [CODE_OF_CONDUCT.md](../CODE_OF_CONDUCT.md)`, a reading list's
  // wrong depth), nor one git removed after the list was written (`withGitEvidence`): those links are broken now.
  const unchecked = uncheckedItemAt(document, reference.source.line);
  const named = reference.path?.replace(/\/+$/, '').split('/').pop() ?? '';
  if (link && unchecked && nameExists && !nameExists(named)) return at('planned', 'it stands in an unchecked checklist item');
  // `| [INFRA-002](infra/INFRA-002-configure.md) | … | ⏸️ Blocked |`: a tracker's task not begun, its file not written.
  const notBegun = notStartedRow(line);
  if (notBegun && nameExists && !nameExists(named)) return at('planned', `its table row's status says \`${notBegun}\`: work not begun`);
  if (link) return at('present');

  const historical = firstWord(facts.name, list.historicalDocuments) ?? facts.folders.map((segment) => firstWord(words(segment), list.historicalDocuments)).find(Boolean);
  if (historical) return at('historical', `the document's name or folder says \`${historical}\`: a record of the past`);
  // Nobody edits last month's entry of a log: what it names is what was there, or what was meant, that day.
  const ledger = namedAs(facts, list.ledgerDocuments);
  if (ledger && !pointerSection(document, reference.source.line, list)) return at('historical', `the document is a ledger written entry by entry (\`${ledger}\`): each entry records its day`);
  if (document.kind === 'report') return at('historical', 'the document is a report (validation report, audit, gap analysis, codebase analysis): a record of its day');
  const dated = /\b\d{4}-\d{2}-\d{2}\b/.exec(document.title)?.[0];
  if (dated) return at('historical', `the document's title dates it (\`${dated}\`): a snapshot of that day`);

  const segment = placeholderSegment(reference.path, list.examplePaths, folderExists);
  if (segment) return at('example', `\`${segment}\` in the path is a placeholder, and no such folder exists`);
  const made = createdEarlier(reference, document);
  if (made) return at('example', `a shell block earlier in its section creates \`${made}\`: a walkthrough's output, not a file that should exist`);

  // A short intro is a caption standing for a heading: `**Files to Create:**` above its list; like a heading, not for a link.
  const caption = intro.length <= MAX_CAPTION ? leadingWord(intro, list.futureSections) : undefined;
  if (caption) return at('planned', `its list is captioned "${intro}", which describes the future (\`${caption}\`)`);
  const headings = headingsAt(document.headings, reference.source.line).filter((heading) => heading.depth > 1);
  for (const heading of [...headings].reverse()) {
    const history = firstWord(heading.text, list.historicalSections);
    if (history) return at('historical', `the section "${heading.text}" records the past`);
    const future = firstWord(heading.text, list.futureSections);
    if (future) return at('planned', `the section "${heading.text}" describes the future (\`${future}\`)`);
    const verb = startsWithVerb(headingWords(heading.text), list.futureVerbs);
    if (verb) return at('planned', `the section "${heading.text}" is a step still to do (\`${verb}\`)`);
    const shown = firstWord(heading.text, list.exampleSections);
    if (shown) return at('example', `the section "${heading.text}" shows an example (\`${shown}\`)`);
  }
  if (unchecked) return at('planned', 'it stands in an unchecked checklist item');
  if (headsUntickedList(reference.source.line, document)) return at('planned', 'it names a section whose checklist is not started: work still to do');
  const step = startsWithVerb(line, list.futureVerbs);
  if (step && /^\s*(?:[-*+]|\d+[.)])\s/.test(line)) return at('planned', `its list item is a step still to do (\`${step}\`)`);
  // A bold label is a step's caption: `**Create**: \`src/app.module.ts\`` above the code to write.
  if (step && /^\s*(?:\*\*|__)/.test(line)) return at('planned', `its line is a step still to do (\`${step}\`)`);

  // Headings that look like ids (`MAJ-005: …`) make a review a `plan` too: only the words decide here.
  // A plan's `Reference:` or `See:` field cites what exists, as its "see `x` for details" does; only its prose and file lists plan.
  const loose = (reference.origin === 'mention' && !pointedAt(before, list.pointerLines)) || reference.origin === 'files-modified';
  const futureDocument = loose ? (firstWord(facts.name, list.futureDocuments) ?? firstWord(facts.title, list.futureDocuments)) : undefined;
  if (futureDocument) return at('planned', `the document is a plan (\`${futureDocument}\` in its name or title): it describes the future`);
  // `implementation-plans/04-terraform.md`: a folder is named for what it holds, by its last word.
  const planFolder = loose ? facts.folders.find((segment) => headWord(words(segment), list.futureDocuments)) : undefined;
  if (planFolder) return at('planned', `the document sits in \`${planFolder}/\`, a folder of plans: it describes the future`);
  if (loose && datedSpec(document.path)) return at('planned', 'the document is a design spec named for its day (`specs/2026-05-15-…`): it describes work to come');
  if (document.kind === 'plan' && reference.origin === 'files-modified') return at('planned', "a plan's task lists it as a file to create or modify");
  // `review.prompt.md` or a `prompts/` folder; not `AGENTS.md`, whose paths are the repository's.
  const prompt = (facts.name.trim().includes(' ') ? firstWord(facts.name, list.exampleDocuments) : undefined) ?? facts.folders.map((part) => firstWord(words(part), list.exampleDocuments)).find(Boolean);
  if (prompt) return at('example', `the document is a prompt or agent file (\`${prompt}\`): its paths are examples`);
  return at('present');
}

/** Whether `line` of the document is an unchecked checklist item (`- [ ] …`). */
export function uncheckedItemAt(document: Pick<Document, 'checkboxes'> | undefined, line: number): boolean {
  return document?.checkboxes.some((item) => item.line === line && !item.checked) ?? false;
}

/**
 * The path an arrow right after the reference leads to, the new side of `old → new`
 * (`\`tests/unit/a_test.go\` → \`internal/a/\``, `Moved: \`a.md\` -> \`docs/a.md\``); a word in
 * parentheses may stand between (`→ (merge) \`b.md\``). Undefined when no arrow follows.
 */
function arrowTarget(line: string, raw: string): string | undefined {
  const index = raw ? line.indexOf(raw) : -1;
  if (index === -1) return undefined;
  const after = line.slice(index + raw.length);
  const match = /^[`*_\s]*(?:→|->|=>|⟶|⇒)\s*(?:\([^)]*\)\s*)?[`*_[]*([\w.~-][^\s`*\])]*)/u.exec(after);
  return match?.[1].replace(/[.,;:]+$/, '').replace(/^\.\//, '');
}

/** The line up to the reference (all of it when the reference is not found). */
function beforeReference(line: string, raw: string): string {
  const index = raw ? line.indexOf(raw) : -1;
  const before = index === -1 ? line : line.slice(0, index);
  // `(e.g., \`a\`), next to \`b\``: the example ends with its parenthesis or clause.
  return before.slice(Math.max(before.lastIndexOf(')'), before.lastIndexOf(';')) + 1);
}

/** Per word list: a pattern for "ends with one of its words", before the quotes, colons and `the` that lead to a path. */
const pointers = new WeakMap<readonly string[], RegExp>();

/** Whether the text before a reference ends by pointing at it: `See `, `(see the `, `Refer to: `. */
function pointedAt(before: string, list: readonly string[]): boolean {
  let pattern = pointers.get(list);
  if (!pattern) {
    // `Deleted: \`a.go\`, \`b.go\``: the items of a list the word leads are pointed at too.
    const items = '(?:`[^`]*`\\s*(?:,|and|or)\\s*)*';
    pattern = list.length === 0 ? /(?!)/ : new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${list.map(wordSource).join('|')})[\\s:(*_"'\`]*(?:the\\s+)?${items}\`?$`, 'iu');
    pointers.set(list, pattern);
  }
  return pattern.test(before);
}

/**
 * The status cell of a tracker row whose task has not begun (`⏸️ Blocked`, `Not Started`, `Pending`), or
 * undefined. A short cell that is a status and nothing more; not `Open`, which an issue tracker says of
 * work that exists.
 */
export function notStartedRow(line: string): string | undefined {
  if (!line.startsWith('|')) return undefined;
  for (const cell of line.split('|')) {
    const text = cell.trim();
    if (text === '' || text.length > STATUS_CELL_CHARS || /^\W*open\b/i.test(text)) continue;
    const status = parseTaskStatus(text);
    if (status === 'not_started' || status === 'blocked') return text;
  }
  return undefined;
}

/** A status cell is a word or two, an emoji and maybe who or what blocks it: `⏸️ Blocked by INFRA-001`. */
const STATUS_CELL_CHARS = 32;

/** A table row with a cell that is exactly a future verb: `| \`a.ts\` | Create | High |`. */
function tableVerb(line: string, verbs: readonly string[]): string | undefined {
  if (!line.startsWith('|')) return undefined;
  const cells = line.split('|').map((cell) => cell.replace(/[*_`]/g, '').trim().toLowerCase());
  return verbs.find((verb) => cells.includes(verb.toLowerCase()));
}

/** A segment (`example`, `your-app`) that stands for a name the reader picks, when no such folder exists. */
function placeholderSegment(path: string | undefined, list: readonly string[], folderExists?: (folder: string) => boolean): string | undefined {
  if (!path) return undefined;
  const parts = path.split('/');
  for (let index = 0; index < parts.length - 1; index++) {
    const segment = parts[index];
    const first = segment.toLowerCase().split(/[-_.]/)[0];
    if (!list.some((word) => word.toLowerCase() === first)) continue;
    if (folderExists?.(parts.slice(0, index + 1).join('/'))) continue;
    return segment;
  }
  return undefined;
}
