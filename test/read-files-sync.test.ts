/**
 * The synchronous reader the scan uses says exactly what the promise-based
 * one says, file by file, on every kind of awkward file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRepositoryFile, readRepositoryFileSync } from '../src/node/read-files.ts';

const scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'waymark-read-sync-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('readRepositoryFileSync', () => {
  it('agrees with readRepositoryFile, and stamps what it read', async () => {
    const root = path.join(scratch, 'repo');
    const outside = path.join(scratch, 'outside');
    mkdirSync(path.join(root, 'dir/sub'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.md'), 'secret\n');
    const files: Record<string, string | Buffer> = {
      'plain.md': '# Plain\n',
      'bom.md': '\ufeff# With BOM\n',
      'dir/sub/deep.sh': 'echo deep\n',
      'binary.dat': Buffer.from([1, 0, 2]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      'big.txt': 'x'.repeat(2048),
    };
    for (const [file, content] of Object.entries(files)) writeFileSync(path.join(root, file), content);
    symlinkSync('plain.md', path.join(root, 'link-inside.md'));
    symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'link-outside.md'));
    symlinkSync(outside, path.join(root, 'dir-outside'));
    symlinkSync('missing.md', path.join(root, 'broken.md'));
    symlinkSync('loop-b', path.join(root, 'loop-a'));
    symlinkSync('loop-a', path.join(root, 'loop-b'));
    const names = [
      ...Object.keys(files),
      'link-inside.md',
      'link-outside.md',
      'dir-outside/secret.md',
      'broken.md',
      'loop-a',
      'dir',
      'gone.md',
      '../outside/secret.md',
    ];
    try {
      execFileSync('mkfifo', [path.join(root, 'pipe')]);
      names.push('pipe');
    } catch {
      // No mkfifo here: the FIFO case is skipped.
    }
    const realDirs = new Map();
    for (const name of names) {
      const expected = await readRepositoryFile(root, name, 1024);
      const { stamp, ...actual } = readRepositoryFileSync(root, name, 1024, realDirs);
      expect(actual, name).toEqual(expected);
      if ('text' in actual) expect(stamp?.size, name).toBeGreaterThan(0);
    }
  });
});
