/**
 * The staleness view end to end: a scratch git repository with fixed commit
 * dates where code changes after its process was validated, built with
 * `buildSite`; the HTML must show the stale / moved / broken badges, the
 * "changed since validation" commits (exact subjects, linked through the
 * configured commit template) and the home page's numbers.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite, type BuildSiteResult } from '../../src/astro/build-site.ts';
import { crawl } from './crawl.ts';
import { serveStatic } from './serve.ts';

const COMMIT_URL = 'https://git.example.com/demo/commit/{hash}';

let repo: string;
let out: string;
let result: BuildSiteResult;
const hashes = new Map<string, string>();

function git(date: string | undefined, ...args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: `${date}T12:00:00+00:00`, GIT_COMMITTER_DATE: `${date}T12:00:00+00:00` });
  const config = ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false'];
  return execFileSync('git', [...config, ...args], { cwd: repo, env, encoding: 'utf8' });
}

function write(file: string, text: string): void {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), text);
}

function commit(date: string, subject: string): void {
  git(undefined, 'add', '-A');
  git(date, 'commit', '-q', '-m', subject);
  hashes.set(subject, git(undefined, 'rev-parse', 'HEAD').trim());
}

/** `n` numbered lines, with some replaced: `lines(8, { 4: 'x' })`. */
function lines(n: number, replace: Record<number, string> = {}): string {
  return Array.from({ length: n }, (_, i) => replace[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';
}

const BLUE_GREEN = `# Deployment Process: Blue & Green Rollout

- **Status**: validated
- **Last Updated**: 2026-01-10
- **Last Validated**: 2026-01-10

## Overview

The listener rule is in \`infra/lb.tf:3-6\` and the script in \`deploy/rollout.sh:2-4\`.

## Sub-Processes

### Switch Traffic

**Description**: Move the weight to the new colour.

**Code Reference**: \`infra/lb.tf:3-6\`
`;

const RESTORE = `# Deployment Process: Restore

- **Status**: validated
- **Last Updated**: 2026-01-10
- **Last Validated**: 2026-01-10

## Overview

Restore runs \`scripts/restore.sh:2-3\`, checks with \`scripts/verify.sh:1-2\` and used to call \`scripts/gone.sh:1\`.
`;

function lbWith(replace: Record<number, string> = {}): string {
  return '# Deployment Process: Blue & Green Rollout\n# Environment: production\n' + lines(10, replace).split('\n').slice(2).join('\n');
}

beforeAll(async () => {
  repo = realpathSync(mkdtempSync(join(tmpdir(), 'waymark-stale-repo-')));
  out = mkdtempSync(join(tmpdir(), 'waymark-stale-site-'));
  git(undefined, 'init', '-q');
  write('waymark.config.json', JSON.stringify({ name: 'stale-demo', site: { title: 'Stale demo', commitUrl: COMMIT_URL } }));
  write('infra/lb.tf', lbWith());
  write('deploy/rollout.sh', lines(6));
  write('scripts/restore.sh', lines(5));
  write('scripts/verify.sh', lines(3));
  write('docs/processes/blue-green.md', BLUE_GREEN);
  write('docs/processes/restore.md', RESTORE);
  commit('2026-01-05', 'Initial import');
  write('infra/lb.tf', lbWith({ 4: 'listener = "tight"' }));
  commit('2026-02-03', 'Tighten listener rule');
  write('deploy/rollout.sh', lines(6, { 3: 'canary' }));
  commit('2026-02-20', 'Add canary step to rollout & <pause>');
  write('scripts/restore.sh', `# header\n# more header\n${lines(5)}`);
  commit('2026-03-01', 'Add header comment to restore script');
  write('infra/lb.tf', lbWith({ 4: 'listener = "tight"', 5: 'threshold = 5' }));
  commit('2026-03-05', 'Raise health check threshold');
  result = await buildSite({ repo, out, strict: false, quiet: true });
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

function page(path: string): string {
  return readFileSync(join(out, path, 'index.html'), 'utf8');
}

/** The HTML of one `<section>` of a page, found by its heading id. */
function section(html: string, id: string): string {
  const start = html.lastIndexOf('<section', html.indexOf(`id="${id}"`));
  return html.slice(start, html.indexOf('</section>', start));
}

function count(html: string, text: string): number {
  return html.split(text).length - 1;
}

describe('staleness on the built site', () => {
  test('the build succeeds', () => {
    expect(result.failed).toBe(false);
    expect(result.diagnostics.filter((d) => d.rule === 'stale-reference').map((d) => `${d.file}:${d.line}`)).toEqual([
      'docs/processes/blue-green.md:9',
      'docs/processes/blue-green.md:9',
      'docs/processes/blue-green.md:17',
    ]);
  });

  test('document references carry distinct ok / stale / moved / broken badges', () => {
    const blueGreen = section(page('processes/blue-green-rollout'), 'wm-document');
    expect(count(blueGreen, 'wm-badge wm-badge-stale')).toBe(3);
    expect(count(blueGreen, 'wm-badge-ok')).toBe(0);
    expect(blueGreen).toContain('class="wm-ref wm-ref-stale"');
    const restore = section(page('processes/restore'), 'wm-document');
    expect(count(restore, 'wm-badge wm-badge-moved')).toBe(1);
    expect(count(restore, 'wm-badge wm-badge-ok')).toBe(1);
    expect(count(restore, 'wm-badge wm-badge-broken')).toBe(1);
    expect(count(restore, 'wm-badge-stale')).toBe(0);
  });

  test('sub-process references and file pages show the same badges', () => {
    const sub = section(page('processes/blue-green-rollout'), 'wm-subprocesses');
    expect(sub).toMatch(/ref-state ref-state-stale tone-warn"[^>]*>stale</);
    const lb = section(page('files/infra/lb.tf'), 'wm-citations');
    expect(count(lb, 'ref-state-stale')).toBe(2);
    const restoreScript = section(page('files/scripts/restore.sh'), 'wm-citations');
    expect(restoreScript).toMatch(/ref-state-moved tone-info"[^>]*>moved</);
    expect(section(page('files/scripts/verify.sh'), 'wm-citations')).toMatch(/ref-state-ok tone-ok"[^>]*>ok</);
  });

  test('a process page lists the commits after its validation, by cited range, linked by the commit template', () => {
    const changed = section(page('processes/blue-green-rollout'), 'wm-changed');
    const subjects = [...changed.matchAll(/<span class="commit-subject"[^>]*>([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(subjects).toEqual(['Add canary step to rollout &amp; &lt;pause&gt;', 'Raise health check threshold', 'Tighten listener rule']);
    const ranges = [...changed.matchAll(/<p class="changed-range"[^>]*>.*?<code[^>]*>([^<]*)<\/code>/g)].map((m) => m[1]);
    expect(ranges).toEqual(['deploy/rollout.sh:2-4', 'infra/lb.tf:3-6']);
    expect(changed).toContain('since it was last validated (2026-01-10)');
    expect(changed).toContain('3 commits in 2 cited ranges');
    const tighten = hashes.get('Tighten listener rule')!;
    expect(changed).toContain(`href="https://git.example.com/demo/commit/${tighten}"`);
    expect(changed).toContain(`<code>${tighten.slice(0, 7)}`);
    expect(changed).toContain('2026-02-03');
    expect(changed).not.toContain('Add header comment');
    expect(changed).not.toContain('Initial import');
    expect(changed).not.toContain('<pause>');
    // References citing one range are listed in document order.
    expect(changed.indexOf('#overview"><code>infra/lb.tf')).toBeLessThan(changed.indexOf('#switch-traffic"><code>infra/lb.tf'));
  });

  test('without a commit template the commits are plain text', async () => {
    write('waymark.config.json', JSON.stringify({ name: 'stale-demo', site: { title: 'Stale demo' } }));
    const plain = mkdtempSync(join(tmpdir(), 'waymark-stale-plain-'));
    try {
      expect((await buildSite({ repo, out: plain, strict: false, quiet: true })).failed).toBe(false);
      const html = readFileSync(join(plain, 'processes/blue-green-rollout/index.html'), 'utf8');
      const changed = section(html, 'wm-changed');
      expect(changed).toContain(`<code class="commit-hash">${hashes.get('Tighten listener rule')!.slice(0, 7)}`);
      expect(changed).not.toContain('class="commit-hash" href');
      expect(count(changed, 'class="commit-subject"')).toBe(3);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  test('a process whose cited code only moved has nothing changed since validation', () => {
    const changed = section(page('processes/restore'), 'wm-changed');
    expect(changed).toContain('None of the code this process cites changed since it was last validated (2026-01-10).');
    expect(changed).not.toContain('commit-subject');
  });

  test('the home page counts stale and moved references and the processes to revalidate', () => {
    const home = section(page(''), 'wm-staleness');
    const stat = (name: string) => new RegExp(`data-stat="${name}"[^>]*>(?:<a[^>]*>)?<span class="stat"[^>]*>(\\d+)<`).exec(home)?.[1];
    expect(stat('stale-references')).toBe('3');
    expect(stat('moved-references')).toBe('1');
    expect(stat('needs-revalidation')).toBe('1');
    expect(stat('overdue')).toBe('1');
    // Validated 2026-01-10; counted to the newest change, 2026-03-05: 54 days; behind since 2026-02-03: 30 days.
    const row = /<tr data-process="blue-green-rollout"[^>]*>(.*?)<\/tr>/.exec(home)?.[1] ?? '';
    expect([...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, ''))).toEqual([
      'Blue &amp; Green Rollout',
      '2026-01-10',
      '54',
      '3',
      '2026-02-03',
      '30',
    ]);
    // Restore's cited lines only moved: no row in the most-stale table; it is listed to look at because it cites a missing file.
    expect(/<table class="compact stale-table">[\s\S]*?<\/table>/.exec(home)?.[0]).not.toContain('data-process="restore"');
    expect(home).toContain('<li data-process="restore" data-health="broken">');
    expect(home).toMatch(/<svg class="chart stale-chart" viewBox="0 0 640 30"/);
    expect(home).toContain('>Blue &amp; Green Rollout</text>');
  });

  test('the site has no broken internal link or anchor', async () => {
    const server = await serveStatic(out, '/');
    try {
      expect((await crawl(server.url)).broken).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
