import { titlePosition, type Rule } from './rule.ts';

/** A live process that no code marker claims to implement. */
export const orphanProcess: Rule = {
  id: 'orphan-process',
  defaultSeverity: 'warning',
  description: 'No code marker implements a process.',
  check(context) {
    // A second definition of a name is already a duplicate-id; its markers went to the first.
    const duplicates = new Set(context.findings.duplicateProcesses.map((duplicate) => duplicate.process.id));
    return context.graph.processes
      .filter((process) => process.implementedBy.length === 0 && process.status !== 'deprecated' && !duplicates.has(process.id))
      .map((process) => ({
        file: process.file,
        ...titlePosition(context, process.file),
        message: `no code implements the process \`${process.name}\``,
        suggestion: `add a \`# ${process.area}: ${process.name}\` comment above the code that implements it`,
      }));
  },
};
