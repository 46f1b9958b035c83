import type { ReferenceLookup } from '../graph/link-graph.ts';
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
    const { referencesById } = findings;
    // Code, not documents: a task that edited another process's page changed no code this process describes.
    // Only processes that can be reported, and tasks completed after their validation: the rest cost time (a file many processes cite) and find nothing.
    const candidates = graph.processes.filter((process) => process.lastValidated && process.status !== 'deprecated');
    const citing = processesCitingFiles(candidates, referencesById, findings.documentsByPath);
    const validated = new Map(candidates.map((process) => [process.id, process.lastValidated!]));
    const modified = citedModifications(graph.tasks, referencesById, citing, (processId, task) => task.date! > validated.get(processId)!);
    const found: Finding[] = [];
    for (const process of graph.processes) {
      const validated = process.lastValidated;
      const byTask = modified.get(process.id);
      if (!validated || process.status === 'deprecated' || !byTask) continue;
      for (const [index, cited] of [...byTask].sort(([a], [b]) => a - b)) {
        const task = graph.tasks[index];
        if (!task.date || task.date <= validated) continue;
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
    }
    return found;
  },
};

/** Repository path → ids of processes whose document cites it. */
function processesCitingFiles(
  processes: Process[],
  referencesById: ReferenceLookup,
  documents: ReadonlyMap<string, unknown>,
): Map<string, Set<string>> {
  const citing = new Map<string, Set<string>>();
  for (const process of processes) {
    for (const id of process.references) {
      for (const target of referencesById.get(id)?.targets ?? []) {
        if (documents.has(target)) continue;
        const set = citing.get(target) ?? new Set<string>();
        set.add(process.id);
        citing.set(target, set);
      }
    }
  }
  return citing;
}

/**
 * Process id → completed task (by its index in `tasks`) → the files it
 * modified that the process cites. Built from the tasks' side, so the cost
 * follows the modified files, not processes × tasks.
 */
function citedModifications(
  tasks: Task[],
  referencesById: ReferenceLookup,
  citing: Map<string, Set<string>>,
  after: (processId: string, task: Task) => boolean,
): Map<string, Map<number, Set<string>>> {
  const modified = new Map<string, Map<number, Set<string>>>();
  tasks.forEach((task, index) => {
    if (task.status !== 'complete' || !task.date) return;
    for (const id of task.files) {
      for (const target of referencesById.get(id)?.targets ?? []) {
        for (const processId of citing.get(target) ?? []) {
          if (!after(processId, task)) continue;
          const byTask = modified.get(processId) ?? new Map<number, Set<string>>();
          modified.set(processId, byTask);
          const files = byTask.get(index) ?? new Set<string>();
          byTask.set(index, files);
          files.add(target);
        }
      }
    }
  });
  return modified;
}
