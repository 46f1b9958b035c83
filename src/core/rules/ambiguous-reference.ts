import type { Rule } from './rule.ts';

const list = (items: string[]) => items.map((item) => `\`${item}\``).join(', ');

/** A bare file name or task id that matches more than one thing. */
export const ambiguousReference: Rule = {
  id: 'ambiguous-reference',
  defaultSeverity: 'error',
  description: 'A bare file name or task id matches more than one file or task.',
  check({ graph, findings }) {
    const paths = graph.references
      .filter((reference) => reference.status === 'ambiguous' && reference.kind !== 'id')
      .map((reference) => ({
        ...reference.source,
        reference: reference.id,
        message: `\`${reference.path}\` matches ${reference.candidates.length} files: ${list(reference.candidates)}`,
        suggestion: 'write the path from the repository root',
      }));
    const tasks = findings.taskLookups.flatMap((lookup) =>
      lookup.outcome.status === 'ambiguous'
        ? [
            {
              file: lookup.file,
              line: lookup.line,
              column: lookup.column,
              reference: lookup.reference,
              message: `task \`${lookup.taskId}\` is defined in several places: ${list(lookup.outcome.keys)}`,
              suggestion: 'move the mention next to its plan, or name the plan',
            },
          ]
        : [],
    );
    return [...paths, ...tasks];
  },
};
