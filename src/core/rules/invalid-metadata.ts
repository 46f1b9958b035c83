import type { Rule } from './rule.ts';

/** Dates that are not dates, statuses outside the lifecycle. The document parser finds them. */
export const invalidMetadata: Rule = {
  id: 'invalid-metadata',
  defaultSeverity: 'error',
  description: 'A metadata value cannot be read: an impossible date or an unknown status.',
  check({ facts }) {
    return facts.flatMap((fact) =>
      fact.documentProblems
        .filter((problem) => problem.rule === 'invalid-metadata')
        .map((problem) => ({ file: fact.path, line: problem.line, column: problem.column, message: problem.message, suggestion: problem.suggestion })),
    );
  },
};
