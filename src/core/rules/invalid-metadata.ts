import { documentProblems, type Rule } from './rule.ts';

/** Dates that are not dates, statuses outside the lifecycle. The document parser finds them. */
export const invalidMetadata: Rule = {
  id: 'invalid-metadata',
  defaultSeverity: 'error',
  description: 'A metadata value cannot be read: an impossible date or an unknown status.',
  check(context) {
    return documentProblems(context, 'invalid-metadata');
  },
};
