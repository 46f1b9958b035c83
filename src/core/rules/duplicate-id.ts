import { titlePosition, type Rule } from './rule.ts';

/** Two processes with one name, or one task id defined twice in the same plan. */
export const duplicateId: Rule = {
  id: 'duplicate-id',
  defaultSeverity: 'error',
  description: 'Two processes share a name, or a task id is defined twice in one plan.',
  check(context) {
    const processes = context.findings.duplicateProcesses.map(({ process, document, firstFile }) => ({
      file: document.path,
      ...titlePosition(context, document.path),
      message: `process \`${process.name}\` is also defined in \`${firstFile}\``,
      suggestion: 'rename one of them, or merge the documents',
    }));
    const tasks = context.findings.duplicateTasks.map(({ file, definition, firstFile, firstLine }) => ({
      file,
      line: definition.line,
      column: 1,
      message: `task \`${definition.taskId}\` is also defined at \`${firstFile}:${firstLine}\``,
      suggestion: 'give the task a new id',
    }));
    return [...processes, ...tasks];
  },
};
