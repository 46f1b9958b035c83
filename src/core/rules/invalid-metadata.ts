import { documentProblems, type Rule } from './rule.ts';

/**
 * Metadata Waymark reads and cannot: an impossible date, front matter that is not YAML. The
 * document parser finds them, in Waymark's own documents only (process, summary, plan, status
 * update): other markdown's front matter and dates are not Waymark's to judge.
 */
export const invalidMetadata: Rule = {
  id: 'invalid-metadata',
  perFile: true,
  defaultSeverity: 'error',
  description: 'A metadata value Waymark reads cannot be read: an impossible date, broken front matter, an unknown status.',
  classes: {
    'unknown-status': {
      severity: 'warning',
      description: 'a status outside the lifecycle is still a readable word; the page shows it as written',
    },
    'other-document': {
      severity: 'off',
      description: 'front matter or a date in markdown that is not a Waymark document (an agent definition, a changelog) is its own business',
    },
    prose: {
      severity: 'warning',
      description: 'words where a date goes (`After the load tests`, `last Tuesday`), with no year or month: a note, not a mistyped date; the document\'s age is unknown',
    },
    placeholder: {
      severity: 'warning',
      description: 'a template date (`2025-01-XX`) left unfilled: the document is usable, its age unknown',
    },
  },
  check(context) {
    return documentProblems(context, 'invalid-metadata');
  },
};
