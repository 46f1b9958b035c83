/**
 * The site's view of a graph: lookups between entities and the URL every
 * repository location gets. Pure: takes the collections' data, returns data.
 * Pages build one {@link SiteIndex} per build and read everything through it.
 */
import type {
  ChangeEntry,
  Diagnostic,
  Document,
  Environment,
  FileNode,
  Marker,
  Process,
  ProcessStaleness,
  Reference,
  Task,
} from '../core/schema.ts';
import type { LinkTarget, MarkdownContext } from './markdown.ts';
import { referenceState } from './reference-state.ts';
import { processHealth, type ProcessHealth } from '../core/health/process-health.ts';
import { compareText } from '../core/text/compare.ts';
import { daysBetween } from '../core/text/days-between.ts';
import { safeUrl } from '../core/urls/safe-url.ts';
import { createUrls, type SiteUrls } from '../core/urls/urls.ts';

/** Repository-wide facts the pages show; one entry of the `site` collection. */
export interface SiteMeta {
  /** Repository name. */
  name: string;
  /** Site title (config `site.title`, else the name). */
  title: string;
  /** Base path the site is served under, normalised (`/`, `/docs/`). */
  base: string;
  /** "View source" template from config `site.repoUrl`. */
  repoUrl?: string;
  /** Commit link template from config `site.commitUrl` (`{hash}`). */
  commitUrl?: string;
  /** Full hash of the scanned HEAD, when git history was read: "view on GitHub at this commit". */
  commit?: string;
  /** Absolute site URL from config `site.url`. */
  url?: string;
  /** The date ages are measured against: newest date in the repository (or `SOURCE_DATE_EPOCH`). */
  referenceDate?: string;
  /** Days after which a validation counts as old. */
  validationMaxAgeDays: number;
  /** Number of files discovered. */
  fileCount: number;
  /** Problems `waymark-suppressions.json` allows: known debt, listed apart from the problems. */
  suppressed?: Diagnostic[];
  /** Set when the files' entries leave their text out (a build): the repository's real root and the size limit the file page reads them with. */
  source?: { root: string; maxFileSize: number };
  /** `waymark dev`: the refresh that wrote the store (`SiteMetaSchema`). */
  generation?: number;
}

/** A diagnostic with the stable id of its entry. */
export type Problem = Diagnostic & { id: string };

/** Everything the site shows, as arrays of the engine's types. */
export interface SiteData {
  meta: SiteMeta;
  processes: Process[];
  tasks: Task[];
  changes: ChangeEntry[];
  files: FileNode[];
  environments: Environment[];
  problems: Problem[];
  documents: Document[];
  markers: Marker[];
  references: Reference[];
  /** Per process, the cited code changed since validation; absent or empty without git history. */
  staleness?: ProcessStaleness[];
}

function byKey<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T> {
  return new Map(items.map((item) => [key(item), item]));
}

/** A process's environments: those that list it, and the names its metadata gives (known or not), by name. */
function environmentsOfProcess(
  p: Process,
  environments: readonly Environment[],
  environmentByName: ReadonlyMap<string, Environment>,
): { name: string; environment?: Environment }[] {
  const found = new Map<string, { name: string; environment?: Environment }>();
  for (const e of environments) if (e.processes.includes(p.id)) found.set(e.id, { name: e.name, environment: e });
  for (const name of p.environments) {
    const e = environmentByName.get(name.toLowerCase());
    const key = e ? e.id : `name:${name.toLowerCase()}`;
    if (!found.has(key)) found.set(key, { name: e?.name ?? name, environment: e });
  }
  return [...found.values()].sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()));
}

/** Each item under every key it has; an item lists its keys once. */
function groupByEach<T>(items: readonly T[], keys: (item: T) => Iterable<string>): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    for (const k of keys(item)) {
      const list = map.get(k);
      if (list) list.push(item);
      else map.set(k, [item]);
    }
  }
  return map;
}

