import type { Process, Reference, Task } from '../schema.ts';
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
    // Only the references processes and completed tasks name: a map of them all costs the resident engine on every save.
    const named = new Set([...graph.processes.flatMap((process) => process.references), ...graph.tasks.flatMap((task) => task.files)]);
    const referencesById = new Map(graph.references.filter((reference) => named.has(reference.id)).map((reference) => [reference.id, reference]));
    // Code, not documents: a task that edited another process's page changed no code this process describes.
    const citing = processesCitingFiles(graph.processes, referencesById, findings.documentsByPath);
    const modified = citedModifications(graph.tasks, referencesById, citing);
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
  referencesById: Map<string, Reference>,
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
  referencesById: Map<string, Reference>,
  citing: Map<string, Set<string>>,
): Map<string, Map<number, Set<string>>> {
  const modified = new Map<string, Map<number, Set<string>>>();
  tasks.forEach((task, index) => {
    if (task.status !== 'complete' || !task.date) return;
    for (const id of task.files) {
      for (const target of referencesById.get(id)?.targets ?? []) {
        for (const processId of citing.get(target) ?? []) {
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
