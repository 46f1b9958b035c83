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
    const referencesById = new Map(graph.references.map((reference) => [reference.id, reference]));
    // Code, not documents: a task that edited another process's page changed no code this process describes.
    const citing = processesCitingFiles(graph.processes, referencesById, findings.documentsByPath);
    const found: Finding[] = [];
    for (const process of graph.processes) {
      const validated = process.lastValidated;
      if (!validated || process.status === 'deprecated') continue;
      for (const task of graph.tasks) {
        if (task.status !== 'complete' || !task.date || task.date <= validated) continue;
        const files = modifiedFilesCited(task, process, referencesById, citing);
        if (files.length === 0) continue;
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

function modifiedFilesCited(
  task: Task,
  process: Process,
  referencesById: Map<string, Reference>,
  citing: Map<string, Set<string>>,
): string[] {
  const files = new Set<string>();
  for (const id of task.files) {
    for (const target of referencesById.get(id)?.targets ?? []) {
      if (citing.get(target)?.has(process.id)) files.add(target);
    }
  }
  return [...files].sort();
}
