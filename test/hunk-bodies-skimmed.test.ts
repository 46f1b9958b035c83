/**
 * The base diffs (`git diff-tree --stdin -p -U0`) are read without their hunk
 * bodies (`skimHunkBodies`, then `parseDiffSections` with `bodiesSkipped`):
 * the sections, files and hunks must be those the whole text gives, on real
 * git output with bodies that look like headers, renames, deletions, binary
 * files, missing final newlines and bytes that are not UTF-8.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDiffSections, skimHunkBodies } from '../src/core/history/line-map.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-skim-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const git = (repo: string, args: string[], input?: string): Buffer =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: repo, input, maxBuffer: 1 << 28 });

/** Lines a body may hold that a careless reader would take for headers. */
const TRICKY = [
  'diff --git a/x b/x',
  '@@ -1,2 +1,2 @@',
  '--- a/x',
  '+++ b/x',
  'rename from x',
  '\\ No newline at end of file',
  '0123456789abcdef0123456789abcdef01234567 0123456789abcdef0123456789abcdef01234567',
  '',
  'Binary files a/x and b/x differ',
];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function lines(next: () => number, count: number): string[] {
  return Array.from({ length: count }, () => (next() < 0.3 ? TRICKY[Math.floor(next() * TRICKY.length)] : `line ${Math.floor(next() * 50)}`));
}

/** A repository whose commits edit, rename, delete and add files at random; its commits' trees, oldest first. */
function randomHistory(seed: number): { repo: string; trees: string[] } {
  const next = random(seed);
  const repo = path.join(scratch, `repo-${seed}`);
  mkdirSync(repo, { recursive: true });
  git(repo, ['init', '-q']);
  const files = new Map<string, string[]>();
  const trees: string[] = [];
  for (let commit = 0; commit < 12; commit++) {
    for (let edit = 0; edit < 4; edit++) {
      const names = [...files.keys()];
      const pick = names[Math.floor(next() * names.length)];
      const roll = next();
      if (!pick || roll < 0.25) {
        const name = `dir${Math.floor(next() * 3)}/file-${commit}-${edit}.txt`;
        files.set(name, lines(next, 5 + Math.floor(next() * 40)));
      } else if (roll < 0.35) {
        const to = `moved/${path.basename(pick)}`;
        if (!files.has(to)) {
          files.set(to, files.get(pick)!);
          files.delete(pick);
        }
      } else if (roll < 0.42) {
        files.delete(pick);
      } else {
        const text = [...files.get(pick)!];
        for (let change = 0; change < 1 + next() * 5; change++) {
          const at = Math.floor(next() * (text.length + 1));
          text.splice(at, Math.floor(next() * 4), ...lines(next, Math.floor(next() * 4)));
        }
        files.set(pick, text);
      }
    }
    for (const folder of readdirSync(repo)) if (folder !== '.git') rmSync(path.join(repo, folder), { recursive: true });
    for (const [name, text] of files) {
      mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
      // Some files end without a newline; one holds bytes that are not UTF-8.
      const body = text.join('\n') + (name.length % 2 === 0 ? '\n' : '');
      writeFileSync(path.join(repo, name), name.includes('-1-') ? Buffer.concat([Buffer.from(body), Buffer.from([0xe2, 0x82, 0x0a, 0xff, 0x0a])]) : body);
    }
    writeFileSync(path.join(repo, 'image.bin'), Buffer.from([0, 1, 2, commit]));
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '--allow-empty', '-m', `c${commit}`]);
    trees.push(git(repo, ['rev-parse', 'HEAD^{tree}']).toString().trim());
  }
  return { repo, trees };
}

function baseDiffs(repo: string, trees: string[], unified: number): Buffer {
  const head = trees[trees.length - 1];
  const input = trees.slice(0, -1).map((tree) => `${tree} ${head}\n`).join('');
  return git(repo, ['diff-tree', '--stdin', '-r', '-M', '-p', `--unified=${unified}`, '--no-color', '--src-prefix=a/', '--dst-prefix=b/'], input);
}

describe('hunk bodies skimmed from --unified=0 output', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`give the sections, files and hunks the whole text gives (random history ${seed})`, () => {
      const { repo, trees } = randomHistory(seed);
      const bytes = baseDiffs(repo, trees, 0);
      const skimmed = skimHunkBodies(bytes);
      expect(skimmed).toBeDefined();
      // Most of the text is left out, so the shortcut is taken, not the whole text read again.
      expect(skimmed!.length).toBeLessThan(bytes.length / 2);
      const whole = parseDiffSections(bytes.toString('utf8'));
      expect(whole.flatMap((section) => section.files).some((file) => file.hunks.length > 0)).toBe(true);
      expect(parseDiffSections(skimmed!, undefined, true)).toEqual(whole);
    });
  }

  it('give up on bodies that are not the plain shape (context lines, output cut short)', () => {
    const { repo, trees } = randomHistory(5);
    expect(skimHunkBodies(baseDiffs(repo, trees, 3))).toBeUndefined();
    const bytes = baseDiffs(repo, trees, 0);
    // Cut after the last hunk's header line: its body is missing.
    const cut = bytes.subarray(0, bytes.indexOf(10, bytes.lastIndexOf(Buffer.from('\n@@ ')) + 1) + 1);
    expect(skimHunkBodies(cut)).toBeUndefined();
  });
});
