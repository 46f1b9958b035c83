/**
 * What a lead triaging many processes needs, as data: one row per process
 * (owner, environments, days since validation, stale and moved counts),
 * problems grouped by severity then by process or file, pages of a long list,
 * a task's progress when its documents state no percentage, and the files and
 * commits behind a change-history row. Pure functions of the site's data.
 */
import type { ChangedCommit, ChangeEntry, Checkbox, Document, Process, Reference, Task } from '../core/schema.ts';
import type { HealthState, ProcessHealth } from '../core/health/process-health.ts';
import { referenceState } from '../core/health/reference-state.ts';
import { compareText } from '../core/text/compare.ts';
import { daysBetween } from '../core/text/days-between.ts';
import type { Problem, SiteIndex } from './model.ts';

/** Metadata keys that name who owns a process, first match wins. */
const OWNER_KEYS = ['owner', 'owners', 'team', 'owning team', 'maintainer', 'maintainers'];

/** One row of the process list, with everything its sort and filters read. */
export interface ProcessRow {
  process: Process;
  health: HealthState;
  owner?: string;
  /** Environment names, sorted. */
  environments: string[];
  /** Days from the last validation to the site's reference date; undefined when never validated or no date. */
  daysSinceValidation?: number;
  /** Validated longer ago than `validationMaxAgeDays`, or never. */
  overdue: boolean;
  /** References whose cited code changed since validation. */
  stale: number;
  /** References whose cited lines moved. */
  moved: number;
  problems: number;
}

type RowSource = Pick<SiteIndex, 'processes' | 'document' | 'reference' | 'health' | 'problemsByFile' | 'meta' | 'processEnvironments'>;

/** The process list's rows, sorted by name. */
export function processRows(site: RowSource): ProcessRow[] {
  const reference = site.meta.referenceDate;
  const maxAge = site.meta.validationMaxAgeDays;
  return [...site.processes]
    .sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.id, b.id))
    .map((process) => {
      const refs = process.references.map((id) => site.reference.get(id)).filter((r): r is Reference => r !== undefined);
      const states = refs.map((r) => referenceState(r));
      const days = process.lastValidated && reference ? daysBetween(process.lastValidated, reference) : undefined;
      const health = site.health.get(process.id) as ProcessHealth | undefined;
      return {
        process,
        health: health?.state ?? 'ok',
        owner: ownerOf(site.document.get(process.file)),
        environments: site.processEnvironments(process).map((e) => e.name),
        daysSinceValidation: days,
        overdue: !process.lastValidated || (days !== undefined && days > maxAge),
        stale: states.filter((s) => s === 'stale').length,
        moved: states.filter((s) => s === 'moved').length,
        problems: site.problemsByFile.get(process.file)?.length ?? 0,
      };
    });
}

/** Who owns a document, from its metadata (`Owner`, `Team`, …), if it says. */
function ownerOf(document: Pick<Document, 'metadata'> | undefined): string | undefined {
  if (!document) return undefined;
  for (const key of OWNER_KEYS) {
    const entry = document.metadata.find((m) => m.key === key && m.value.trim() !== '');
    if (entry) return entry.value.trim();
  }
  return undefined;
}

const SEVERITIES = ['error', 'warning', 'info'] as const;

/** Problems of one process (its document) or one other file. */
interface ProblemGroup {
  /** `process` when the file defines a process. */
  kind: 'process' | 'file';
  /** Process id or file path. */
  key: string;
  /** What the group is called: the process name or the path. */
  label: string;
  file: string;
  problems: Problem[];
}

export interface SeverityGroup {
  severity: (typeof SEVERITIES)[number];
  groups: ProblemGroup[];
  count: number;
}

/**
 * Problems by severity (errors first), then by process or file: processes by
 * name before other files by path; problems by line within a group.
 */
export function problemsBySeverity(problems: readonly Problem[], processByFile: ReadonlyMap<string, Process>): SeverityGroup[] {
  return SEVERITIES.map((severity) => {
    const groups = new Map<string, ProblemGroup>();
    for (const p of problems) {
      if (p.severity !== severity) continue;
      const process = processByFile.get(p.file);
      const key = process ? `p:${process.id}` : `f:${p.file}`;
      let group = groups.get(key);
      if (!group) {
        group = process
          ? { kind: 'process', key: process.id, label: process.name, file: p.file, problems: [] }
          : { kind: 'file', key: p.file, label: p.file, file: p.file, problems: [] };
        groups.set(key, group);
      }
      group.problems.push(p);
    }
    const sorted = [...groups.values()].sort(
      (a, b) => (a.kind === b.kind ? 0 : a.kind === 'process' ? -1 : 1) || compareText(a.label.toLowerCase(), b.label.toLowerCase()) || compareText(a.key, b.key),
    );
    for (const g of sorted) g.problems.sort((a, b) => a.line - b.line || a.column - b.column || compareText(a.rule, b.rule));
    return { severity, groups: sorted, count: sorted.reduce((n, g) => n + g.problems.length, 0) };
  }).filter((s) => s.count > 0);
}

