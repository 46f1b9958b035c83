/**
 * One health value per process: the precedence deprecated > broken > needs
 * revalidation > never validated > ok, the reasons behind it, and the task
 * modifications and commits that make a process need revalidation.
 */
import { describe, expect, test } from 'vitest';
import { processHealth } from '../src/core/health/process-health.ts';
import type { Process, ProcessStaleness, Reference, Task } from '../src/core/schema.ts';

function process(id: string, extra: Partial<Process> = {}): Process {
  return { id, name: id, area: 'Deployment Process', file: `docs/${id}.md`, lastValidated: '2026-01-10', aliases: [], subProcesses: [], environments: [], changes: [], implementedBy: [], tasks: [], references: [], ...extra };
}

function reference(id: string, file: string, target: string, extra: Partial<Reference> = {}): Reference {
  return { id, raw: target, kind: 'path', offset: 0, origin: 'code-reference', source: { file, line: 3, column: 1 }, status: 'ok', targets: [target], candidates: [], ...extra };
}

function task(key: string, date: string, files: string[], status: Task['status'] = 'complete'): Task {
  return { key, taskId: key.split('/').pop()!, name: key, scope: 'docs', status, date, files, summaries: [], statusUpdates: [], processes: [] } as unknown as Task;
}

const staleness = (id: string, commits: number): ProcessStaleness => ({
  id,
  since: { kind: 'validated', day: '2026-01-10' },
  changed: commits ? [{ path: 'infra/lb.tf', start: 1, end: 4, references: [], commits: Array.from({ length: commits }, (_, i) => ({ hash: `${i}`.repeat(40), short: `${i}`.repeat(7), date: '2026-02-01T00:00:00Z', subject: 's' })) }] : [],
  commitCount: commits,
});

describe('processHealth', () => {
  const references = [
    reference('ok1', 'docs/fine.md', 'infra/lb.tf'),
    reference('bad1', 'docs/broken.md', 'infra/gone.tf', { status: 'missing', targets: [] }),
    reference('bad2', 'docs/old.md', 'infra/gone.tf', { status: 'missing', targets: [] }),
    reference('cite', 'docs/touched.md', 'infra/db.tf'),
    reference('repl', 'docs/old.md', 'docs/fine.md', { source: { file: 'docs/old.md', line: 7, column: 1 } }),
  ];
  const input = {
    processes: [
      process('fine', { references: ['ok1'] }),
      process('broken', { references: ['bad1'], lastValidated: undefined }),
      process('old', { status: 'deprecated', references: ['bad2', 'repl'] }),
      process('touched', { references: ['cite'] }),
      process('changed', { references: [] }),
      process('never', { lastValidated: undefined }),
    ],
    references,
    tasks: [task('docs/TASK-001', '2026-02-01', ['t1']), task('docs/TASK-000', '2026-01-01', ['t1']), task('docs/TASK-002', '2026-03-01', ['t1'], 'in_progress')],
    documents: [{ path: 'docs/fine.md', metadata: [] }, { path: 'docs/old.md', metadata: [{ key: 'replaced by', label: 'Replaced by', value: '[The Fine One](fine.md)', line: 7 }] }],
    diagnostics: [],
    staleness: [staleness('changed', 2), staleness('fine', 0)],
  };
  input.references.push(reference('t1', 'docs/TASK-001.md', 'infra/db.tf', { origin: 'files-modified' }));
  const health = processHealth(input);

  test('one state per process, worst first', () => {
    expect(Object.fromEntries([...health].map(([id, h]) => [id, h.state]))).toEqual({
      fine: 'ok',
      broken: 'broken',
      old: 'deprecated',
      touched: 'needs-revalidation',
      changed: 'needs-revalidation',
      never: 'never-validated',
    });
  });

  test('a deprecated process names its replacement and still lists its broken reference', () => {
    const old = health.get('old')!;
    expect(old.replacedBy).toEqual({ text: 'fine', processId: 'fine' });
    expect(old.reasons.map((r) => r.state)).toEqual(['deprecated', 'broken']);
    expect(old.brokenReferences).toEqual(['bad2']);
  });

  test('a broken process that was never validated shows both reasons, broken first', () => {
    expect(health.get('broken')!.reasons.map((r) => r.state)).toEqual(['broken', 'never-validated']);
  });

  test('only completed tasks dated after the validation count, with the cited files they modified', () => {
    const touched = health.get('touched')!;
    expect(touched.modifiedBy).toEqual([{ taskKey: 'docs/TASK-001', taskId: 'TASK-001', date: '2026-02-01', files: ['infra/db.tf'] }]);
    expect(touched.changedFiles).toEqual(['infra/db.tf']);
    expect(touched.reasons[0].text).toContain('`TASK-001` (completed 2026-02-01) modified `infra/db.tf`');
  });

  test('commits since validation count, and the changed paths are listed', () => {
    const changed = health.get('changed')!;
    expect(changed.commitCount).toBe(2);
    expect(changed.changedFiles).toEqual(['infra/lb.tf']);
    expect(health.get('fine')!.reasons).toEqual([]);
  });
});
