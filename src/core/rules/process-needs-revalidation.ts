import type { LinkFindings, ReferenceLookup } from '../graph/link-graph.ts';
import type { Process, Task } from '../schema.ts';
import type { Finding, Rule } from './rule.ts';

/**
 * A task finished after a process was last validated, and it modified files
 * the process cites: the process may no longer describe the code.
 */
export const processNeedsRevalidation: Rule = {
  id: 'process-needs-revalidation',
  defaultSeverity: 'warning',
  description: 'A completed task modified files a process cites after the process was last validated.',
  check({ graph, findings }) {
    const { modifiedBy, byProcess } = keptFor(graph.tasks, findings.referencesById);
    const found: Finding[] = [];
    for (const process of graph.processes) {
      let mine = byProcess.get(process);
      if (!mine) byProcess.set(process, (mine = processFindings(process, graph.tasks, modifiedBy, findings)));
      found.push(...mine);
    }
    return found;
  },
};

/**
 * Per list of tasks: the files completed tasks modified, and each process's
 * findings. A process's findings follow from it, its references (linked with
 * its document) and the tasks; the resident engine keeps the process and
 * task objects while a change leaves them as they were, so an edit
 * elsewhere finds them here instead of going over every process's citations.
 */
const kept = new WeakMap<readonly Task[], { modifiedBy: Map<string, number[]>; byProcess: WeakMap<Process, Finding[]> }>();

function keptFor(tasks: readonly Task[], referencesById: ReferenceLookup) {
  let found = kept.get(tasks);
  if (!found) kept.set(tasks, (found = { modifiedBy: completedModifications(tasks, referencesById), byProcess: new WeakMap() }));
  return found;
}

/** Repository path → indexes (in `tasks`) of the completed, dated tasks that modified it. */
function completedModifications(tasks: readonly Task[], referencesById: ReferenceLookup): Map<string, number[]> {
  const modifiedBy = new Map<string, number[]>();
  tasks.forEach((task, index) => {
    if (task.status !== 'complete' || !task.date) return;
    for (const id of task.files) {
      for (const target of referencesById.get(id)?.targets ?? []) {
        const indexes = modifiedBy.get(target);
        if (!indexes) modifiedBy.set(target, [index]);
        else if (indexes[indexes.length - 1] !== index) indexes.push(index);
      }
    }
  });
  return modifiedBy;
}

/** One process's findings: the tasks completed after its validation that modified code (not documents) it cites. */
function processFindings(process: Process, tasks: readonly Task[], modifiedBy: Map<string, number[]>, findings: LinkFindings): Finding[] {
  const validated = process.lastValidated;
  if (!validated || process.status === 'deprecated') return [];
  // Code, not documents: a task that edited another process's page changed no code this process describes.
  const byTask = new Map<number, Set<string>>();
  for (const id of process.references) {
    for (const target of findings.referencesById.get(id)?.targets ?? []) {
      if (findings.documentsByPath.has(target)) continue;
      for (const index of modifiedBy.get(target) ?? []) {
        if (!(tasks[index].date! > validated)) continue;
        let files = byTask.get(index);
        if (!files) byTask.set(index, (files = new Set()));
        files.add(target);
      }
    }
  }
  const found: Finding[] = [];
  for (const [index, cited] of [...byTask].sort(([a], [b]) => a - b)) {
    const task = tasks[index];
    const files = [...cited].sort();
    const entry = findings.documentsByPath.get(process.file)?.metadata.find((item) => item.key === 'last validated');
    const shown = files.slice(0, 3).map((file) => `\`${file}\``).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
    found.push({
      file: process.file,
      line: entry?.line ?? 1,
      column: 1,
      message: `\`${task.taskId}\` was completed on ${task.date}, after this process was last validated (${validated}), and modified ${shown}, which the process cites`,
      suggestion: 'revalidate the process against the code and update `Last Validated`',
    });
  }
  return found;
}