/**
 * Split severity groups into pages of about `size` problems, never splitting
 * a process's or file's group (one bigger than `size` fills a page alone).
 */
export function paginateProblems(severities: readonly SeverityGroup[], size: number): SeverityGroup[][] {
  const pages: SeverityGroup[][] = [];
  let page: SeverityGroup[] = [];
  let count = 0;
  const add = (severity: SeverityGroup['severity'], group: ProblemGroup) => {
    let last = page[page.length - 1];
    if (!last || last.severity !== severity) page.push((last = { severity, groups: [], count: 0 }));
    last.groups.push(group);
    last.count += group.problems.length;
    count += group.problems.length;
  };
  for (const s of severities) {
    for (const g of s.groups) {
      if (count > 0 && count + g.problems.length > size) {
        pages.push(page);
        page = [];
        count = 0;
      }
      add(s.severity, g);
    }
  }
  if (page.length > 0 || pages.length === 0) pages.push(page);
  return pages;
}

/** How a task's progress is known. */
export interface TaskProgress {
  /** 0–100. */
  percent: number;
  /** `stated`: a status update gives it; `criteria`: ticked acceptance criteria; `status`: complete is 100, else 0. */
  source: 'stated' | 'criteria' | 'status';
  /** Ticked and total acceptance criteria (when `source` is `criteria`). */
  done?: number;
  total?: number;
}

/** The acceptance criteria of a document: the checkboxes of its acceptance section, else all of them. */
export function acceptanceCriteria(document: Pick<Document, 'checkboxes'>): Checkbox[] {
  const inSection = document.checkboxes.filter((c) => c.section && /accept/i.test(c.section));
  return inSection.length ? inSection : document.checkboxes;
}

/**
 * A task's progress: the percentage its documents state; else the share of
 * ticked acceptance criteria (its summaries' criteria, else the checkboxes
 * under its plan entry); else 100 when complete and 0 otherwise.
 */
export function taskProgress(task: Pick<Task, 'progress' | 'status' | 'summaries' | 'plan'>, documents: ReadonlyMap<string, Pick<Document, 'checkboxes'>>): TaskProgress {
  if (task.progress !== undefined) return { percent: task.progress, source: 'stated' };
  let boxes = task.summaries.flatMap((path) => {
    const doc = documents.get(path);
    return doc ? acceptanceCriteria(doc) : [];
  });
  if (boxes.length === 0 && task.plan) {
    const plan = task.plan;
    boxes = documents.get(plan.file)?.checkboxes.filter((c) => c.section === plan.slug) ?? [];
  }
  if (boxes.length > 0) {
    const done = boxes.filter((c) => c.checked).length;
    return { percent: Math.round((done / boxes.length) * 100), source: 'criteria', done, total: boxes.length };
  }
  return { percent: task.status === 'complete' ? 100 : 0, source: 'status' };
}

/** Repository files a change-history row is about, and commits of its day that changed the process's cited code. */
export interface ChangeLinks {
  /** Paths of the files its tasks created or modified, sorted. */
  files: string[];
  /** Commits of the row's day among those that changed the process's cited code since validation, newest first. */
  commits: ChangedCommit[];
}

type ChangeSource = Pick<SiteIndex, 'tasksById' | 'reference' | 'stalenessOf' | 'process'>;

/** What a change-history row points at: its tasks' files, and same-day commits on the process's cited code. */
export function changeLinks(change: ChangeEntry, site: ChangeSource): ChangeLinks {
  const files = new Set<string>();
  for (const id of change.taskIds) {
    const tasks = site.tasksById.get(id) ?? [];
    const scoped = tasks.length === 1 ? tasks : tasks.filter((t) => change.processId && t.processes.includes(change.processId));
    for (const task of scoped) {
      for (const refId of task.files) for (const target of site.reference.get(refId)?.targets ?? []) files.add(target);
    }
  }
  const commits = new Map<string, ChangedCommit>();
  const staleness = change.processId ? site.stalenessOf.get(change.processId) : undefined;
  if (staleness && change.date) {
    for (const range of staleness.changed) {
      for (const c of range.commits) if (!c.uncommitted && c.date.slice(0, 10) === change.date) commits.set(c.hash, c);
    }
  }
  return {
    files: [...files].sort(compareText),
    commits: [...commits.values()].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : compareText(a.hash, b.hash))),
  };
}

/** Problems per page of the problems list. */
export const PROBLEMS_PER_PAGE = 50;

/** Change-history rows per page of the change history. */
export const CHANGES_PER_PAGE = 100;

/** Split a list into pages of `size` items; an empty list is one empty page. */
export function paginate<T>(items: readonly T[], size: number): T[][] {
  const pages: T[][] = [];
  for (let at = 0; at < items.length; at += size) pages.push(items.slice(at, at + size));
  return pages.length ? pages : [[]];
}

/** URL of page `n` (1-based) of a list whose first page is `first`: `first` itself, then `<first>page/<n>/`. Not permanent, so not in the link table. */
export function listPageUrl(first: string, n: number): string {
  return n <= 1 ? first : `${first}page/${n}/`;
}
