/**
 * The hostile corpus, continued (test/hostile.test.ts): what a repository, its
 * config or a server it names can do to the output and to the user's disk.
 * Printed values cannot forge lines or drive a terminal (issue 11, item 8);
 * `init` writes through no link (9); `build --out` empties only a folder
 * Waymark made (10); a previous manifest cannot grow memory or hang (15); a
 * config, `.gitignore` or manifest that is a FIFO or a folder is an error,
 * not a hang (16); names that start with two dots are inside (17); a link to
 * another file of the repository is read once (18).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { pathPrefix } from '../src/cli/context.ts';
import { formatFixReport } from '../src/node/fix-files.ts';
import { LinkContractError, loadPreviousManifest } from '../src/node/links-fs.ts';
import { checkOutputFolder, OUTPUT_MARKER, OutputFolderError } from '../src/node/output-dir.ts';
import { isInside } from '../src/node/read-files.ts';
import { scanRepository } from '../src/node/scan.ts';
import { jsonText, terminalText, workflowData, workflowProperty } from '../src/reporters/escape.ts';
import { reporters } from '../src/reporters/index.ts';
import { diagnosticLines } from './helpers.ts';
import { commitAll, initWithoutCommits } from './hostile/git.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-hostile-safety-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function freshBase(name: string): string {
  const base = path.join(scratch, name);
  mkdirSync(base, { recursive: true });
  return base;
}

function write(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

/** Run the CLI in this process, capturing what it prints. */
async function cli(args: string[], cwd = scratch): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: {}, isTTY: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Every file under `dir` with its content: to prove nothing changed. */
function contents(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.split(path.sep).includes('.git'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .map((file) => `${path.relative(dir, file)}=${readFileSync(file, 'utf8')}`)
    .sort();
}

const PROCESS_DOC = (name: string) => `# Deployment Process: ${name}\n\n**Status**: validated\n**Last Updated**: 2026-11-01\n**Last Validated**: 2026-11-01\n`;

// ---------------------------------------------------------------------------------------------
// Item 8: output that can forge lines.

/**
 * What a hostile value carries: an OSC title change ending in BEL, a screen
 * clear, a line break followed by a workflow command, a C1 CSI and a bidi
 * override.
 */
const FORGED = '\u001b]0;owned\u0007\u001b[2J\r\n::error file=a.tf::forged\u009b31m\u202eevil';

/** Characters a terminal or a log acts on: none may be printed raw, line breaks between messages aside. */
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function expectInert(text: string): void {
  expect(text).not.toMatch(ACTIVE);
  // No printed line can be a workflow command of its own.
  for (const line of text.split('\n')) expect(line.startsWith('::'), line).toBe(false);
}

describe('item 8: one escaping per output format', () => {
  it('terminal text shows every control and bidi character, on one line', () => {
    const shown = terminalText(FORGED);
    expectInert(shown);
    expect(shown).toBe('\\x1b]0;owned\\x07\\x1b[2J\\r\\n::error file=a.tf::forged\\x9b31m\\u202eevil');
  });

  it('workflow command data and properties use GitHub\'s escapes', () => {
    const data = workflowData(`100% ${FORGED}`);
    expect(data).not.toMatch(ACTIVE);
    expect(data).toBe('100%25 \\x1b]0;owned\\x07\\x1b[2J%0D%0A::error file=a.tf::forged\\x9b31m\\u202eevil');
    const property = workflowProperty('docs/a,b:c\n.md');
    expect(property).toBe('docs/a%2Cb%3Ac%0A.md');
  });

  it('JSON escapes C1 and bidi characters too, and parses back to the same value', () => {
    const value = { file: FORGED, list: [FORGED] };
    const text = jsonText(value, 2);
    expect(text).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('every reporter prints a hostile file name and message inert', () => {
    const diagnostic = { rule: 'missing-file', severity: 'error', file: `docs/${FORGED}.md`, line: 3, column: 1, message: `\`${FORGED}\` does not exist` } as const;
    const report = { diagnostics: [diagnostic], pathPrefix: '', version: '0.0.0' };
    expectInert(reporters.compact(report));
    expectInert(reporters.stylish(report));
    for (const format of ['json', 'sarif']) {
      const text = reporters[format](report);
      expect(text).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
      expect(JSON.stringify(JSON.parse(text))).toContain(JSON.stringify(FORGED).slice(1, -1));
    }
    const github = reporters.github(report);
    expect(github.trimEnd().split('\n')).toHaveLength(1);
    expect(github.trimEnd()).not.toMatch(ACTIVE);
  });

  it('config keys quoted in a config error are inert', async () => {
    const repo = path.join(freshBase('forged-config'), 'repo');
    write(repo, { 'waymark.config.json': JSON.stringify({ [FORGED]: 1, site: { [`title${FORGED}`]: 'x' } }) });
    const result = await cli(['check', '--repo', repo]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^waymark: invalid config\n/);
    expect(result.stderr).toContain('\\x1b]0;owned');
    expectInert(result.stderr);
  });

  it('redirect keys and values quoted in the config error are inert, and nothing is built', async () => {
    const base = freshBase('forged-redirects');
    const repo = path.join(base, 'repo');
    write(repo, {
      'docs/processes/deploy.md': PROCESS_DOC('Deploy'),
      'waymark.config.json': JSON.stringify({ redirects: { [`old/${FORGED}/`]: 'nowhere', 'older/': `missing${FORGED}` } }),
    });
    const out = path.join(base, 'out');
    const result = await cli(['build', '--repo', repo, '--out', out, '--no-cache']);
    // The config refuses control characters in redirects; the refusal quotes them inert.
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^waymark: invalid config\n/);
    expect(result.stderr).toContain('\\x1b]0;owned');
    expectInert(result.stderr);
    expect(existsSync(out)).toBe(false);
  });

  it('a previous-manifest URL quoted in an error is inert', async () => {
    const repo = path.join(freshBase('forged-manifest'), 'repo');
    write(repo, { 'docs/a.md': '# A\n' });
    const result = await cli(['build', '--repo', repo, '--out', path.join(scratch, 'forged-manifest/out'), '--previous-manifest', `http://127.0.0.1:9/${FORGED}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^waymark: previous manifest `http:\/\/127\.0\.0\.1:9\/\\x1b\]0;owned.* could not be fetched: /);
    expectInert(result.stderr);
  });

  it('queries and names echoed by link are inert', async () => {
    const repo = path.join(freshBase('forged-link'), 'repo');
    write(repo, { 'docs/processes/deploy.md': PROCESS_DOC('Deploy') });
    const result = await cli(['link', '--repo', repo, FORGED]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('\\x9b31m\\u202eevil');
    expectInert(result.stderr);
  });

  it('file names, rewritten text and reasons in the fix report are inert', () => {
    const file = `docs/${FORGED}.md`;
    const replacement = { line: 2, column: 3, oldText: `infra/${FORGED}.tf:1`, newText: 'infra/a.tf:2' };
    const printed = formatFixReport({
      root: '/repo',
      hasHistory: true,
      files: [
        { file, status: 'fixed', applied: [replacement], skipped: [{ replacement, reason: `moved to ${FORGED}` }], diff: '' },
        { file: `${file}2`, status: 'refused', applied: [], skipped: [], diff: '', reason: `it is ${FORGED}` },
      ],
    } as Parameters<typeof formatFixReport>[0]);
    expect(printed.stdout).toContain('fixed docs/\\x1b]0;owned');
    expect(printed.stderr).toContain('did not rewrite `infra/\\x1b]0;owned');
    expectInert(printed.stdout);
    expectInert(printed.stderr);
  });
});

// ---------------------------------------------------------------------------------------------
// Item 9: init writes through no link.

describe('item 9: init never writes through a symbolic link', () => {
  function planted(name: string): { repo: string; outside: string } {
    const base = freshBase(name);
    const repo = path.join(base, 'repo');
    const outside = path.join(base, 'outside');
    write(outside, { 'outside.yml': 'mine: keep\n', 'folder/.keep': '' });
    mkdirSync(repo, { recursive: true });
    return { repo, outside };
  }

  it.each([[false], [true]])('a workflow file linked out of the repository is refused (--force: %s)', async (force) => {
    const { repo, outside } = planted(`init-file-link-${force}`);
    mkdirSync(path.join(repo, '.github/workflows'), { recursive: true });
    symlinkSync('../../../outside/outside.yml', path.join(repo, '.github/workflows/waymark.yml'));
    const before = contents(outside);
    const result = await cli(['init', '--repo', repo, '--ci', 'github', ...(force ? ['--force'] : [])]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('waymark: did not write .github/workflows/waymark.yml: `.github/workflows/waymark.yml` is a symbolic link');
    expect(contents(outside)).toEqual(before);
    // The other file is still written.
    expect(result.stdout).toContain('wrote waymark.config.json');
  });

  it('a folder on the way that links out of the repository is refused, and nothing is written there', async () => {
    const { repo, outside } = planted('init-folder-link');
    symlinkSync(path.join(outside, 'folder'), path.join(repo, '.github'));
    const result = await cli(['init', '--repo', repo, '--ci', 'github', '--force']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`.github` is a symbolic link; Waymark does not write through links');
    expect(readdirSync(path.join(outside, 'folder'))).toEqual(['.keep']);
  });

  it('a config that links to another file of the repository is not overwritten through the link', async () => {
    const { repo } = planted('init-inside-link');
    write(repo, { 'docs/keep.md': '# Keep\n' });
    symlinkSync('docs/keep.md', path.join(repo, 'waymark.config.json'));
    const result = await cli(['init', '--repo', repo, '--ci', 'none', '--force']);
    expect(result.code).toBe(2);
    expect(readFileSync(path.join(repo, 'docs/keep.md'), 'utf8')).toBe('# Keep\n');
  });
});

// ---------------------------------------------------------------------------------------------
// Item 10: build --out empties only a folder Waymark made.

describe('item 10: the output folder', () => {
  const base = freshBase('out');
  const repo = path.join(base, 'repo');
  write(repo, {
    'docs/processes/deploy.md': PROCESS_DOC('Deploy'),
    'infra/main.tf': '# Deployment Process: Deploy\n# Reference: docs/processes/deploy.md\n',
  });
  initWithoutCommits(repo);
  commitAll(repo, 'first');
  // Uncommitted work and a folder of the user's own.
  write(repo, { 'notes.txt': 'uncommitted\n', 'mine/draft.md': 'not tracked, not built\n' });
  const before = contents(repo);

  it.each([
    ['.', 'it is the repository itself'],
    ['..', 'it contains the repository'],
    ['docs', 'it holds files git tracks (`docs/processes/deploy.md`)'],
    ['mine', `it holds files Waymark did not build (no \`${OUTPUT_MARKER}\` in it)`],
  ])('--out %s is refused before anything is built: %s', async (out, why) => {
    const result = await cli(['build', '--repo', repo, '--out', out], repo);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(`waymark: refusing to build into \`${out}\`: ${why}`), result.stderr).toBe(true);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(contents(repo)).toEqual(before);
    expect(existsSync(path.join(repo, 'docs/site'))).toBe(false);
  });

  it('a link named as the output folder is refused when it leads to the repository', async () => {
    const link = path.join(base, 'looks-harmless');
    symlinkSync(repo, link);
    await expect(checkOutputFolder(repo, link)).rejects.toThrow(/it is the repository itself/);
  });

  it('a missing, an empty and an earlier output folder (with the marker) are accepted, tracked files or not', async () => {
    await expect(checkOutputFolder(repo, path.join(repo, 'dist'))).resolves.toBeUndefined();
    await expect(checkOutputFolder(repo, path.join(repo, 'public'))).resolves.toBeUndefined();
    mkdirSync(path.join(base, 'empty'));
    await expect(checkOutputFolder(repo, path.join(base, 'empty'))).resolves.toBeUndefined();
    write(base, { [`earlier/${OUTPUT_MARKER}`]: '', 'earlier/index.html': 'old' });
    await expect(checkOutputFolder(repo, path.join(base, 'earlier'))).resolves.toBeUndefined();
    // A marker planted in a folder git tracks changes nothing.
    write(repo, { [`docs/${OUTPUT_MARKER}`]: '' });
    await expect(checkOutputFolder(repo, path.join(repo, 'docs'))).rejects.toThrow(OutputFolderError);
    rmSync(path.join(repo, `docs/${OUTPUT_MARKER}`));
  });

  it('the default dist builds, leaves the marker, and is emptied and built again', async () => {
    const first = await cli(['build', '--repo', repo, '--quiet', '--no-cache'], repo);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(path.join(repo, 'dist/index.html'))).toBe(true);
    expect(existsSync(path.join(repo, 'dist', OUTPUT_MARKER))).toBe(true);
    writeFileSync(path.join(repo, 'dist/stale.html'), 'from an earlier build');
    const second = await cli(['build', '--repo', repo, '--quiet', '--no-cache'], repo);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(path.join(repo, 'dist/stale.html'))).toBe(false);
    expect(existsSync(path.join(repo, 'dist', OUTPUT_MARKER))).toBe(true);
    // The repository is untouched but for dist.
    expect(contents(repo).filter((line) => !line.startsWith('dist/'))).toEqual(before);
  }, 300_000);

  it('a repository that does not exist is reported as such, and a user folder is not marked', async () => {
    write(base, { 'user-empty/.keep-me': 'x' });
    const refused = await cli(['build', '--repo', path.join(base, 'no-such-repo'), '--out', path.join(base, 'user-empty')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('holds files Waymark did not build');
    mkdirSync(path.join(base, 'user-new'));
    const missing = await cli(['build', '--repo', path.join(base, 'no-such-repo'), '--out', path.join(base, 'user-new')]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/^waymark: `.*no-such-repo` is not a directory\n$/) });
    expect(readdirSync(path.join(base, 'user-new'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Item 15: a previous manifest from a server that never ends or trickles.

async function serve(handler: (res: ServerResponse, sent: { bytes: number }) => void): Promise<{ url: string; server: Server; sent: { bytes: number }; closed: Promise<void> }> {
  const sent = { bytes: 0 };
  let closedDone: () => void = () => undefined;
  const closed = new Promise<void>((done) => (closedDone = done));
  const server = createServer((_req, res) => {
    res.on('close', closedDone);
    handler(res, sent);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/links.json`, server, sent, closed };
}

/** 64 KiB chunks as fast as the client takes them, forever. */
function endless(res: ServerResponse, sent: { bytes: number }): void {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.writeHead(200, { 'content-type': 'application/json' });
  const pump = () => {
    while (!res.destroyed) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
  };
  pump();
}

describe('item 15: a previous manifest is read within bounds', () => {
  it('an endless body stops at the size limit; what is read grows with the limit, not with the server', async () => {
    const read = async (maxBytes: number) => {
      const { url, server, sent, closed } = await serve(endless);
      try {
        await expect(loadPreviousManifest(url, { maxBytes, timeoutMs: 60_000 })).rejects.toThrow(new RegExp(`could not be fetched: it is over the ${maxBytes} byte limit`));
        await closed;
        return sent.bytes;
      } finally {
        server.close();
      }
    };
    const [small, large] = [await read(1024 * 1024), await read(4 * 1024 * 1024)];
    // Socket buffers add a little on top of the limit, never more than a few MiB.
    expect(small).toBeLessThan(1024 * 1024 + 16 * 1024 * 1024);
    expect(large).toBeLessThan(4 * 1024 * 1024 + 16 * 1024 * 1024);
    expect(large).toBeGreaterThan(4 * 1024 * 1024);
  });

  it('through build: exit 2 with one sentence, no stack, at the default 32 MiB limit', async () => {
    const repo = path.join(freshBase('endless-build'), 'repo');
    write(repo, { 'docs/a.md': '# A\n' });
    const { url, server, sent, closed } = await serve(endless);
    try {
      const result = await cli(['build', '--repo', repo, '--out', path.join(scratch, 'endless-build/out'), '--previous-manifest', url, '--no-cache']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`waymark: previous manifest \`${url}\` could not be fetched: it is over the ${32 * 1024 * 1024} byte limit\n`);
      await closed;
      expect(sent.bytes).toBeLessThan(48 * 1024 * 1024);
    } finally {
      server.close();
    }
  });

  it('a body that trickles ends in one clear error at the deadline', async () => {
    let timer: NodeJS.Timeout | undefined;
    const { url, server } = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"urls": [');
      timer = setInterval(() => res.write(' '), 50);
    });
    try {
      const error = await loadPreviousManifest(url, { timeoutMs: 400 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LinkContractError);
      expect((error as Error).message).toBe(`previous manifest \`${url}\` could not be fetched: no complete answer within 0.4 s`);
    } finally {
      clearInterval(timer);
      server.closeAllConnections();
      server.close();
    }
  });

  it('a declared length over the limit is refused before the body is read', async () => {
    const { url, server } = await serve((res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write('{');
    });
    try {
      await expect(loadPreviousManifest(url, { maxBytes: 1024 * 1024, timeoutMs: 10_000 })).rejects.toThrow(/over the 1048576 byte limit/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Item 16: single files opened by name that are not regular files.

function mkfifo(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
}

describe('item 16: a FIFO or a folder where a file is expected', () => {
  it.each([
    ['a FIFO', (file: string) => mkfifo(file)],
    ['a folder', (file: string) => mkdirSync(file, { recursive: true })],
  ])('a config that is %s is a config error naming it', async (kind, make) => {
    const repo = path.join(freshBase(`config-${kind.replace(' ', '-')}`), 'repo');
    write(repo, { 'docs/a.md': '# A\n' });
    make(path.join(repo, 'waymark.config.json'));
    const result = await cli(['check', '--repo', repo]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'waymark: invalid config\n  `waymark.config.json` cannot be read: it is not a regular file\n' });
  });

  it('a .gitignore that is a FIFO is skipped, and the scan finishes', async () => {
    const repo = path.join(freshBase('gitignore-fifo'), 'repo');
    write(repo, { 'docs/a.md': '# A\n\nSee `docs/missing.md`.\n' });
    mkfifo(path.join(repo, '.gitignore'));
    const { graph } = await scanRepository(repo);
    expect(diagnosticLines(graph.diagnostics)).toEqual([
      '.gitignore:1:1 unreadable-file skipped `.gitignore`: it is not a regular file',
      'docs/a.md:3:6 missing-file `docs/missing.md` does not exist',
    ]);
  });

  it('a configured previous manifest that is a FIFO stops the build with a sentence', async () => {
    const repo = path.join(freshBase('manifest-fifo'), 'repo');
    write(repo, { 'docs/a.md': '# A\n', 'waymark.config.json': JSON.stringify({ previousManifest: 'site/links.json' }) });
    mkfifo(path.join(repo, 'site/links.json'));
    const result = await cli(['build', '--repo', repo, '--out', path.join(scratch, 'manifest-fifo/out'), '--no-cache']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`waymark: previous manifest \`${path.join(realpathSync(repo), 'site/links.json')}\` could not be read: it is not a regular file\n`);
  });
});

// ---------------------------------------------------------------------------------------------
// Item 17: names that start with two dots.

describe('item 17: `..notes.md` and `..hidden/` are inside the repository', () => {
  it('inside tests compare path segments, not characters', () => {
    expect(isInside('/repo', '/repo/..notes.md')).toBe(true);
    expect(isInside('/repo', '/repo/..hidden/x.tf')).toBe(true);
    expect(isInside('/repo', '/repo/../x.md')).toBe(false);
    expect(isInside('/repo', '/repo/..')).toBe(false);
    expect(pathPrefix('/base/..repo', '/base')).toBe('..repo/');
  });

  it('a scan reads them like any file', async () => {
    const repo = path.join(freshBase('two-dots'), 'repo');
    write(repo, {
      '..notes.md': PROCESS_DOC('Dotted Notes'),
      '..hidden/deploy.tf': '# Deployment Process: Dotted Notes\n# Reference: ..notes.md\n',
      'docs/a.md': 'See `..hidden/deploy.tf:1` and [notes](../..notes.md).\n',
    });
    const { graph } = await scanRepository(repo);
    expect(diagnosticLines(graph.diagnostics).filter((line) => /unreadable-file|missing-file/.test(line))).toEqual([]);
    expect(graph.documents.map((d) => d.path)).toEqual(expect.arrayContaining(['..notes.md', 'docs/a.md']));
    expect(graph.processes.find((p) => p.name === 'Dotted Notes')?.implementedBy).toEqual(['..hidden/deploy.tf:1']);
  });
});

// ---------------------------------------------------------------------------------------------
// Item 18: a link to another file of the repository.

describe('item 18: a tracked link to a process document is an alias, read once', () => {
  it('no duplicate-id; the link is counted, not reported, and references to it resolve', async () => {
    const repo = path.join(freshBase('alias'), 'repo');
    write(repo, {
      'docs/processes/deploy.md': PROCESS_DOC('Deploy'),
      'infra/main.tf': '# Deployment Process: Deploy\n# Reference: docs/runbook.md\n',
    });
    symlinkSync('processes/deploy.md', path.join(repo, 'docs/runbook.md'));
    initWithoutCommits(repo);
    commitAll(repo, 'first');
    expect(execFileSync('git', ['ls-files', '-s', 'docs/runbook.md'], { cwd: repo, encoding: 'utf8' })).toMatch(/^120000 /);
    const { graph, quietlySkipped } = await scanRepository(repo);
    expect(diagnosticLines(graph.diagnostics)).toEqual([]);
    expect(quietlySkipped).toEqual({ binary: 0, links: 1 });
    expect(graph.processes.filter((p) => p.name === 'Deploy')).toHaveLength(1);
    const result = await cli(['check', '--repo', repo, '--no-cache']);
    expect(result.code).toBe(0);
  });
});
