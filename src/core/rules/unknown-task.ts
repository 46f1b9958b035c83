import type { Rule } from './rule.ts';

// Per file index: the resident engine checks on every save, and the tree's names change only when files come or go.
const idsByIndex = new WeakMap<ReadonlyMap<string, unknown>, Set<string>>();

/**
 * Ids that name a file of the repository by its name's start: `ADR-003` for `ADR-003-caching.md`,
 * `RFC-12` for `RFC-12.md`. Such an id is that document (a decision record, an RFC), not a task.
 */
function documentIds(byBasename: ReadonlyMap<string, unknown>): Set<string> {
  const known = idsByIndex.get(byBasename);
  if (known) return known;
  const ids = new Set<string>();
  idsByIndex.set(byBasename, ids);
  for (const name of byBasename.keys()) {
    const id = /^([A-Za-z][A-Za-z0-9]*-\d+)(?=[-_. ]|$)/.exec(name)?.[1];
    if (id) ids.add(id.toUpperCase());
  }
  return ids;
}

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
    const missing = findings.taskLookups.filter((lookup) => lookup.outcome.status === 'missing');
    const named = missing.length > 0 ? documentIds(findings.index.byBasename) : new Set<string>();
    return missing
      .filter((lookup) => !named.has(lookup.taskId.toUpperCase()))
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
