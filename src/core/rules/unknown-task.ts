import type { Rule } from './rule.ts';

/**
 * Ids that name a file of the repository by its name's start: `ADR-003` for `ADR-003-caching.md`,
 * `RFC-12` for `RFC-12.md`. Such an id is that document (a decision record, an RFC), not a task.
 */
function documentIds(basenames: Iterable<string>): Set<string> {
  const ids = new Set<string>();
  for (const name of basenames) {
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
    // Every file name is read only when some id is missing: the resident engine runs this on every save.
    const named = missing.length > 0 ? documentIds(findings.index.byBasename.keys()) : new Set<string>();
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
