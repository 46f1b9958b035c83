/**
 * `waymark lsp` in a real editor: Neovim (headless) with the README's Neovim
 * snippet as its init file, on test/fixtures/lsp-neovim (committed into a
 * scratch git repository). `fixtures/lsp-neovim/driver.lua` opens a process
 * document with a broken reference, fixes it in the unsaved buffer, hovers a
 * line-range reference, jumps from a script's `# Reference:` comment with
 * Neovim's own `vim.lsp.buf.definition()`, completes a path and a heading in
 * a comment and applies a code action; it writes what Neovim saw as JSON,
 * which this test compares. Needs `nvim` (0.7+) on the PATH: CI installs
 * Debian's (`.ci/run`); without it the test is skipped, and says so.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeRepos } from './git-repo.ts';
import { binPath, fixturesDir, projectRoot } from './helpers.ts';
import { committedFixture } from './lsp-client.ts';

const DOC = 'docs/processes/cache-flush.md';
const fixture = path.join(fixturesDir, 'lsp-neovim');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const nvimVersion = nvim.status === 0 ? nvim.stdout.split('\n')[0] : undefined;
if (!nvimVersion) console.warn('lsp-neovim: skipped, `nvim` is not on the PATH (apt-get install neovim; CI installs it)');

/** The first `lua` block after the README's **Neovim** heading: what a user pastes into init.lua. */
function readmeSnippet(): string {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const from = readme.indexOf('**Neovim**');
  const block = /```lua\n([\s\S]*?)```/.exec(readme.slice(from));
  if (from < 0 || !block) throw new Error('README.md has no Neovim snippet');
  return block[1];
}

afterAll(removeRepos);

interface Seen {
  error?: string;
  steps: string[];
  client?: { name: string; root: string };
  opened?: Array<{ line: number; col: number; end_col: number; severity: number; source: string; code: string; message: string; href: string | null }>;
  fixed?: unknown[];
  modified?: boolean;
  hover?: string | null;
  script_filetype?: string;
  jumped?: { file: string; line: number; text: string };
  path_completions?: string[];
  anchor_completions?: string[];
  actions?: string[];
  validated_line?: string;
}

describe.skipIf(!nvimVersion)(`waymark lsp in Neovim (${nvimVersion ?? 'not installed'})`, () => {
  it('shows diagnostics as the user types, hovers, jumps to a definition, completes and applies a code action', async () => {
    const repo = committedFixture('lsp-neovim', '2026-11-04', 'Cache service');
    // Outside the repository: `waymark` on the PATH, the editor's own folders, the answer file.
    const home = path.join(repo.dir, '..', `${path.basename(repo.dir)}-nvim`);
    mkdirSync(path.join(home, 'bin'), { recursive: true });
    // The README's `cmd = { 'waymark', 'lsp' }` finds this Waymark (no cache: the test leaves nothing behind).
    writeFileSync(path.join(home, 'bin/waymark'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(binPath)} "$@" --no-cache\n`);
    chmodSync(path.join(home, 'bin/waymark'), 0o755);
    writeFileSync(path.join(home, 'init.lua'), readmeSnippet());
    const answer = path.join(home, 'seen.json');
    const xdg = Object.fromEntries(['CONFIG', 'DATA', 'STATE', 'CACHE'].map((kind) => [`XDG_${kind}_HOME`, path.join(home, kind.toLowerCase())]));

    const run = await new Promise<{ code: number | null; stderr: string }>((done) => {
      execFile(
        'nvim',
        ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', path.join(home, 'init.lua'), '-c', `luafile ${path.join(fixture, 'driver.lua')}`],
        { cwd: repo.dir, env: { ...process.env, ...xdg, PATH: `${path.join(home, 'bin')}:${process.env.PATH}`, WAYMARK_NVIM_OUT: answer }, timeout: 150_000 },
        (error, _stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    let seen: Seen;
    try {
      seen = JSON.parse(readFileSync(answer, 'utf8')) as Seen;
    } catch {
      throw new Error(`Neovim wrote no answer (exit ${run.code}): ${run.stderr}`);
    }
    const log = () => {
      try {
        return readFileSync(path.join(xdg.XDG_CACHE_HOME, 'nvim/lsp.log'), 'utf8').slice(-4000);
      } catch {
        return '(no lsp.log)';
      }
    };
    expect(seen.error, `${seen.steps.join(' → ')}\n${log()}`).toBeUndefined();

    // The snippet found the repository and started the server for it.
    expect(seen.client).toEqual({ name: 'waymark', root: repo.dir });
    // The broken reference, as `waymark check` reports it, with its rule page.
    // Its span is the path (`end_col` is exclusive).
    expect(seen.opened!.map((d) => `${d.line}:${d.col}-${d.end_col} ${d.code} ${d.severity} ${d.source} ${d.message}`)).toEqual([
      `12:51-${51 + 'scripts/warm-up.sh'.length} missing-file 2 waymark \`scripts/warm-up.sh\` does not exist`,
    ]);
    expect(seen.opened![0].href).toMatch(/\/docs\/rules\/missing-file\.md$/);
    // Fixed in the buffer, not on disk: cleared from the unsaved text.
    expect(seen.fixed).toEqual([]);
    expect(seen.modified).toBe(true);
    expect(repo.read(DOC)).toContain('scripts/warm-up.sh');

    // Hover: the cited lines (3-8 of infra/cache.tf) and their state.
    expect(seen.hover).toContain('resource "aws_elasticache_cluster" "sessions" {');
    expect(seen.hover).toContain('num_cache_nodes = 1');
    expect(seen.hover).not.toContain('cache_endpoint');
    expect(seen.hover).toMatch(/State: ok/);

    // `# Reference: docs/processes/cache-flush.md#rollback` in a shell script jumps to the heading.
    expect(seen.script_filetype).toBe('sh');
    expect(seen.jumped).toEqual({ file: DOC, line: 14, text: '## Rollback' });

    // Completion in a comment as it is typed: the path after `Reference:`, then the document's headings after `#`.
    expect(seen.path_completions).toEqual(['infra/cache.tf']);
    expect(seen.anchor_completions).toEqual(['deployment-process-cache-flush', 'flush', 'rollback']);
    // The process's code action, applied by Neovim: today (WAYMARK_TODAY) as the validation date.
    expect(seen.actions).toEqual([`Set \`Last Validated: ${process.env.WAYMARK_TODAY}\``]);
    expect(seen.validated_line).toBe(`**Last Validated**: ${process.env.WAYMARK_TODAY}`);
  }, 180_000);
});
