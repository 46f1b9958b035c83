/**
 * The staleness view's pure helpers: reference states, commit links, the home
 * page's numbers and ordering, and the chart's escaping and determinism.
 */
import { describe, expect, test } from 'vitest';
import type { Process, ProcessStaleness, Reference } from '../src/core/schema.ts';
import { referenceState } from '../src/site/reference-state.ts';
import { commitHref, staleProcessesChart, stalenessView } from '../src/site/staleness.ts';

const HASH = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function reference(id: string, extra: Partial<Reference> = {}): Reference {
  return {
    id,
    raw: id,
    kind: 'path',
    offset: 0,
    origin: 'code-reference',
    source: { file: 'docs/a.md', line: 1, column: 1 },
    status: 'ok',
    targets: ['a.tf'],
    candidates: [],
    ...extra,
  };
}

function process(id: string, extra: Partial<Process> = {}): Process {
  return {
    id,
    name: id,
    area: 'Deployment Process',
    file: `docs/${id}.md`,
    aliases: [],
    subProcesses: [],
    environments: [],
    changes: [],
    implementedBy: [],
    tasks: [],
    references: [],
    ...extra,
  };
}

function staleness(id: string, days: string[], since = '2026-01-01'): ProcessStaleness {
  const commits = days.map((day, i) => ({ hash: `${i}`.repeat(40), short: `${i}`.repeat(7), date: `${day}T10:00:00+00:00`, subject: `change ${i}` }));
  const sorted = [...days].sort();
  return {
    id,
    since: { kind: 'validated', day: since },
    changed: commits.length ? [{ path: 'a.tf', start: 1, end: 2, references: [], commits }] : [],
    commitCount: commits.length,
    ...(sorted.length ? { firstChange: sorted[0], lastChange: sorted[sorted.length - 1] } : {}),
  };
}

describe('referenceState', () => {
  test.each([
    [{ status: 'ok' }, 'ok'],
    [{ status: 'id' }, 'ok'],
    [{ status: 'ok', problem: 'stale-reference' }, 'stale'],
    [{ status: 'ok', problem: 'moved-lines' }, 'moved'],
    [{ status: 'ok', problem: 'line-out-of-range' }, 'broken'],
    [{ status: 'missing', problem: 'moved-lines' }, 'broken'],
    [{ status: 'ambiguous' }, 'broken'],
  ] as const)('%j is %s', (input, state) => {
    expect(referenceState(input)).toBe(state);
  });
});

describe('commitHref', () => {
  test('fills the template with the full hash', () => {
    expect(commitHref('https://git.example.com/x/commit/{hash}', { hash: HASH })).toBe(`https://git.example.com/x/commit/${HASH}`);
  });
  test('is plain text without a template, with a non-web template, and for uncommitted work', () => {
    expect(commitHref(undefined, { hash: HASH })).toBeUndefined();
    expect(commitHref('javascript:alert(1)//{hash}', { hash: HASH })).toBeUndefined();
    expect(commitHref('https://x/{hash}', { hash: '0'.repeat(40), uncommitted: true })).toBeUndefined();
    expect(commitHref('https://x/{hash}', { hash: '"><script>' })).toBeUndefined();
  });
});

describe('stalenessView', () => {
  const site = {
    meta: { referenceDate: '2026-02-01' },
    processes: [process('old'), process('fresh'), process('quiet'), process('gone', { status: 'deprecated' }), process('task')],
    references: [
      reference('r1', { problem: 'stale-reference' }),
      reference('r2', { problem: 'stale-reference' }),
      reference('r3', { problem: 'moved-lines' }),
      reference('r4', { status: 'missing' }),
      reference('r5'),
    ],
    problems: [
      { rule: 'process-needs-revalidation', file: 'docs/task.md' },
      { rule: 'validation-overdue', file: 'docs/old.md' },
      { rule: 'validation-overdue', file: 'docs/gone.md' },
    ],
    staleness: [
      staleness('fresh', ['2026-03-01', '2026-03-02', '2026-03-03']),
      staleness('old', ['2026-01-10']),
      staleness('quiet', []),
      staleness('gone', ['2026-01-02']),
      staleness('task', []),
    ],
  };

  test('counts references by state and the overdue processes, deprecated ones left out', () => {
    const view = stalenessView(site);
    expect(view.references).toEqual({ ok: 1, stale: 2, moved: 1, broken: 1 });
    expect(view.overdue).toBe(1);
    expect(view.historyKnown).toBe(true);
    expect(view.asOf).toBe('2026-03-03');
  });

  test('ranks the longest behind first, with days counted to the newest change', () => {
    const rows = stalenessView(site).mostStale;
    expect(rows.map((row) => [row.id, row.daysSince, row.behindDays, row.commitCount])).toEqual([
      ['old', 61, 52, 1],
      ['fresh', 61, 2, 3],
    ]);
    expect(stalenessView(site, 1).mostStale.map((row) => row.id)).toEqual(['old']);
  });

  test('without history nothing is known and nothing is stale', () => {
    const view = stalenessView({ ...site, staleness: undefined });
    expect(view.historyKnown).toBe(false);
    expect(view.mostStale).toEqual([]);
  });
});

describe('staleProcessesChart', () => {
  test('is deterministic, sized, and escapes names', () => {
    const view = stalenessView({
      meta: { referenceDate: '2026-02-01' },
      processes: [process('x', { name: 'A <b>"&' })],
      references: [],
      problems: [],
      staleness: [staleness('x', ['2026-01-20'])],
    });
    const svg = staleProcessesChart(view.mostStale, view.asOf, { title: 'T <t>' });
    expect(svg).toBe(staleProcessesChart(view.mostStale, view.asOf, { title: 'T <t>' }));
    expect(svg).toMatch(/^<svg class="chart stale-chart" viewBox="0 0 640 30" width="640" height="30" aria-hidden="true"/);
    expect(svg).toContain('A &lt;b&gt;&quot;&amp;');
    expect(svg).toContain('<title>T &lt;t&gt;</title>');
    expect(svg).not.toContain('<b>');
  });
});
