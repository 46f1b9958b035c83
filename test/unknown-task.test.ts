/**
 * `unknown-task`: an id no plan, summary or status update defines. An id that names a document of
 * the repository by its file name (`ADR-003` for `docs/adr/ADR-003-edge-caching.md`) is that
 * document, a decision record, not a task nobody wrote down.
 */
import { describe, expect, test } from 'vitest';
import type { RuleContext } from '../src/core/rules/rule.ts';
import { unknownTask } from '../src/core/rules/unknown-task.ts';

/** The rule over the lookups the linker left missing and the repository's file names. */
function unknownTasks(missing: string[], files: string[]): string[] {
  const taskLookups = missing.map((taskId, index) => ({ taskId, file: 'work/log.md', line: index + 4, column: 5, outcome: { status: 'missing' as const }, mention: true }));
  const byBasename = new Map(files.map((file) => [file.slice(file.lastIndexOf('/') + 1), [file]]));
  const context = { findings: { taskLookups, index: { byBasename } } } as unknown as RuleContext;
  return unknownTask.check(context).map((finding) => `${finding.file}:${finding.line} ${finding.message}`);
}

describe('unknown-task', () => {
  const ids = ['ADR-003', 'ADR-009', 'TASK-999'];

  test('an id that names a document by its file name is that document; one naming nothing stays unknown', () => {
    expect(unknownTasks(ids, ['docs/adr/ADR-003-edge-caching.md', 'docs/adr/ADR-0090-queues.md', 'docs/TASK-9990.md'])).toEqual([
      'work/log.md:5 no plan or summary defines task `ADR-009`',
      'work/log.md:6 no plan or summary defines task `TASK-999`',
    ]);
  });

  test('near miss: without the decision record, the same id is unknown', () => {
    expect(unknownTasks(ids, ['docs/adr/README.md'])).toEqual([
      'work/log.md:4 no plan or summary defines task `ADR-003`',
      'work/log.md:5 no plan or summary defines task `ADR-009`',
      'work/log.md:6 no plan or summary defines task `TASK-999`',
    ]);
  });
});
