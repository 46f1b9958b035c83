/**
 * The link table (pure): canonical URLs and short forms, aliases, git
 * renames, config redirects, lookup with "did you mean", the manifest and
 * the URL contract between two builds.
 */
import { describe, expect, test } from 'vitest';
import {
  buildLinkTable,
  lookupLink,
  lostUrls,
  publishedUrls,
  redirectsFile,
  sitePath,
  toManifest,
  type LinkGraph,
  type LinkLookup,
} from '../src/core/urls/link-table.ts';
import type { Graph } from '../src/core/schema.ts';
import { sampleGraph } from './site/sample-graph.ts';

const BG = 'docs/processes/blue-green-rollout.md';
const PLAN_TITLE = 'Improvement Plan';

function graph(change: (g: Graph) => void = () => undefined): LinkGraph {
  const g = sampleGraph();
  change(g);
  return g;
}

function url(result: LinkLookup): string | undefined {
  return result.status === 'found' ? result.url : undefined;
}

function redirectMap(table: ReturnType<typeof buildLinkTable>): Record<string, string> {
  return Object.fromEntries(table.redirects.map((r) => [r.from, r.to]));
}

describe('canonical URLs and short forms', () => {
  const table = buildLinkTable(graph(), { base: '/docs/' });

  test('every process, sub-process, task, environment, document and file has one canonical URL', () => {
    const byId = (kind: string, id: string) => table.entries.find((e) => e.kind === kind && e.id === id)?.url;
    expect(byId('process', 'blue-green-rollout')).toBe('/docs/processes/blue-green-rollout/');
    expect(byId('sub-process', 'blue-green-rollout/rollback')).toBe('/docs/processes/blue-green-rollout/#rollback');
    expect(byId('task', 'docs/plans/TASK-001')).toBe('/docs/tasks/improvement-plan/TASK-001/');
    expect(byId('environment', 'ci-staging')).toBe('/docs/environments/ci-staging/');
    expect(byId('document', 'docs/status/update.md')).toBe('/docs/docs/status/update/');
    // A process document's page is its process's.
    expect(byId('document', BG)).toBe('/docs/processes/blue-green-rollout/');
    expect(byId('file', '.github/workflows/deploy.yml')).toBe('/docs/files/~2Egithub/workflows/deploy.yml/');
  });

  test('short forms redirect to the canonical page', () => {
    const redirects = redirectMap(table);
    expect(redirects['/docs/p/blue-green-rollout/']).toBe('/docs/processes/blue-green-rollout/');
    expect(redirects['/docs/t/TASK-001/']).toBe('/docs/tasks/improvement-plan/TASK-001/');
    expect(redirects['/docs/t/docs/plans/TASK-001/']).toBe('/docs/tasks/improvement-plan/TASK-001/');
    // The form a task had before plan slugs, and a document before readable paths, keep answering.
    expect(redirects['/docs/tasks/docs/plans/TASK-001/']).toBe('/docs/tasks/improvement-plan/TASK-001/');
    expect(redirects['/docs/docs/docs/status/update.md/']).toBe('/docs/docs/status/update/');
    expect(redirects['/docs/e/production/']).toBe('/docs/environments/production/');
    expect(redirects['/docs/f/infra/lb.tf/']).toBe('/docs/files/infra/lb.tf/');
    // Documents without a file page: `f/` leads to the rendered page.
    expect(redirects['/docs/f/docs/status/update.md/']).toBe('/docs/docs/status/update/');
    // Every document answers under `docs/`, a process document too.
    expect(redirects[`/docs/docs/${BG}/`]).toBe('/docs/processes/blue-green-rollout/');
    expect(redirects['/docs/docs/processes/blue-green-rollout/']).toBe('/docs/processes/blue-green-rollout/');
  });

  test('no redirect shadows a page, and the output is sorted', () => {
    const pages = new Set(table.pages);
    for (const r of table.redirects) expect(pages.has(r.from), r.from).toBe(false);
    expect(table.redirects.map((r) => r.from)).toEqual([...table.redirects.map((r) => r.from)].sort());
    expect(table.pages).toContain('/docs/problems/');
  });

  test('a repeated task id needs its scope', () => {
    const twice = buildLinkTable(
      graph((g) => {
        g.tasks.push({ ...g.tasks[0], key: 'ops/TASK-001', scope: 'ops', name: 'Other', plan: undefined });
      }),
    );
    const redirects = redirectMap(twice);
    expect(redirects['/t/TASK-001/']).toBeUndefined();
    expect(redirects['/t/ops/TASK-001/']).toBe('/tasks/ops/TASK-001/');
    expect(lookupLink(twice, 'TASK-001')).toEqual({ status: 'ambiguous', candidates: ['task:docs/plans/TASK-001', 'task:ops/TASK-001'] });
  });

  test('the bare id of a repeated task answers with a choice between them, not a redirect', () => {
    const twice = buildLinkTable(
      graph((g) => {
        g.tasks.push({ ...g.tasks[0], key: 'ops/TASK-001', scope: 'ops', name: 'Other', plan: undefined });
      }),
    );
    expect(twice.choices).toEqual([
      {
        from: '/t/TASK-001/',
        title: 'TASK-001',
        options: [
          { url: '/tasks/improvement-plan/TASK-001/', title: `${PLAN_TITLE} › ${twice.entries.find((e) => e.id === 'docs/plans/TASK-001')!.title}` },
          { url: '/tasks/ops/TASK-001/', title: 'ops › TASK-001: Other' },
        ],
      },
    ]);
    expect(publishedUrls(twice)).toContain('/t/TASK-001/');
    expect(redirectsFile(twice)).not.toContain('/t/TASK-001/ ');
    expect(toManifest(twice).choices).toEqual({ '/t/TASK-001/': ['/tasks/improvement-plan/TASK-001/', '/tasks/ops/TASK-001/'] });
    // A link published while the id was unique still answers.
    const before = toManifest(buildLinkTable(graph()));
    expect(lostUrls(before, twice).map((lost) => lost.url)).not.toContain('/t/TASK-001/');
  });

  test('a config redirect decides a repeated task id before a choice page does', () => {
    const twice = buildLinkTable(
      graph((g) => {
        g.tasks.push({ ...g.tasks[0], key: 'ops/TASK-001', scope: 'ops', name: 'Other', plan: undefined });
      }),
      { redirects: { 't/TASK-001/': 'ops/TASK-001' } },
    );
    expect(twice.choices).toEqual([]);
    expect(redirectMap(twice)['/t/TASK-001/']).toBe('/tasks/ops/TASK-001/');
  });
});

