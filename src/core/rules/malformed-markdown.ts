import { documentProblems, type Rule } from './rule.ts';

/** Markdown whose structure hides data: a code fence never closed, a table without its delimiter row. */
export const malformedMarkdown: Rule = {
  id: 'malformed-markdown',
  perFile: true,
  defaultSeverity: 'warning',
  description: 'A document is malformed in a way that hides content: an unclosed code fence or a table without a delimiter row.',
  check(context) {
    return documentProblems(context, 'malformed-markdown');
  },
};
