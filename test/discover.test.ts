/**
 * Which files a scan reads, and how: git work trees and plain folders,
 * `.gitignore`, include/exclude globs, awkward names, symbolic links that lead
 * out or loop, and files that are not text. Every repository here is built in
 * a temporary folder outside any git work tree.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles, gitignoreToGlobs } from '../src/node/discover.ts';
import { decodeText, readRepositoryFiles } from '../src/node/read-files.ts';
import { scanRepository } from '../src/node/scan.ts';
import { diagnosticLines } from './helpers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-discover-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SECRET = 'AKIA-THIS-MUST-NEVER-BE-READ';

let counter = 0;
/** A fresh folder with the given files; a `Buffer` value is written as bytes. */
function folder(files: Record<string, string | Buffer>): string {
  const root = path.join(scratch, `repo-${++counter}`);
  mkdirSync(root, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

/** A file outside every repository, holding a secret. */
function outsideSecret(): { dir: string; file: string } {
  const dir = path.join(scratch, `outside-${++counter}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'credentials.md');
  writeFileSync(file, `# Credentials\n\n${SECRET}\n`);
  return { dir, file };
}

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Waymark Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

/** One process document and the code implementing it, so a scan of it is otherwise clean. */
const cleanProcess = {
  'docs/processes/deploy.md': '# Deployment Process: Deploy\n\n**Status**: validated\n**Last Validated**: 2026-01-10\n',
  'scripts/deploy.sh': '#!/bin/sh\n# Deployment Process: Deploy\n# Reference: docs/processes/deploy.md\necho deploy\n',
};

describe('discoverFiles in a git work tree', () => {
  it('lists tracked and untracked-not-ignored files, not ignored or deleted ones', async () => {
    const root = folder({
      '.gitignore': 'secrets/\n*.log\n',
      'tracked.md': 'tracked\n',
      'deleted.md': 'soon gone\n',
      'modified.md': 'v1\n',
      'untracked.md': 'new\n',
      'secrets/key.txt': 'key\n',
      'debug.log': 'log\n',
      'docs/my notes.md': 'spaces\n',
      'docs/übersicht — ünïcode.md': 'unicode\n',
      'docs/"quoted".md': 'quotes\n',
      'node_modules/pkg/index.js': 'module\n',
    });
    git(root, 'init', '-q');
    git(root, 'add', '.gitignore', 'tracked.md', 'deleted.md', 'modified.md', 'docs');
    git(root, 'commit', '-q', '-m', 'initial');
    unlinkSync(path.join(root, 'deleted.md'));
    writeFileSync(path.join(root, 'modified.md'), 'v2\n');

    const { paths, source } = await discoverFiles(root, [], []);
    expect(source).toBe('git');
    expect(paths).toEqual([
      '.gitignore',
      'docs/"quoted".md',
      'docs/my notes.md',
      'docs/übersicht — ünïcode.md',
      'modified.md',
      'tracked.md',
      'untracked.md',
    ]);
  });

  it('lists the files of a sub-folder relative to that folder', async () => {
    const root = folder({ 'platform/infra/main.tf': 'x\n', 'platform/README.md': 'x\n', 'other/file.md': 'x\n' });
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'initial');
    const { paths, source } = await discoverFiles(path.join(root, 'platform'), [], []);
    expect(source).toBe('git');
    expect(paths).toEqual(['README.md', 'infra/main.tf']);
  });

  it('walks a folder the enclosing work tree ignores instead of listing nothing', async () => {
    const root = folder({
      '.gitignore': 'downloads/\n',
      'downloads/infra/.gitignore': '*.tmp\n',
      'downloads/infra/a.tmp': 'x',
      'downloads/infra/docs/x.md': 'x\n',
    });
    git(root, 'init', '-q');
    const { paths, source } = await discoverFiles(path.join(root, 'downloads/infra'), [], []);
    expect(source).toBe('glob');
    expect(paths).toEqual(['.gitignore', 'docs/x.md']);
  });

  it('skips a tracked symbolic link to a file outside without reading it', async () => {
    const outside = outsideSecret();
    const root = folder(cleanProcess);
    symlinkSync(outside.file, path.join(root, 'docs/credentials.md'));
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'initial');
    const { graph } = await scanRepository(root);
    expect(diagnosticLines(graph.diagnostics)).toEqual([
      'docs/credentials.md:1:1 unreadable-file skipped `docs/credentials.md`: it is a symbolic link to a file outside the repository',
    ]);
    expect(JSON.stringify(graph)).not.toContain(SECRET);
  });
});

describe('discoverFiles in a plain folder', () => {
  it('honours the root .gitignore: folder patterns, anchored patterns, globs, comments', async () => {
    const root = folder({
      '.gitignore': [
        '# build output',
        'build/',
        '/dist',
        'docs/tmp',
        '*.log',
        '**/cache',
        '',
        '.env*',
        'notes-??.md',
      ].join('\n'),
      'build/app.js': 'x',
      'src/build/deep.js': 'x',
      'dist/bundle.js': 'x',
      'src/dist/kept.js': 'x',
      'docs/tmp/scratch.md': 'x',
      'other/docs/tmp/kept.md': 'x',
      'app.log': 'x',
      'logs/deep/run.log': 'x',
      'a/cache/blob': 'x',
      'cache': 'x',
      '.env.local': 'x',
      '.envrc': 'x',
      'notes-01.md': 'x',
      'notes-001.md': 'x',
      'build.md': 'x',
      'src/main.ts': 'x',
      'node_modules/pkg/index.js': 'x',
      '.git/HEAD': 'not really a repository',
    });
    const { paths, source } = await discoverFiles(root, [], []);
    expect(source).toBe('glob');
    expect(paths).toEqual(['.gitignore', 'build.md', 'notes-001.md', 'other/docs/tmp/kept.md', 'src/dist/kept.js', 'src/main.ts']);
  });

  it('turns .gitignore lines into globs the way git reads them', () => {
    expect(gitignoreToGlobs('build/\n/dist\ndocs/tmp\n*.log\n!keep.log\n# comment\n\n')).toEqual([
      '**/build/**',
      'dist/**',
      'dist',
      'docs/tmp/**',
      'docs/tmp',
      '**/*.log/**',
      '**/*.log',
    ]);
  });

  it('lists names with spaces and unicode', async () => {
    const root = folder({ 'docs/my notes.md': 'x', 'docs/日本語/手順.md': 'x', 'scripts/déployer (v2).sh': 'x' });
    expect((await discoverFiles(root, [], [])).paths).toEqual(['docs/my notes.md', 'docs/日本語/手順.md', 'scripts/déployer (v2).sh']);
  });
});

describe('include and exclude globs', () => {
  const files = {
    '.github/workflows/deploy.yml': 'x',
    'docs/processes/deploy.md': 'x',
    'docs/.drafts/idea.md': 'x',
    'infra/main.tf': 'x',
    'vendor/lib/vendored.tf': 'x',
    'README.md': 'x',
  };

  it('select files, dot-folders included: `**` means every file', async () => {
    const root = folder(files);
    expect((await discoverFiles(root, ['**'], [])).paths).toEqual(Object.keys(files).sort());
    expect((await discoverFiles(root, ['docs/**', 'infra/**'], [])).paths).toEqual([
      'docs/.drafts/idea.md',
      'docs/processes/deploy.md',
      'infra/main.tf',
    ]);
    expect((await discoverFiles(root, [], ['vendor/**', '**/*.yml'])).paths).toEqual([
      'README.md',
      'docs/.drafts/idea.md',
      'docs/processes/deploy.md',
      'infra/main.tf',
    ]);
    expect((await discoverFiles(root, ['**/*.md'], ['docs/.drafts/**'])).paths).toEqual(['README.md', 'docs/processes/deploy.md']);
  });

  it('come from waymark.config.json', async () => {
    const root = folder({
      ...cleanProcess,
      'vendor/lib/broken.sh': '# Deployment Process: Nowhere\n# Reference: docs/nothing.md\n',
      'waymark.config.json': JSON.stringify({ exclude: ['vendor/**'] }),
    });
    const { graph } = await scanRepository(root);
    expect(graph.paths).toEqual(['docs/processes/deploy.md', 'scripts/deploy.sh', 'waymark.config.json']);
    expect(graph.diagnostics).toEqual([]);
  });
});

describe('symbolic links', () => {
  it('a link to a file outside the root is skipped with an info diagnostic, its content never read', async () => {
    const outside = outsideSecret();
    const root = folder(cleanProcess);
    symlinkSync(outside.file, path.join(root, 'docs/credentials.md'));
    symlinkSync(path.relative(path.join(root, 'scripts'), outside.file), path.join(root, 'scripts/relative-link.sh'));
    const { graph } = await scanRepository(root);
    expect(diagnosticLines(graph.diagnostics)).toEqual([
      'docs/credentials.md:1:1 unreadable-file skipped `docs/credentials.md`: it is a symbolic link to a file outside the repository',
      'scripts/relative-link.sh:1:1 unreadable-file skipped `scripts/relative-link.sh`: it is a symbolic link to a file outside the repository',
    ]);
    expect(graph.diagnostics.map((diagnostic) => diagnostic.severity)).toEqual(['info', 'info']);
    expect(JSON.stringify(graph)).not.toContain(SECRET);
  });

  it('a link to a folder outside the root is not walked into', async () => {
    const outside = outsideSecret();
    const root = folder(cleanProcess);
    symlinkSync(outside.dir, path.join(root, 'docs/external'), 'dir');
    const { graph } = await scanRepository(root);
    expect(graph.paths.filter((file) => file.startsWith('docs/external/'))).toEqual([]);
    expect(diagnosticLines(graph.diagnostics)).toEqual([
      'docs/external:1:1 unreadable-file skipped `docs/external`: it is a symbolic link to a file outside the repository',
    ]);
    expect(JSON.stringify(graph)).not.toContain(SECRET);
  });

  it('a link inside the root is read like the file it points at', async () => {
    const root = folder(cleanProcess);
    symlinkSync('deploy.md', path.join(root, 'docs/processes/current.md'));
    const outcomes = await readRepositoryFiles(root, ['docs/processes/current.md'], 1024);
    expect(outcomes).toEqual([{ path: 'docs/processes/current.md', text: cleanProcess['docs/processes/deploy.md'] }]);
  });

  it('a loop of links, or a link to an ancestor folder, ends the walk and is skipped', async () => {
    const root = folder(cleanProcess);
    symlinkSync('loop-b', path.join(root, 'loop-a'));
    symlinkSync('loop-a', path.join(root, 'loop-b'));
    symlinkSync('..', path.join(root, 'docs/up'), 'dir');
    const { graph } = await scanRepository(root);
    expect(graph.paths.filter((file) => file.startsWith('docs/up/'))).toEqual([]);
    const lines = diagnosticLines(graph.diagnostics);
    expect(lines).toContain('loop-a:1:1 unreadable-file skipped `loop-a`: it is a broken or looping symbolic link');
    expect(lines).toContain('loop-b:1:1 unreadable-file skipped `loop-b`: it is a broken or looping symbolic link');
    expect(graph.diagnostics.every((diagnostic) => diagnostic.severity === 'info')).toBe(true);
  });
});

describe('files that are not text', () => {
  it('binary content, invalid UTF-8 and oversized files are skipped with a reason; binary formats by name silently', async () => {
    const root = folder({
      ...cleanProcess,
      'docs/diagram.md': Buffer.from([0x23, 0x20, 0x44, 0x00, 0x01, 0x02, 0x0a]),
      'scripts/latin1.sh': Buffer.from('# Deployment Process: Caf\xe9\n', 'latin1'),
      'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
      'logs/big.txt': 'x'.repeat(201),
      'logs/exact.txt': 'y'.repeat(200),
      'waymark.config.json': JSON.stringify({ maxFileSize: 200 }),
    });
    const { graph } = await scanRepository(root);
    expect(diagnosticLines(graph.diagnostics)).toEqual([
      'docs/diagram.md:1:1 unreadable-file skipped `docs/diagram.md`: it is binary (NUL bytes)',
      'logs/big.txt:1:1 unreadable-file skipped `logs/big.txt`: it is 201 B, over the 200 B limit',
      'scripts/latin1.sh:1:1 unreadable-file skipped `scripts/latin1.sh`: it is not valid UTF-8',
    ]);
    expect(graph.paths).toContain('assets/logo.png');
    expect(graph.paths).toContain('logs/exact.txt');
  });

  it('binary content under a name that promises no text (`.DS_Store`) is counted, not reported; under a code name it is reported', async () => {
    const root = folder({
      ...cleanProcess,
      '.DS_Store': Buffer.from([0x00, 0x00, 0x00, 0x01, 0x42, 0x75, 0x64, 0x31]),
      'docs/.DS_Store': Buffer.from([0x00, 0x00, 0x00, 0x01]),
      'scripts/setup.ps1': Buffer.from('\ufeff# Process\n', 'utf16le'),
    });
    const result = await scanRepository(root);
    expect(diagnosticLines(result.graph.diagnostics)).toEqual(['scripts/setup.ps1:1:1 unreadable-file skipped `scripts/setup.ps1`: it is binary (NUL bytes)']);
    expect(result.quietlySkipped).toEqual({ binary: 2, links: 0 });
  });

  it('a BOM is stripped, so positions and titles are those of the text', async () => {
    const root = folder({
      'docs/processes/deploy.md': '\uFEFF# Deployment Process: Deploy\n\n**Status**: validated\n**Last Validated**: 2026-01-10\n',
      'scripts/deploy.sh': '\uFEFF# Deployment Process: Deploy\n# Reference: docs/processes/deploy.md:1\n',
    });
    const { graph } = await scanRepository(root);
    expect(graph.diagnostics).toEqual([]);
    expect(graph.processes.map((process) => `${process.name} ${process.file}`)).toEqual(['Deploy docs/processes/deploy.md']);
    expect(graph.markers.map((marker) => `${marker.id}:${marker.column} ${marker.process}`)).toEqual(['scripts/deploy.sh:1:3 Deploy']);
    expect(graph.references.map((reference) => `${reference.id} ${reference.status}`)).toEqual(['scripts/deploy.sh:2:14 ok']);
  });

  it('decodeText reads UTF-8, drops one BOM, refuses NULs and invalid bytes', () => {
    expect(decodeText('a.md', new TextEncoder().encode('\uFEFFhé'))).toEqual({ path: 'a.md', text: 'hé' });
    expect(decodeText('a.md', Buffer.from([0x68, 0x00]))).toEqual({ path: 'a.md', skipped: 'it is binary (NUL bytes)' });
    expect(decodeText('a.md', Buffer.from([0x68, 0xff]))).toEqual({ path: 'a.md', skipped: 'it is not valid UTF-8' });
    expect(decodeText('a.md', Buffer.alloc(0))).toEqual({ path: 'a.md', text: '' });
  });
});
