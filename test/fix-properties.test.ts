/**
 * Property test of `waymark fix` on generated histories (issue 12, "Git-based
 * warnings"): a code file of distinct lines, a document citing a range of it
 * (sometimes already past the end), then random commits that insert, delete
 * and replace blocks, and sometimes an uncommitted edit. Whatever fix writes,
 * the new range must frame the same code: its first and last lines are the
 * lines the reference named when it was written (and for a clean move every
 * line is). A reference whose lines cannot be traced so is never changed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import './fast-check-seed.ts';
import { fixRepository } from '../src/node/fix-files.ts';
import { code, removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

const LINES = 30;
/** One edit: at line `at`, remove `remove` lines and insert `insert` new ones. */
const edit = fc.record({ at: fc.integer({ min: 1, max: LINES + 4 }), remove: fc.nat(4), insert: fc.nat(4) });
const history = fc.record({
  start: fc.integer({ min: 1, max: LINES + 2 }),
  length: fc.nat(8),
  commits: fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  uncommitted: fc.option(edit, { nil: undefined }),
});

let fresh = 0;
/** Apply edits to the lines (positions in the current text, clamped), new lines unique. */
function applyEdits(lines: string[], edits: Array<{ at: number; remove: number; insert: number }>): string[] {
  const out = [...lines];
  for (const { at, remove, insert } of edits) {
    const index = Math.min(at - 1, out.length);
    out.splice(index, remove, ...Array.from({ length: insert }, () => `new ${fresh++}`));
  }
  return out;
}

const text = (lines: string[]) => lines.map((line) => `${line}\n`).join('');

describe('waymark fix on generated histories (property)', () => {
  it('never rewrites a reference to lines it cannot trace exactly', async () => {
    let rewritten = 0;
    await fc.assert(
      fc.asyncProperty(history, async ({ start, length, commits, uncommitted }) => {
        const end = start + length;
        const repo = new Repo();
        const original = code(LINES).trimEnd().split('\n');
        repo.write('src/app.ts', text(original));
        repo.commit('2026-01-01', 'Code');
        repo.write('docs/app.md', `# App\n\nThe handler is \`src/app.ts:${start}-${end}\`.\n`);
        repo.commit('2026-01-02', 'Document');
        let lines = original;
        commits.forEach((edits, index) => {
          lines = applyEdits(lines, edits);
          repo.write('src/app.ts', text(lines));
          repo.commit(`2026-01-${String(index + 3).padStart(2, '0')}`, `Change ${index + 1}`);
        });
        if (uncommitted) {
          lines = applyEdits(lines, [uncommitted]);
          repo.write('src/app.ts', text(lines));
        }
        await fixRepository(repo.dir);
        const written = /`src\/app\.ts:(\d+)-(\d+)`/.exec(repo.read('docs/app.md'));
        expect(written).not.toBeNull();
        const [newStart, newEnd] = [Number(written![1]), Number(written![2])];
        if (newStart === start && newEnd === end) return;
        rewritten++;
        // Changed: the reference was inside the file when written, and the new range frames the same lines.
        expect(end).toBeLessThanOrEqual(LINES);
        expect(lines[newStart - 1]).toBe(original[start - 1]);
        expect(lines[newEnd - 1]).toBe(original[end - 1]);
        const now = lines.slice(newStart - 1, newEnd);
        const then = original.slice(start - 1, end);
        // Every line of the old range that is still in the file is inside the new range, in order.
        const kept = then.filter((line) => lines.includes(line));
        expect(now.filter((line) => then.includes(line))).toEqual(kept);
      }),
      { numRuns: 10 },
    );
    // Not vacuous: some generated histories moved the lines and fix followed them.
    expect(rewritten).toBeGreaterThan(0);
  }, 240_000);
});
