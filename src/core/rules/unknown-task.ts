import type { Rule } from './rule.ts';

/** A task id that no plan, summary or status update defines. */
export const unknownTask: Rule = {
  id: 'unknown-task',
  perFile: true,
  defaultSeverity: 'error',
  description: 'A task id is referenced that no plan or implementation summary defines.',
  classes: {
    mention: {
      severity: 'warning',
      description: 'an id named in prose, not in a `Task ID` field or marker: a typo or a task not written down yet',
    },
  },
  check({ findings }) {
    return findings.taskLookups
      .filter((lookup) => lookup.outcome.status === 'missing')
      .map((lookup) => ({
        file: lookup.file,
        line: lookup.line,
        column: lookup.column,
        reference: lookup.reference,
        message: `no plan or summary defines task \`${lookup.taskId}\``,
        ...(lookup.mention ? { class: 'mention', evidence: ['the id is written in prose'] } : {}),
      }));
  },
};