describe('aliases, renames and config redirects', () => {
  test('a front matter alias keeps the old process URL and short form', () => {
    const table = buildLinkTable(graph((g) => (g.processes[0].aliases = ['Blue Green Deploy'])));
    const redirects = redirectMap(table);
    expect(redirects['/processes/blue-green-deploy/']).toBe('/processes/blue-green-rollout/');
    expect(redirects['/p/blue-green-deploy/']).toBe('/processes/blue-green-rollout/');
    expect(url(lookupLink(table, 'blue-green-deploy'))).toBe('/processes/blue-green-rollout/');
    expect(url(lookupLink(table, 'Blue Green Deploy'))).toBe('/processes/blue-green-rollout/');
  });

  test('an alias never takes over another process page', () => {
    const table = buildLinkTable(graph((g) => (g.processes[0].aliases = ['Database Backup'])));
    expect(redirectMap(table)['/processes/database-backup/']).toBeUndefined();
    expect(url(lookupLink(table, 'database-backup'))).toBe('/processes/database-backup/');
  });

  test('git renames keep the old file, document and short URLs answering', () => {
    const renames = [
      { from: 'infra/old-lb.tf', to: 'infra/lb.tf' },
      { from: 'docs/old/update.md', to: 'docs/status/update.md' },
      { from: 'infra/oldest-lb.tf', to: 'infra/old-lb.tf' },
      { from: 'unrelated.txt', to: 'also-unrelated.txt' },
    ];
    const table = buildLinkTable(graph(), { renames });
    const redirects = redirectMap(table);
    expect(redirects['/files/infra/old-lb.tf/']).toBe('/files/infra/lb.tf/');
    expect(redirects['/f/infra/old-lb.tf/']).toBe('/files/infra/lb.tf/');
    expect(redirects['/files/infra/oldest-lb.tf/']).toBe('/files/infra/lb.tf/');
    expect(redirects['/docs/docs/old/update.md/']).toBe('/docs/status/update/');
    expect(redirects['/docs/old/update/']).toBe('/docs/status/update/');
    expect(Object.keys(redirects).some((from) => from.includes('unrelated'))).toBe(false);
    expect(url(lookupLink(table, 'infra/oldest-lb.tf:3'))).toBe('/files/infra/lb.tf/#L3');
    // A name a current file has again belongs to that file.
    const back = buildLinkTable(graph(), { renames: [{ from: 'deploy/rollout.sh', to: 'infra/lb.tf' }] });
    expect(redirectMap(back)['/files/deploy/rollout.sh/']).toBeUndefined();
  });

  test('config redirects take ids, paths, site paths and URLs; bad ones are reported', () => {
    const table = buildLinkTable(graph(), {
      base: '/docs/',
      redirects: {
        'processes/canary': 'blue-green-rollout',
        '/docs/files/old.tf/': 'infra/lb.tf:3',
        'runbooks/': '/processes/',
        'elsewhere/': 'https://wiki.example.com/page',
        'processes/database-backup/': 'blue-green-rollout',
        'gone/': 'blue-gren-rollout',
      },
    });
    const redirects = redirectMap(table);
    expect(redirects['/docs/processes/canary/']).toBe('/docs/processes/blue-green-rollout/');
    expect(redirects['/docs/files/old.tf/']).toBe('/docs/files/infra/lb.tf/#L3');
    expect(redirects['/docs/runbooks/']).toBe('/docs/processes/');
    expect(redirects['/docs/elsewhere/']).toBe('https://wiki.example.com/page');
    expect(table.problems).toEqual([
      '`redirects.gone/`: `blue-gren-rollout` names nothing in the site; did you mean `blue-green-rollout`?',
      '`redirects.processes/database-backup/`: `/docs/processes/database-backup/` is a page of the site; a redirect cannot replace it',
    ]);
  });

  test('config from the repository cannot escape the site or inject markup', () => {
    const table = buildLinkTable(graph(), {
      redirects: {
        '../../etc/': 'blue-green-rollout',
        'a b/': 'blue-green-rollout',
        'x/': 'javascript:alert(1)',
        'y/': '/a"><script>alert(1)</script>',
        'z/': 'https://example.com/"><script>',
      },
    });
    const redirects = redirectMap(table);
    expect(Object.keys(redirects).filter((from) => /\.\.|\s/.test(from))).toEqual([]);
    expect(redirects['/x/']).toBeUndefined();
    expect(redirects['/y/']).toBe('/a%22%3E%3Cscript%3Ealert(1)%3C/script%3E');
    expect(redirects['/z/']).toBe('https://example.com/%22%3E%3Cscript%3E');
    expect(table.problems).toHaveLength(3);
  });

  test('sitePath adds the base once and the folder slash', () => {
    expect(sitePath('processes/old', '/docs/')).toBe('/docs/processes/old/');
    expect(sitePath('/docs/processes/old/', '/docs/')).toBe('/docs/processes/old/');
    expect(sitePath('files/old/lb.tf', '/')).toBe('/files/old/lb.tf/');
    expect(sitePath('/x/a.html', '/', false)).toBe('/x/a.html');
    expect(sitePath('/processes/x/#a', '/')).toBe('/processes/x/#a');
  });
});

