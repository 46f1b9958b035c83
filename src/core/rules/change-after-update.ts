import type { Finding, Rule } from './rule.ts';

/** A change-history row dated after the document's own `Last Updated`: one of the two is wrong. */
export const changeAfterUpdate: Rule = {
  id: 'change-after-update',
  perFile: true,
  defaultSeverity: 'warning',
  description: 'A change-history row is dated after the document\'s Last Updated.',
  check({ graph }) {
    const found: Finding[] = [];
    for (const document of graph.documents) {
      const updated = document.lastUpdated;
      if (!updated) continue;
      for (const change of document.changes) {
        if (!change.date || change.date <= updated) continue;
        found.push({
          file: document.path,
          line: change.line,
          column: 1,
          message: `the change-history row dated ${change.date} is later than \`Last Updated\` (${updated})`,
          suggestion: `set \`Last Updated\` to ${change.date}, or correct the row's date`,
        });
      }
    }
    return found;
  },
};
