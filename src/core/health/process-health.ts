/**
 * One health value per process, computed once from the checked graph (and
 * the staleness history when git was read), so the callout of a process
 * page, its panels, the process list, the home page and the picture all say
 * the same thing. Precedence, worst first:
 * deprecated > broken > needs revalidation > never validated > ok.
 */
import type { Diagnostic, Document, Process, ProcessStaleness, Reference, Task } from '../schema.ts';
import { referenceState } from './reference-state.ts';

const HEALTH_STATES = ['deprecated', 'broken', 'needs-revalidation', 'never-validated', 'ok'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** Why a process has (or shares) a state; `reasons[0]` of a health explains its state. */
interface HealthReason {
  state: Exclude<HealthState, 'ok'>;
  /** One sentence; `code` spans in backticks. */
  text: string;
  /** Id of the process page's section that shows the detail. */
  section: 'wm-document' | 'wm-problems' | 'wm-changed';
}

/** A completed task that modified cited files after the last validation. */
interface TaskModification {
  taskKey: string;
  taskId: string;
  date: string;
  /** Cited repository paths it modified, sorted. */
  files: string[];
}

export interface ProcessHealth {
  id: string;
  state: HealthState;
  /** Every reason found, worst first. Empty when ok. */
  reasons: HealthReason[];
  /** The process that replaces a deprecated one (metadata `Replaced by`), as written and, when it links to one, its id. */
  replacedBy?: { text: string; processId?: string };
  /** Ids of the process's references that are broken. */
  brokenReferences: string[];
  /** Ids of its references whose cited code changed since validation (stale) or moved. */
  staleReferences: string[];
  /** Completed tasks that modified cited files after the last validation. */
  modifiedBy: TaskModification[];
  /** Commits that changed cited code since validation (0 when git history is unknown). */
  commitCount: number;
  /** Cited paths that changed since validation, by commits or by tasks, sorted. */
  changedFiles: string[];
}

interface HealthInput {
  processes: readonly Process[];
  references: readonly Reference[];
  tasks: readonly Task[];
  documents: readonly Pick<Document, 'path' | 'metadata'>[];
  diagnostics: readonly Pick<Diagnostic, 'rule' | 'file' | 'severity' | 'message'>[];
  staleness?: readonly ProcessStaleness[];
}

const RANK: Record<HealthState, number> = { deprecated: 0, broken: 1, 'needs-revalidation': 2, 'never-validated': 3, ok: 4 };

/** Process id → its health, for every process. */
export function processHealth(input: HealthInput): Map<string, ProcessHealth> {
  const referencesById = new Map(input.references.map((r) => [r.id, r]));
  const documents = new Map(input.documents.map((d) => [d.path, d]));
  const processByFile = new Map(input.processes.map((p) => [p.file, p]));
  const staleness = new Map((input.staleness ?? []).map((s) => [s.id, s]));
  const diagnosticsByFile = new Map<string, HealthInput['diagnostics'][number][]>();
  for (const d of input.diagnostics) diagnosticsByFile.set(d.file, [...(diagnosticsByFile.get(d.file) ?? []), d]);
  const modifications = taskModifications(input.processes, input.tasks, referencesById, documents);

  const result = new Map<string, ProcessHealth>();
  for (const process of input.processes) {
    const references = process.references.map((id) => referencesById.get(id)).filter((r) => r !== undefined);
    const broken = references.filter((r) => referenceState(r) === 'broken');
    const stale = references.filter((r) => referenceState(r) === 'stale');
    const moved = references.filter((r) => referenceState(r) === 'moved');
    const diagnostics = diagnosticsByFile.get(process.file) ?? [];
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const entry = staleness.get(process.id);
    const modifiedBy = process.lastValidated ? (modifications.get(process.id) ?? []).filter((m) => m.date > process.lastValidated!) : [];
    const commitCount = entry?.commitCount ?? 0;
    const changedFiles = [...new Set([...(entry?.changed ?? []).map((c) => c.path), ...modifiedBy.flatMap((m) => m.files)])].sort();
    const reasons: HealthReason[] = [];
    let replacedBy: ProcessHealth['replacedBy'];

    if (process.status === 'deprecated') {
      const meta = documents.get(process.file)?.metadata.find((m) => m.key === 'replaced by' || m.key === 'superseded by');
      if (meta?.value) {
        const link = references.find((r) => r.source.line === meta.line && r.targets.length === 1 && processByFile.has(r.targets[0]));
        const replacement = link ? processByFile.get(link.targets[0]) : undefined;
        // The value as written may be a markdown link: show its text.
        replacedBy = { text: replacement?.name ?? meta.value.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'), processId: replacement?.id };
      }
      reasons.push({
        state: 'deprecated',
        text: replacedBy ? `This process is deprecated: follow ${replacedBy.text} instead.` : 'This process is deprecated: do not follow it for new work.',
        section: 'wm-document',
      });
    }
    if (broken.length > 0 || errors.length > 0) {
      const shown = broken.slice(0, 3).map((r) => `\`${r.raw}\``).join(', ') + (broken.length > 3 ? ` and ${broken.length - 3} more` : '');
      reasons.push({
        state: 'broken',
        text: broken.length > 0
          ? `${count(broken.length, 'reference')} in this runbook ${broken.length === 1 ? 'points' : 'point'} at nothing that exists: ${shown}.`
          : `The checker found ${count(errors.length, 'error')} in this runbook.`,
        section: 'wm-problems',
      });
    }
    if (process.status !== 'deprecated') {
      if (commitCount > 0 || stale.length > 0) {
        const ranges = entry?.changed.length ?? stale.length;
        reasons.push({
          state: 'needs-revalidation',
          text: commitCount > 0
            ? `Cited code changed after the last validation: ${count(commitCount, 'commit')} in ${count(ranges, 'cited range')}.`
            : `${count(stale.length, 'reference')} cite code that changed after the last validation.`,
          section: 'wm-changed',
        });
      }
      for (const m of modifiedBy) {
        const files = m.files.slice(0, 3).map((f) => `\`${f}\``).join(', ') + (m.files.length > 3 ? ` and ${m.files.length - 3} more` : '');
        reasons.push({
          state: 'needs-revalidation',
          text: `\`${m.taskId}\` (completed ${m.date}) modified ${files}, which this process cites, after it was last validated (${process.lastValidated}).`,
          section: 'wm-changed',
        });
      }
      if (diagnostics.some((d) => d.rule === 'validation-overdue')) {
        reasons.push({ state: 'needs-revalidation', text: `Last validated ${process.lastValidated}: older than the limit for production processes.`, section: 'wm-problems' });
      }
      if (!process.lastValidated) {
        reasons.push({ state: 'never-validated', text: 'Nobody has recorded checking this runbook against the code (no `Last Validated` date).', section: 'wm-document' });
      }
    }
    reasons.sort((a, b) => RANK[a.state] - RANK[b.state]);
    result.set(process.id, {
      id: process.id,
      state: reasons[0]?.state ?? 'ok',
      reasons,
      replacedBy,
      brokenReferences: broken.map((r) => r.id),
      staleReferences: [...stale, ...moved].map((r) => r.id),
      modifiedBy,
      commitCount,
      changedFiles,
    });
  }
  return result;
}

/** Worst first: the order lists of processes sort by. */
export function compareHealth(a: HealthState, b: HealthState): number {
  return RANK[a] - RANK[b];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Process id → completed, dated tasks and the code files (not documents)
 * they modified that the process cites. Built from the tasks' side through a
 * path → citing processes map, so the cost follows the modified files.
 */
function taskModifications(
  processes: readonly Process[],
  tasks: readonly Task[],
  referencesById: ReadonlyMap<string, Reference>,
  documents: ReadonlyMap<string, unknown>,
): Map<string, TaskModification[]> {
  const citing = new Map<string, Set<string>>();
  for (const process of processes) {
    for (const id of process.references) {
      for (const target of referencesById.get(id)?.targets ?? []) {
        if (documents.has(target)) continue;
        citing.set(target, (citing.get(target) ?? new Set()).add(process.id));
      }
    }
  }
  const result = new Map<string, TaskModification[]>();
  for (const task of tasks) {
    if (task.status !== 'complete' || !task.date) continue;
    const byProcess = new Map<string, Set<string>>();
    for (const id of task.files) {
      for (const target of referencesById.get(id)?.targets ?? []) {
        for (const processId of citing.get(target) ?? []) byProcess.set(processId, (byProcess.get(processId) ?? new Set()).add(target));
      }
    }
    for (const [processId, files] of byProcess) {
      const list = result.get(processId) ?? [];
      list.push({ taskKey: task.key, taskId: task.taskId, date: task.date, files: [...files].sort() });
      result.set(processId, list);
    }
  }
  for (const list of result.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.taskKey < b.taskKey ? -1 : 1));
  return result;
}