describe('lookup', () => {
  const table = buildLinkTable(graph());

  test.each([
    ['blue-green-rollout', '/processes/blue-green-rollout/'],
    ['Blue/Green Rollout', '/processes/blue-green-rollout/'],
    ['Deployment Process: Blue/Green Rollout', '/processes/blue-green-rollout/'],
    ['blue green rollout', '/processes/blue-green-rollout/'],
    ['blue-green-rollout#rollback', '/processes/blue-green-rollout/#rollback'],
    ['blue-green-rollout/rollback', '/processes/blue-green-rollout/#rollback'],
    ['Blue/Green Rollout#traffic-switch', '/processes/blue-green-rollout/#traffic-switch'],
    ['TASK-002', '/tasks/improvement-plan/TASK-002/'],
    ['task-002', '/tasks/improvement-plan/TASK-002/'],
    ['docs/plans/TASK-001', '/tasks/improvement-plan/TASK-001/'],
    ['production', '/environments/production/'],
    ['CI & Staging', '/environments/ci-staging/'],
    ['infra/lb.tf', '/files/infra/lb.tf/'],
    ['./infra/lb.tf', '/files/infra/lb.tf/'],
    ['infra/lb.tf:11', '/files/infra/lb.tf/#L11'],
    ['infra/lb.tf:3-10', '/files/infra/lb.tf/#L3'],
    ['infra/lb.tf#L4', '/files/infra/lb.tf/#L4'],
    [BG, '/processes/blue-green-rollout/'],
    [`${BG}:2`, `/files/${BG}/#L2`],
    [`${BG}#rollback`, '/processes/blue-green-rollout/#rollback'],
    ['docs/status/update.md', '/docs/status/update/'],
    ['env:staging', '/environments/staging/'],
  ])('%s → %s', (query, expected) => {
    expect(url(lookupLink(table, query))).toBe(expected);
  });

  test('the short form comes with the same fragment', () => {
    const result = lookupLink(table, 'infra/lb.tf:5');
    expect(result.status === 'found' && result.short).toBe('/f/infra/lb.tf/#L5');
    const sub = lookupLink(table, 'blue-green-rollout#rollback');
    expect(sub.status === 'found' && sub.short).toBe('/p/blue-green-rollout/#rollback');
  });

  test('near misses come with suggestions', () => {
    expect(lookupLink(table, 'blue-gren-rollout')).toEqual({ status: 'unknown', suggestions: ['blue-green-rollout'] });
    expect(lookupLink(table, 'infra/lb.tff')).toMatchObject({ status: 'unknown', suggestions: ['infra/lb.tf'] });
    expect(lookupLink(table, 'other/lb.tf')).toMatchObject({ status: 'unknown', suggestions: ['infra/lb.tf'] });
    expect(lookupLink(table, 'rollout')).toMatchObject({ status: 'unknown', suggestions: expect.arrayContaining(['deploy/rollout.sh']) });
    expect(lookupLink(table, 'zzzzzz')).toEqual({ status: 'unknown', suggestions: [] });
  });

  test('a line past the end, a missing heading and a line of a page without source are explained', () => {
    expect(lookupLink(table, 'infra/lb.tf:900')).toMatchObject({ status: 'unknown', reason: expect.stringContaining('past its end') });
    expect(lookupLink(table, `${BG}#rolback`)).toMatchObject({ status: 'unknown', suggestions: [`${BG}#rollback`] });
    expect(lookupLink(table, 'docs/status/update.md:3')).toMatchObject({ status: 'unknown', reason: expect.stringContaining('no line view') });
  });

  test('a clash between kinds is ambiguous until a prefix settles it', () => {
    const clash = buildLinkTable(graph((g) => g.processes.push({ ...g.processes[1], id: 'staging', name: 'Staging', file: 'docs/x.md', subProcesses: [] })));
    expect(lookupLink(clash, 'staging')).toEqual({ status: 'ambiguous', candidates: ['environment:staging', 'process:staging'] });
    expect(url(lookupLink(clash, 'process:staging'))).toBe('/processes/staging/');
    expect(url(lookupLink(clash, 'e:staging'))).toBe('/environments/staging/');
  });
});