/** The first item under each key it has. */
function firstByEach<T>(items: readonly T[], keys: (item: T) => Iterable<string>): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) for (const k of keys(item)) if (!map.has(k)) map.set(k, item);
  return map;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K | undefined): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Newest first by ISO date, undated last, then by id for a stable order. */
export function sortChanges(changes: readonly ChangeEntry[]): ChangeEntry[] {
  return [...changes].sort((a, b) => {
    if (a.date !== b.date) {
      if (!a.date) return 1;
      if (!b.date) return -1;
      return a.date < b.date ? 1 : -1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

// Pages sort with the same comparer as the model.
export { compareText };

export interface SiteIndex extends SiteData {
  urls: SiteUrls;
  process: Map<string, Process>;
  task: Map<string, Task>;
  file: Map<string, FileNode>;
  document: Map<string, Document>;
  marker: Map<string, Marker>;
  reference: Map<string, Reference>;
  environment: Map<string, Environment>;
  change: Map<string, ChangeEntry>;
  /** Process id → what changed in its cited code since validation (only when git history was read). */
  stalenessOf: Map<string, ProcessStaleness>;
  /** Process id → its one health value (`src/core/health/process-health.ts`); every page reads this. */
  health: Map<string, ProcessHealth>;
  /** Defining document path → process. */
  processByFile: Map<string, Process>;
  /** Task id as written → tasks with that id (several when scopes differ). */
  tasksById: Map<string, Task[]>;
  /** Summary path → task. */
  taskBySummary: Map<string, Task>;
  /** `plan file` NUL `line` → the task planned there (the first, if several claim it). */
  taskByPlanLine: Map<string, Task>;
  /** Task id as written → changes naming it, in `changes` order. */
  changesByTaskId: Map<string, ChangeEntry[]>;
  /** File path → problems in it. */
  problemsByFile: Map<string, Problem[]>;
  /** Environment name (lower-case) → environment. */
  environmentByName: Map<string, Environment>;
  /** Marker id → the environments it is tagged with. */
  environmentsByMarker: Map<string, Environment[]>;
  /** Environments of a process: the engine's links plus the names its document uses. */
  processEnvironments(process: Process): { name: string; environment?: Environment }[];
  /** Site URL for a repository location, or undefined when the site has no page for it. */
  linkFor(target: LinkTarget): string | undefined;
  /** Site URL for a resolved reference. */
  referenceHref(reference: Reference): string | undefined;
  /** Site URL of the place a reference stands (document section or code line). */
  sourceHref(file: string, line: number): string | undefined;
  /** The section heading of a document that holds a line. */
  sectionAt(path: string, line: number): { text: string; slug: string } | undefined;
  /** Context for rendering one document's markdown. */
  markdownContext(doc: Document): MarkdownContext;
}

/** Build the lookups the pages need. */
export function indexSite(data: SiteData, base = '/'): SiteIndex {
  const urls = createUrls(base, { documents: data.documents.map((d) => d.path), tasks: data.tasks });
  const process = byKey(data.processes, (p) => p.id);
  const task = byKey(data.tasks, (t) => t.key);
  const file = byKey(data.files, (f) => f.path);
  const document = byKey(data.documents, (d) => d.path);
  const marker = byKey(data.markers, (m) => m.id);
  const reference = byKey(data.references, (r) => r.id);
  const environment = byKey(data.environments, (e) => e.id);
  const change = byKey(data.changes, (c) => c.id);
  const stalenessOf = byKey(data.staleness ?? [], (s) => s.id);
  const health = processHealth({ ...data, diagnostics: data.problems });
  const processByFile = byKey(data.processes, (p) => p.file);
  const tasksById = groupBy(data.tasks, (t) => t.taskId);
  // Pages look tasks and changes up by these; a scan of every task or change per page would be quadratic.
  const taskBySummary = firstByEach(data.tasks, (t) => t.summaries);
  const taskByPlanLine = firstByEach(data.tasks, (t) => (t.plan ? [planLineKey(t.plan.file, t.plan.line)] : []));
  const changesByTaskId = groupByEach(data.changes, (c) => new Set(c.taskIds));
  const problemsByFile = groupBy(data.problems, (p) => p.file);
  const environmentByName = new Map<string, Environment>();
  for (const e of data.environments) {
    environmentByName.set(e.name.toLowerCase(), e);
    environmentByName.set(e.id.toLowerCase(), e);
  }
  const environmentsByMarker = groupByEach(data.environments, (e) => e.markers);
  const processEnvironments = (p: Process) => environmentsOfProcess(p, data.environments, environmentByName);
  const headingSlugs = new Map(data.documents.map((d) => [d.path, new Set(d.headings.map((h) => h.slug))]));

  // Every URL the model hands a page passes `safeUrl`: a reference's URL comes
  // straight from the scan (or its cache), and both are the repository's to write.
  const linkFor = (target: LinkTarget): string | undefined => safeUrl(pageFor(target));
  const pageFor = (target: LinkTarget): string | undefined => {
    const node = file.get(target.path);
    if (target.line !== undefined && node) {
      return target.line <= node.lineCount ? urls.file(target.path, target.line, clampEnd(target.endLine, node.lineCount)) : urls.file(target.path);
    }
    const anchor = target.anchor && headingSlugs.get(target.path)?.has(target.anchor) ? target.anchor : undefined;
    const proc = processByFile.get(target.path);
    if (proc) return urls.process(proc.id, anchor);
    if (document.has(target.path)) return urls.doc(target.path, anchor);
    if (node) return urls.file(target.path, target.line && target.line <= node.lineCount ? target.line : undefined);
    return undefined;
  };

  const referenceHref = (ref: Reference): string | undefined => safeUrl(referencePage(ref));
  const referencePage = (ref: Reference): string | undefined => {
    if (ref.kind === 'url') return ref.url;
    if (ref.kind === 'id') {
      // The engine may resolve an id to task keys; otherwise match the id as written.
      const keyed = ref.targets.filter((t) => task.has(t));
      if (keyed.length === 1) return urls.task(keyed[0]);
      const candidates = tasksById.get(ref.raw.trim()) ?? [];
      if (candidates.length === 1) return urls.task(candidates[0].key);
      const sameScope = candidates.filter((t) => ref.source.file.startsWith(`${t.scope}/`));
      return sameScope.length === 1 ? urls.task(sameScope[0].key) : undefined;
    }
    if (ref.targets.length !== 1) return undefined;
    const path = ref.targets[0];
    const node = file.get(path);
    if (ref.lines && node) return ref.lines.start <= node.lineCount ? urls.file(path, ref.lines.start, clampEnd(ref.lines.end, node.lineCount)) : urls.file(path);
    return linkFor({ path, anchor: ref.anchor });
  };

  const sectionAt = (path: string, line: number) => {
    const doc = document.get(path);
    if (!doc) return undefined;
    let found: { text: string; slug: string } | undefined;
    for (const h of doc.headings) {
      if (h.line > line) break;
      if (h.depth > 1) found = { text: h.text, slug: h.slug };
    }
    return found;
  };

  const sourceHref = (path: string, line: number): string | undefined => {
    if (document.has(path)) {
      const section = sectionAt(path, line);
      return linkFor({ path, anchor: section?.slug });
    }
    return linkFor({ path, line });
  };

  const referencesBySource = groupBy(data.references, (r) => r.source.file);
  const markdownContext = (doc: Document): MarkdownContext => ({
    path: doc.path,
    linkFor,
    references: referencesBySource.get(doc.path) ?? [],
    referenceHref,
    headingSlugs: doc.headings.map((h) => h.slug),
  });

  return {
    ...data,
    urls,
    process,
    task,
    file,
    document,
    marker,
    reference,
    environment,
    change,
    stalenessOf,
    health,
    processByFile,
    tasksById,
    taskBySummary,
    taskByPlanLine,
    changesByTaskId,
    problemsByFile,
    environmentByName,
    environmentsByMarker,
    processEnvironments,
    linkFor,
    referenceHref,
    sourceHref,
    sectionAt,
    markdownContext,
  };
}

/** A range's last line as far as the file reaches (a range past the end keeps the lines that exist). */
function clampEnd(end: number | undefined, lineCount: number): number | undefined {
  return end === undefined ? undefined : Math.min(end, lineCount);
}

/** Key of `SiteIndex.taskByPlanLine`. */
export function planLineKey(file: string, line: number): string {
  return `${file}\u0000${line}`;
}

/** Newest ISO date found anywhere in the graph's data (changes, processes, tasks). */
export function newestDate(data: Pick<SiteData, 'changes' | 'processes' | 'tasks' | 'documents'>): string | undefined {
  let newest: string | undefined;
  const see = (d: string | undefined) => {
    if (d && /^\d{4}-\d{2}-\d{2}$/.test(d) && (!newest || d > newest)) newest = d;
  };
  for (const c of data.changes) see(c.date);
  for (const p of data.processes) {
    see(p.lastUpdated);
    see(p.lastValidated);
  }
  for (const t of data.tasks) see(t.date);
  for (const d of data.documents) {
    see(d.lastUpdated);
    see(d.lastValidated);
  }
  return newest;
}

const PROCESS_STATUSES = ['draft', 'current_implementation', 'validated', 'implemented', 'deprecated'] as const;
export const TASK_STATUSES = ['not_started', 'in_progress', 'blocked', 'complete'] as const;

/** Human label for a status value: `current_implementation` → `current implementation`. */
export function statusLabel(status: string | undefined): string {
  return status ? status.replace(/_/g, ' ') : 'unknown';
}

/** Whether a reference counts as broken on the site (stale and moved references resolve: they are not). */
export function isBroken(ref: Reference): boolean {
  return referenceState(ref) === 'broken';
}

export interface HomeStats {
  counts: { processes: number; tasks: number; references: number; brokenReferences: number; markers: number; documents: number; files: number; problems: number };
  problemsByRule: { rule: string; error: number; warning: number; info: number }[];
  validation: { validated: number; never: number; recent: number; old: number; buckets: { label: string; value: number; tone: string }[] };
  taskStatus: { status: string; value: number }[];
  processStatus: { status: string; value: number }[];
  recentChanges: ChangeEntry[];
}

/** Numbers for the home page's health overview. */
export function homeStats(site: SiteData, recent = 8): HomeStats {
  const rules = new Map<string, { rule: string; error: number; warning: number; info: number }>();
  for (const p of site.problems) {
    const row = rules.get(p.rule) ?? { rule: p.rule, error: 0, warning: 0, info: 0 };
    row[p.severity] += 1;
    rules.set(p.rule, row);
  }
  const problemsByRule = [...rules.values()].sort(
    (a, b) => b.error + b.warning + b.info - (a.error + a.warning + a.info) || compareText(a.rule, b.rule),
  );
  const ref = site.meta.referenceDate;
  const maxAge = site.meta.validationMaxAgeDays;
  const buckets = [
    { label: `≤ 30 days`, value: 0, tone: 'ok' },
    { label: `31–${maxAge} days`, value: 0, tone: 'info' },
    { label: `> ${maxAge} days`, value: 0, tone: 'warn' },
    { label: 'never', value: 0, tone: 'bad' },
  ];
  for (const p of site.processes) {
    if (!p.lastValidated) buckets[3].value++;
    else {
      const age = ref ? (daysBetween(p.lastValidated, ref) ?? 0) : 0;
      buckets[age <= 30 ? 0 : age <= maxAge ? 1 : 2].value++;
    }
  }
  const validated = site.processes.filter((p) => p.lastValidated).length;
  return {
    counts: {
      processes: site.processes.length,
      tasks: site.tasks.length,
      references: site.references.length,
      brokenReferences: site.references.filter(isBroken).length,
      markers: site.markers.length,
      documents: site.documents.length,
      files: site.files.length,
      problems: site.problems.length,
    },
    problemsByRule,
    validation: { validated, never: site.processes.length - validated, recent: buckets[0].value + buckets[1].value, old: buckets[2].value, buckets },
    taskStatus: TASK_STATUSES.map((status) => ({ status, value: site.tasks.filter((t) => t.status === status).length })),
    processStatus: [...PROCESS_STATUSES, undefined].map((status) => ({
      status: status ?? 'unknown',
      value: site.processes.filter((p) => p.status === status).length,
    })).filter((s) => s.status !== 'unknown' || s.value > 0),
    recentChanges: sortChanges(site.changes).slice(0, recent),
  };
}

/** Problems grouped by rule, rules sorted by id, problems in engine order. */
export function problemsByRule(problems: readonly Problem[]): { rule: string; problems: Problem[] }[] {
  const groups = groupBy(problems, (p) => p.rule);
  return [...groups.entries()].sort(([a], [b]) => compareText(a, b)).map(([rule, list]) => ({ rule, problems: list }));
}

/** Tasks grouped into board columns by status; each column sorted by key. */
export function taskBoard(tasks: readonly Task[]): { status: (typeof TASK_STATUSES)[number]; tasks: Task[] }[] {
  return TASK_STATUSES.map((status) => ({
    status,
    tasks: tasks.filter((t) => t.status === status).sort((a, b) => compareText(a.key, b.key)),
  }));
}

/** A cited range of a file, with the references that cite it. */
export interface CitedRange {
  start: number;
  end: number;
  references: Reference[];
}

/**
 * The line ranges of a file that references point at, merged per identical
 * range and sorted; whole-file citations (no lines) are returned separately.
 */
export function citedRanges(path: string, references: readonly Reference[], lineCount: number): { ranges: CitedRange[]; whole: Reference[] } {
  const ranges = new Map<string, CitedRange>();
  const whole: Reference[] = [];
  for (const ref of references) {
    if (!ref.targets.includes(path)) continue;
    if (!ref.lines || ref.lines.start > lineCount) {
      whole.push(ref);
      continue;
    }
    const start = ref.lines.start;
    const end = Math.min(Math.max(ref.lines.end, start), lineCount);
    const key = `${start}-${end}`;
    const range = ranges.get(key) ?? { start, end, references: [] };
    range.references.push(ref);
    ranges.set(key, range);
  }
  return { ranges: [...ranges.values()].sort((a, b) => a.start - b.start || a.end - b.end), whole };
}

/** One source line for the file page. */
export interface SourceLine {
  number: number;
  text: string;
  /** Inside a cited range. */
  cited: boolean;
  /** First line of a marker block. */
  marker: boolean;
  /** Inside a marker block. */
  inMarker: boolean;
}

/** A file's lines as its page lists them: any line ending, no empty last line after a final newline. */
export function splitSourceLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Split file text into numbered lines with the highlighting each needs. */
export function sourceLines(text: string, ranges: readonly CitedRange[], markers: readonly Marker[]): SourceLine[] {
  const lines = splitSourceLines(text);
  const cited = new Uint8Array(lines.length + 2);
  for (const r of ranges) for (let n = r.start; n <= Math.min(r.end, lines.length); n++) cited[n] = 1;
  const inMarker = new Uint8Array(lines.length + 2);
  const markerStart = new Uint8Array(lines.length + 2);
  for (const m of markers) {
    if (m.line <= lines.length) markerStart[m.line] = 1;
    for (let n = m.line; n <= Math.min(m.endLine, lines.length); n++) inMarker[n] = 1;
  }
  return lines.map((text, i) => ({
    number: i + 1,
    text,
    cited: cited[i + 1] === 1,
    marker: markerStart[i + 1] === 1,
    inMarker: inMarker[i + 1] === 1,
  }));
}
