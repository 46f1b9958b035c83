/**
 * The URL contract, end to end on a small git repository: the first build
 * publishes `links.json`; renaming a process then fails the build, naming
 * the URL that would 404, until an alias covers it; a `git mv` of a
 * document keeps its old URL answering; redirects are static pages and
 * `_redirects` lines that point at the right page. The previous manifest is
 * read from a file and from a local HTTP server.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { loadPreviousManifest, LinkContractError } from '../src/node/links-fs.ts';

const BASE = '/infra/';
let dir: string;
let repo: string;

const PROCESS_DOC = (name: string, frontMatter = '') => `${frontMatter}# Deployment Process: ${name}

**Status**: validated
**Last Updated**: 2026-01-10
**Last Validated**: 2026-01-10

## Steps

The load balancer is in \`infra/main.tf:1-3\`.
`;

const MARKER = (name: string) => `# Deployment Process: ${name}
# Reference: docs/processes/deploy.md
resource "null_resource" "lb" {}
`;

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(repo, path, '..'), { recursive: true });
  await writeFile(join(repo, path), text);
}

function git(...args: string[]): void {
  execFileSync('git', args, {
    cwd: repo,
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
  });
}

async function build(out: string, previous?: string): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIo = { stdout: () => undefined, stderr: (t) => void (stderr += t), cwd: dir, env: {}, isTTY: false };
  const args = ['build', '--repo', repo, '--out', out, '--base', BASE, '--quiet', ...(previous ? ['--previous-manifest', previous] : [])];
  return { code: await main(args, io), stderr };
}

async function serve(routes: Record<string, { status: number; body: string }>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const route = routes[req.url ?? ''] ?? { status: 404, body: 'not found' };
    res.statusCode = route.status;
    res.end(route.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'waymark-contract-'));
  repo = join(dir, 'repo');
  await write('docs/processes/deploy.md', PROCESS_DOC('Blue Green Deploy'));
  await write('infra/main.tf', MARKER('Blue Green Deploy'));
  await write('docs/guide.md', '# Guide\n\nStart with [the deploy process](processes/deploy.md).\n');
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'first');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('URL contract', () => {
  test('the first build publishes links.json; a missing previous manifest means a first build', async () => {
    const result = await build(join(dir, 'out1'), join(dir, 'nothing-yet.json'));
    expect(result.stderr).toContain('no previous manifest at');
    expect(result.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'out1/links.json'), 'utf8'));
    expect(manifest.processes['blue-green-deploy']).toBe('/infra/processes/blue-green-deploy/');
    expect(manifest.urls).toContain('/infra/p/blue-green-deploy/');
    expect(manifest.urls).toContain('/infra/docs/guide/');
  });

  test('renaming a process fails the build, naming every URL that would 404, and writes nothing', async () => {
    await write('docs/processes/deploy.md', PROCESS_DOC('Rolling Deploy'));
    await write('infra/main.tf', MARKER('Rolling Deploy'));
    const result = await build(join(dir, 'out2'), join(dir, 'out1/links.json'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('waymark: build stopped: 2 URLs published before would now 404\n');
    expect(result.stderr).toContain('  /infra/processes/blue-green-deploy/ (process `blue-green-deploy`)\n');
    expect(result.stderr).toContain('  /infra/p/blue-green-deploy/ (process `blue-green-deploy`)\n');
    expect(result.stderr).toContain('add `aliases: [blue-green-deploy]` to the front matter');
    expect(existsSync(join(dir, 'out2'))).toBe(false);
  });

  test('the previous manifest can be a URL (here on a local server); a server error stops the build', async () => {
    const manifest = await readFile(join(dir, 'out1/links.json'), 'utf8');
    const { url, server } = await serve({ '/links.json': { status: 200, body: manifest }, '/broken.json': { status: 500, body: '' } });
    try {
      const lost = await build(join(dir, 'out2'), `${url}/links.json`);
      expect(lost.code).toBe(1);
      expect(lost.stderr).toContain('/infra/processes/blue-green-deploy/');
      const failed = await build(join(dir, 'out2'), `${url}/broken.json`);
      expect(failed).toEqual({ code: 2, stderr: `waymark: previous manifest \`${url}/broken.json\` could not be fetched: HTTP 500\n` });
      expect(await loadPreviousManifest(`${url}/missing.json`)).toEqual({
        note: `no previous manifest at \`${url}/missing.json\` yet; the URL contract starts with this build`,
      });
      await expect(loadPreviousManifest('http://127.0.0.1:9/links.json', { timeoutMs: 2000 })).rejects.toThrow(LinkContractError);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  test('an alias covers the renamed process, a git rename the moved document; the redirects point right', async () => {
    await write('docs/processes/deploy.md', PROCESS_DOC('Rolling Deploy', '---\naliases: [Blue Green Deploy]\n---\n'));
    git('add', '.');
    git('commit', '-qm', 'rename the process');
    git('mv', 'docs/guide.md', 'docs/handbook.md');
    git('commit', '-qm', 'rename the guide');
    const out = join(dir, 'out2');
    const result = await build(out, join(dir, 'out1/links.json'));
    expect(result).toEqual({ code: 0, stderr: '' });

    const redirect = async (from: string) => {
      const html = await readFile(join(out, from.slice(BASE.length), 'index.html'), 'utf8');
      return /<link rel="canonical" href="([^"]+)">/.exec(html)?.[1];
    };
    expect(await redirect('/infra/processes/blue-green-deploy/')).toBe('/infra/processes/rolling-deploy/');
    expect(await redirect('/infra/p/blue-green-deploy/')).toBe('/infra/processes/rolling-deploy/');
    expect(await redirect('/infra/docs/docs/guide.md/')).toBe('/infra/docs/handbook/');
    expect(await redirect('/infra/docs/guide/')).toBe('/infra/docs/handbook/');
    expect(await redirect('/infra/f/docs/guide.md/')).toBe('/infra/docs/handbook/');
    const lines = (await readFile(join(out, '_redirects'), 'utf8')).split('\n');
    expect(lines).toContain('/infra/processes/blue-green-deploy/ /infra/processes/rolling-deploy/ 301');
    expect(lines).toContain('/infra/docs/guide/ /infra/docs/handbook/ 301');
    const manifest = JSON.parse(await readFile(join(out, 'links.json'), 'utf8'));
    expect(manifest.documents['docs/guide.md']).toBe('/infra/docs/handbook/');
    expect(manifest.processes['blue-green-deploy']).toBe('/infra/processes/rolling-deploy/');

    // The next build holds the new URLs to the same contract.
    await rm(join(repo, 'docs/handbook.md'));
    const next = await build(join(dir, 'out3'), join(out, 'links.json'));
    expect(next.code).toBe(1);
    expect(next.stderr).toContain('/infra/docs/handbook/ (document `docs/handbook.md`)');
    // The old name redirected to the document that is now gone: it is lost with it.
    expect(next.stderr).toContain('/infra/docs/guide/ (document `docs/handbook.md`)');
    expect(next.stderr).toContain('`docs/handbook.md` no longer has a page; map it in `redirects`');
  });

  test('config redirects that name nothing stop the build', async () => {
    await write('waymark.config.json', JSON.stringify({ redirects: { 'runbooks/old/': 'handbok.md', '../../etc/': 'guide' } }));
    try {
      const result = await build(join(dir, 'out4'));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('waymark: invalid redirects in waymark.config.json\n');
      expect(result.stderr).toContain('`redirects.runbooks/old/`: `handbok.md` names nothing in the site');
      expect(result.stderr).toContain('`redirects.../../etc/`: not a path of the site under `/infra/`');
    } finally {
      await rm(join(repo, 'waymark.config.json'));
    }
  });

  test('a second plan with the same task id keeps /t/<id>/ answering, with a page that lists both', async () => {
    const plan = (title: string, task: string) => `# ${title} Improvement Plan\n\n## Tasks\n\n### TASK-001: ${task}\n\n- **Priority**: P1\n`;
    await write('docs/plans/network/plan.md', plan('Network', 'Add a WAF'));
    const first = await build(join(dir, 'out5'));
    expect(first.code).toBe(0);
    const redirects = await readFile(join(dir, 'out5/_redirects'), 'utf8');
    expect(redirects).toContain('/infra/t/TASK-001/ /infra/tasks/plan/TASK-001/ 301\n');
    // A task is its plan's: the folder-scoped URL it had before, and the plan-path one of the last release, keep answering.
    expect(redirects).toContain('/infra/tasks/docs/plans/network/TASK-001/ /infra/tasks/plan/TASK-001/ 301\n');
    expect(redirects).toContain('/infra/tasks/docs/plans/network/plan/TASK-001/ /infra/tasks/plan/TASK-001/ 301\n');

    await write('docs/plans/storage/plan.md', plan('Storage', 'Encrypt backups'));
    const second = await build(join(dir, 'out6'), join(dir, 'out5/links.json'));
    expect(second.stderr).not.toContain('would now 404');
    expect(second.code).toBe(0);
    const page = await readFile(join(dir, 'out6/t/TASK-001/index.html'), 'utf8');
    // The plans share a file name, so their folders tell them apart.
    expect(page).toContain('<a href="/infra/tasks/network-plan/TASK-001/">Network Improvement Plan › TASK-001: Add a WAF</a>');
    expect(page).toContain('<a href="/infra/tasks/storage-plan/TASK-001/">Storage Improvement Plan › TASK-001: Encrypt backups</a>');
    // A page, not a redirect: hosts that read `_redirects` must not send it to one of them.
    expect(await readFile(join(dir, 'out6/_redirects'), 'utf8')).not.toContain('/infra/t/TASK-001/ ');
    const manifest = JSON.parse(await readFile(join(dir, 'out6/links.json'), 'utf8'));
    expect(manifest.choices['/infra/t/TASK-001/']).toEqual(['/infra/tasks/network-plan/TASK-001/', '/infra/tasks/storage-plan/TASK-001/']);
    expect(manifest.urls).toContain('/infra/t/TASK-001/');
    // The URL the first plan's task had while its plan's name was unique still answers: with the choice.
    expect(manifest.choices['/infra/tasks/plan/TASK-001/']).toEqual(manifest.choices['/infra/t/TASK-001/']);
  });
});