describe('manifest and URL contract', () => {
  test('the manifest maps every id and alias to its canonical URL, and lists every URL', () => {
    const table = buildLinkTable(graph((g) => (g.processes[0].aliases = ['BG'])), { base: '/docs/', site: 'https://docs.example.com/docs/' });
    const manifest = toManifest(table);
    expect(manifest.version).toBe(1);
    expect(manifest.site).toBe('https://docs.example.com/docs/');
    expect(manifest.processes).toEqual({
      bg: '/docs/processes/blue-green-rollout/',
      'blue-green-rollout': '/docs/processes/blue-green-rollout/',
      'database-backup': '/docs/processes/database-backup/',
    });
    expect(manifest.tasks['TASK-001']).toBe('/docs/tasks/improvement-plan/TASK-001/');
    expect(manifest.subProcesses['blue-green-rollout/rollback']).toBe('/docs/processes/blue-green-rollout/#rollback');
    expect(manifest.urls).toEqual(publishedUrls(table));
    expect(manifest.urls).toContain('/docs/p/bg/');
    expect(JSON.stringify(toManifest(buildLinkTable(graph((g) => g.processes.reverse()), { base: '/docs/' })))).toBe(
      JSON.stringify(toManifest(buildLinkTable(graph(), { base: '/docs/' }))),
    );
  });

  test('a renamed process loses its URL unless an alias covers it', () => {
    const before = toManifest(buildLinkTable(graph()));
    const renamed = (aliases: string[]) =>
      buildLinkTable(
        graph((g) => {
          g.processes[0] = { ...g.processes[0], id: 'progressive-rollout', name: 'Progressive Rollout', aliases };
        }),
      );
    const lost = lostUrls(before, renamed([]));
    expect(lost.map((l) => l.url)).toEqual(['/p/blue-green-rollout/', '/processes/blue-green-rollout/']);
    expect(lost[1].was).toBe('process `blue-green-rollout`');
    expect(lost[1].hint).toContain('aliases: [blue-green-rollout]');
    expect(lostUrls(before, renamed(['Blue/Green Rollout']))).toEqual([]);
  });

  test('a moved file is named in the hint; a git rename covers it', () => {
    const before = toManifest(buildLinkTable(graph()));
    const moved = graph((g) => (g.files.find((f) => f.path === 'infra/lb.tf')!.path = 'network/lb.tf'));
    const lost = lostUrls(before, buildLinkTable(moved));
    expect(lost.map((l) => l.url)).toEqual(['/f/infra/lb.tf/', '/files/infra/lb.tf/']);
    expect(lost[1].hint).toContain('moved to `network/lb.tf`');
    expect(lostUrls(before, buildLinkTable(moved, { renames: [{ from: 'infra/lb.tf', to: 'network/lb.tf' }] }))).toEqual([]);
  });

  test('the _redirects file has one sorted line per redirect', () => {
    const text = redirectsFile(buildLinkTable(graph(), { base: '/docs/' }));
    expect(text).toContain('/docs/p/blue-green-rollout/ /docs/processes/blue-green-rollout/ 301\n');
    const lines = text.trim().split('\n');
    expect(lines).toEqual([...lines].sort());
  });
});
