import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitsTouching, formerNames, lineOrigin, traceFileHistory, UNCOMMITTED, type RepositoryHistory } from '../src/core/history/history.ts';
import {
  lineSimilarity,
  mapLine,
  mapRange,
  mapRangeThroughHunks,
  parseDiffSections,
  parseUnifiedDiff,
  SAME_CODE_SIMILARITY,
  unquotePath,
  type FileDiff,
} from '../src/core/history/line-map.ts';

const modified = [
  'diff --git a/infra/lb.tf b/infra/lb.tf',
  'index 45c079d..de98044 100644',
  '--- a/infra/lb.tf',
  '+++ b/infra/lb.tf',
  '@@ -2,0 +3,4 @@ resource "x" {',
  '+a',
  '+b',
  '+c',
  '+d',
  '@@ -30,2 +34 @@',
  '--- deleted SQL comment that looks like a header',
  '-y',
  '+z',
  '',
].join('\n');

describe('parseUnifiedDiff', () => {
  it('reads --unified=0 hunks, whatever the content lines look like', () => {
    expect(parseUnifiedDiff(modified)).toEqual([
      {
        oldPath: 'infra/lb.tf',
        newPath: 'infra/lb.tf',
        status: 'modified',
        hunks: [
          { oldStart: 2, oldCount: 0, newStart: 3, newCount: 4 },
          { oldStart: 30, oldCount: 2, newStart: 34, newCount: 1 },
        ],
      },
    ]);
  });

  it('reads renames, additions, deletions, binaries and quoted names', () => {
    const text = [
      'diff --git a/infra/lb.tf b/net/lb.tf',
      'similarity index 90%',
      'rename from infra/lb.tf',
      'rename to net/lb.tf',
      'index 1..2 100644',
      '--- a/infra/lb.tf',
      '+++ b/net/lb.tf',
      '@@ -1 +0,0 @@',
      '-z',
      'diff --git a/old.sh b/old.sh',
      'deleted file mode 100644',
      'index 3..0',
      '--- a/old.sh',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-a',
      '-b',
      'diff --git a/new.sh b/new.sh',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.sh',
      '@@ -0,0 +1 @@',
      '+a',
      'diff --git a/logo.png b/logo.png',
      'Binary files a/logo.png and b/logo.png differ',
      'diff --git "a/docs/caf\\303\\251 \\"x\\".md" "b/docs/caf\\303\\251 \\"x\\".md"',
      'index 4..5 100644',
      '--- "a/docs/caf\\303\\251 \\"x\\".md"',
      '+++ "b/docs/caf\\303\\251 \\"x\\".md"',
      '@@ -3 +3 @@',
      '-a',
      '+b',
      'diff --git a/with space.tf b/with space.tf',
      'old mode 100644',
      'new mode 100755',
      'diff --git a/same.tf b/moved/same.tf',
      'similarity index 100%',
      'rename from same.tf',
      'rename to moved/same.tf',
    ].join('\n');
    expect(parseUnifiedDiff(text)).toEqual([
      { oldPath: 'infra/lb.tf', newPath: 'net/lb.tf', status: 'renamed', hunks: [{ oldStart: 1, oldCount: 1, newStart: 0, newCount: 0 }] },
      { oldPath: 'old.sh', newPath: undefined, status: 'deleted', hunks: [{ oldStart: 1, oldCount: 2, newStart: 0, newCount: 0 }] },
      { oldPath: undefined, newPath: 'new.sh', status: 'added', hunks: [{ oldStart: 0, oldCount: 0, newStart: 1, newCount: 1 }] },
      { oldPath: 'logo.png', newPath: 'logo.png', status: 'modified', binary: true, hunks: [] },
      { oldPath: 'docs/café "x".md', newPath: 'docs/café "x".md', status: 'modified', hunks: [{ oldStart: 3, oldCount: 1, newStart: 3, newCount: 1 }] },
      { oldPath: 'with space.tf', newPath: 'with space.tf', status: 'modified', hunks: [] },
      { oldPath: 'same.tf', newPath: 'moved/same.tf', status: 'renamed', hunks: [] },
    ]);
  });

  it('splits hunks with context lines into the same blocks as --unified=0', () => {
    const text = [
      'diff --git a/a.tf b/a.tf',
      '--- a/a.tf',
      '+++ b/a.tf',
      '@@ -1,8 +1,9 @@',
      ' one',
      '+new',
      ' two',
      ' three',
      '-four',
      '+FOUR',
      ' five',
      ' six',
      '-seven',
      ' eight',
      '@@ -20,3 +21,4 @@',
      ' x',
      ' y',
      '+tail',
      ' z',
    ].join('\n');
    expect(parseUnifiedDiff(text)[0].hunks).toEqual([
      { oldStart: 1, oldCount: 0, newStart: 2, newCount: 1 },
      { oldStart: 4, oldCount: 1, newStart: 5, newCount: 1 },
      { oldStart: 7, oldCount: 1, newStart: 7, newCount: 0 },
      { oldStart: 21, oldCount: 0, newStart: 23, newCount: 1 },
    ]);
  });

  it('groups git diff-tree --stdin output by its tree headers', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const c = 'c'.repeat(40);
    const text = [`${a} ${c}`, 'diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1 +1 @@', '-1', '+2', `${b} ${c}`, ''].join('\n');
    const sections = parseDiffSections(text);
    expect(sections.map((section) => [section.header, section.files.length])).toEqual([
      [`${a} ${c}`, 1],
      [`${b} ${c}`, 0],
    ]);
  });

  it('unquotes C-style names and leaves bare names alone', () => {
    expect(unquotePath('"tab\\there\\\\"')).toBe('tab\there\\');
    expect(unquotePath('plain name.tf')).toBe('plain name.tf');
    expect(unquotePath('plain.tf\t')).toBe('plain.tf');
  });
});

describe('mapLine', () => {
  const hunks = [
    { oldStart: 2, oldCount: 0, newStart: 3, newCount: 4 },
    { oldStart: 30, oldCount: 2, newStart: 34, newCount: 1 },
  ];

  it('shifts lines after insertions and removals', () => {
    expect(mapLine(1, hunks)).toEqual({ line: 1 });
    expect(mapLine(2, hunks)).toEqual({ line: 2 });
    expect(mapLine(3, hunks)).toEqual({ line: 7 });
    expect(mapLine(29, hunks)).toEqual({ line: 33 });
    expect(mapLine(32, hunks)).toEqual({ line: 35 });
  });

  it('names the hunk that removed a line', () => {
    expect(mapLine(31, hunks)).toEqual({ line: 35, removedBy: hunks[1] });
  });
});

describe('mapRangeThroughHunks', () => {
  it('moves a range when only lines above it changed', () => {
    expect(mapRangeThroughHunks(12, 48, [{ oldStart: 3, oldCount: 0, newStart: 4, newCount: 8 }])).toEqual({
      start: 20,
      end: 56,
      touched: false,
      deleted: false,
      kept: true,
    });
  });

  it('ignores changes right after the range and insertions right before it', () => {
    const hunks = [
      { oldStart: 11, oldCount: 0, newStart: 12, newCount: 2 },
      { oldStart: 49, oldCount: 3, newStart: 51, newCount: 0 },
    ];
    expect(mapRangeThroughHunks(12, 48, hunks)).toEqual({ start: 14, end: 50, touched: false, deleted: false, kept: true });
  });

  it('sees an insertion between the first and last line as a rewrite', () => {
    const step = mapRangeThroughHunks(12, 48, [{ oldStart: 20, oldCount: 0, newStart: 21, newCount: 2 }]);
    expect(step).toEqual({ start: 12, end: 50, touched: true, deleted: false, kept: true });
  });

  it('tells deleted lines from replaced ones', () => {
    expect(mapRangeThroughHunks(12, 14, [{ oldStart: 10, oldCount: 10, newStart: 9, newCount: 0 }]).deleted).toBe(true);
    expect(mapRangeThroughHunks(12, 14, [{ oldStart: 10, oldCount: 10, newStart: 10, newCount: 1 }]).deleted).toBe(false);
    expect(mapRangeThroughHunks(12, 14, [{ oldStart: 12, oldCount: 1, newStart: 11, newCount: 0 }])).toEqual({
      start: 12,
      end: 13,
      touched: true,
      deleted: false,
      kept: false,
    });
  });
});

describe('mapRange', () => {
  const inserted: FileDiff[] = [
    { oldPath: 'infra/lb.tf', newPath: 'infra/lb.tf', status: 'modified', hunks: [{ oldStart: 3, oldCount: 0, newStart: 4, newCount: 8 }] },
  ];
  const renamed: FileDiff[] = [
    { oldPath: 'infra/lb.tf', newPath: 'net/lb.tf', status: 'renamed', hunks: [{ oldStart: 1, oldCount: 1, newStart: 0, newCount: 0 }] },
  ];

  it('reports unchanged, moved and renamed ranges', () => {
    expect(mapRange('infra/lb.tf', 12, 48, [])).toEqual({ kind: 'unchanged' });
    expect(mapRange('other.tf', 12, 48, [inserted])).toEqual({ kind: 'unchanged' });
    expect(mapRange('infra/lb.tf', 12, 48, [inserted])).toEqual({ kind: 'moved', path: 'infra/lb.tf', start: 20, end: 56 });
    expect(mapRange('infra/lb.tf', 12, 48, [inserted, renamed])).toEqual({ kind: 'renamed', path: 'net/lb.tf', start: 19, end: 55 });
  });

  it('follows a chain of renames', () => {
    const again: FileDiff[] = [{ oldPath: 'net/lb.tf', newPath: 'lb/main.tf', status: 'renamed', hunks: [] }];
    expect(mapRange('infra/lb.tf', 2, 3, [renamed, again])).toEqual({ kind: 'renamed', path: 'lb/main.tf', start: 1, end: 2 });
  });

  it('reports deleted files and lines, and rewritten ranges with where they are now', () => {
    const gone: FileDiff[] = [{ oldPath: 'infra/lb.tf', status: 'deleted', hunks: [] }];
    expect(mapRange('infra/lb.tf', 1, 2, [gone])).toEqual({ kind: 'deleted', path: 'infra/lb.tf', file: true });
    const cut: FileDiff[] = [
      { oldPath: 'infra/lb.tf', newPath: 'infra/lb.tf', status: 'modified', hunks: [{ oldStart: 12, oldCount: 37, newStart: 11, newCount: 0 }] },
    ];
    expect(mapRange('infra/lb.tf', 12, 48, [cut])).toEqual({ kind: 'deleted', path: 'infra/lb.tf', file: false });
    const edited: FileDiff[] = [
      {
        oldPath: 'infra/lb.tf',
        newPath: 'infra/lb.tf',
        status: 'modified',
        hunks: [
          { oldStart: 1, oldCount: 0, newStart: 2, newCount: 1 },
          { oldStart: 20, oldCount: 1, newStart: 21, newCount: 1 },
        ],
      },
    ];
    expect(mapRange('infra/lb.tf', 12, 48, [edited])).toEqual({ kind: 'rewritten', path: 'infra/lb.tf', start: 13, end: 49, exact: true, similarity: 72 / 74 });
    const clipped: FileDiff[] = [
      { oldPath: 'infra/lb.tf', newPath: 'infra/lb.tf', status: 'modified', hunks: [{ oldStart: 48, oldCount: 2, newStart: 48, newCount: 1 }] },
    ];
    expect(mapRange('infra/lb.tf', 12, 48, [clipped])).toEqual({ kind: 'rewritten', path: 'infra/lb.tf', start: 12, end: 48, exact: false, similarity: 72 / 74 });
  });

  it('measures how much of a rewritten range is the same code, and guesses only past the threshold', () => {
    const step = (hunks: FileDiff['hunks']): FileDiff[] => [{ oldPath: 'a.ts', newPath: 'a.ts', status: 'modified', hunks }];
    // 10 lines, the first 3 rewritten (3 for 3): 7 untouched of 10 and 10 → 0.7, the same code.
    const mostlyKept = mapRange('a.ts', 1, 10, [step([{ oldStart: 1, oldCount: 3, newStart: 1, newCount: 3 }])]);
    expect(mostlyKept).toMatchObject({ kind: 'rewritten', exact: false, similarity: 0.7 });
    expect((mostlyKept as { similarity: number }).similarity).toBeGreaterThanOrEqual(SAME_CODE_SIMILARITY);
    // Near miss: the same range with 8 lines replaced by 12: 2 untouched of 10 and 14 → 1/6, not the same code.
    const replaced = mapRange('a.ts', 1, 10, [step([{ oldStart: 1, oldCount: 8, newStart: 1, newCount: 12 }])]);
    expect(replaced).toMatchObject({ kind: 'rewritten', exact: false, start: 1, end: 14 });
    expect((replaced as { similarity: number }).similarity).toBeCloseTo(4 / 24);
    expect((replaced as { similarity: number }).similarity).toBeLessThan(SAME_CODE_SIMILARITY);
    // Lines removed by one step and added back by a later one are not the same lines.
    const churn = mapRange('a.ts', 1, 4, [step([{ oldStart: 1, oldCount: 4, newStart: 1, newCount: 4 }]), step([{ oldStart: 1, oldCount: 1, newStart: 1, newCount: 1 }])]);
    expect(churn).toMatchObject({ kind: 'rewritten', similarity: 0 });
    expect(lineSimilarity(0, 0, 0)).toBe(0);
    expect(lineSimilarity(5, 5, 5)).toBe(1);
  });

  it('moves a range exactly as the lines move (property)', () => {
    // Random insertions/removals outside a range: the text at the mapped range is the original text.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(60), fc.nat(4), fc.nat(4)), { maxLength: 6 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 5 }),
        (edits, start, length) => {
          const original = Array.from({ length: 70 }, (_, index) => `line ${index + 1}`);
          const end = Math.min(start + length, original.length);
          const { text, hunks } = applyEdits(original, edits);
          const mapped = mapRangeThroughHunks(start, end, hunks);
          if (mapped.touched) return;
          expect(text.slice(mapped.start - 1, mapped.end)).toEqual(original.slice(start - 1, end));
        },
      ),
    );
  });
});

/** Apply non-overlapping edits (at, remove, add) to lines and return the --unified=0 hunks git would print. */
function applyEdits(lines: string[], edits: Array<[number, number, number]>) {
  const sorted = [...edits].sort((a, b) => a[0] - b[0]);
  const text: string[] = [];
  const hunks = [];
  let oldLine = 1;
  let added = 0;
  for (const [at, remove, add] of sorted) {
    const from = Math.max(at, oldLine);
    if (from > lines.length || (remove === 0 && add === 0)) continue;
    const removeCount = Math.min(remove, lines.length - from + 1);
    while (oldLine < from) text.push(lines[oldLine++ - 1]);
    const newStart = text.length + 1;
    for (let i = 0; i < add; i++) text.push(`new ${added++}`);
    oldLine += removeCount;
    hunks.push({
      oldStart: removeCount > 0 ? from : from - 1,
      oldCount: removeCount,
      newStart: add > 0 ? newStart : newStart - 1,
      newCount: add,
    });
  }
  while (oldLine <= lines.length) text.push(lines[oldLine++ - 1]);
  return { text, hunks };
}

describe('walking a file history back (git log -L, blame)', () => {
  const hash = (n: number) => String(n).repeat(40);
  // Commit 1 creates 10 lines; 2 inserts 3 lines after line 2; 3 edits line 8 (old 5); work tree edits line 1.
  const create: FileDiff = { newPath: 'a.tf', status: 'added', hunks: [{ oldStart: 0, oldCount: 0, newStart: 1, newCount: 10 }] };
  const insert: FileDiff = { oldPath: 'a.tf', newPath: 'a.tf', status: 'modified', hunks: [{ oldStart: 2, oldCount: 0, newStart: 3, newCount: 3 }] };
  const edit: FileDiff = { oldPath: 'old/a.tf', newPath: 'a.tf', status: 'renamed', hunks: [{ oldStart: 8, oldCount: 1, newStart: 8, newCount: 1 }] };
  const worktree: FileDiff[] = [{ oldPath: 'a.tf', newPath: 'a.tf', status: 'modified', hunks: [{ oldStart: 1, oldCount: 1, newStart: 1, newCount: 1 }] }];
  const renamedCreate: FileDiff = { ...create, newPath: 'old/a.tf' };
  const renamedInsert: FileDiff = { ...insert, oldPath: 'old/a.tf', newPath: 'old/a.tf' };
  const commits = [
    { hash: hash(3), files: [edit] },
    { hash: hash(2), files: [renamedInsert] },
    { hash: hash(1), files: [renamedCreate] },
  ];
  const traced = traceFileHistory('a.tf', worktree, commits);
  const history: RepositoryHistory = {
    head: hash(3),
    shallow: false,
    commits: {},
    files: { 'a.tf': traced },
    fileCommits: {},
    bases: {},
    worktree,
    dirty: ['a.tf'],
  };

  it('follows renames back to the creating commit', () => {
    expect(traced.patches.map((patch) => [patch.commit.slice(0, 1), patch.created ?? false])).toEqual([
      ['0', false],
      ['3', false],
      ['2', false],
      ['1', true],
    ]);
    expect(formerNames('a.tf', [{ from: 'old/a.tf', to: 'a.tf' }, { from: 'x.tf', to: 'y.tf' }, { from: 'older.tf', to: 'old/a.tf' }])).toEqual([
      'a.tf',
      'old/a.tf',
      'older.tf',
    ]);
  });

  it('names every commit that changed a range, newest first', () => {
    expect(commitsTouching(history, 'a.tf', 8, 9)).toEqual([hash(3), hash(1)]);
    expect(commitsTouching(history, 'a.tf', 1, 2)).toEqual([UNCOMMITTED, hash(1)]);
    expect(commitsTouching(history, 'a.tf', 3, 5)).toEqual([hash(2)]);
    expect(commitsTouching(history, 'a.tf', 2, 3)).toEqual([hash(2), hash(1)]);
    expect(commitsTouching(history, 'b.tf', 1, 1)).toBeUndefined();
  });

  it('finds the commit that wrote a line', () => {
    expect(lineOrigin(history, 'a.tf', 1)).toBe(UNCOMMITTED);
    expect(lineOrigin(history, 'a.tf', 4)).toBe(hash(2));
    expect(lineOrigin(history, 'a.tf', 8)).toBe(hash(3));
    expect(lineOrigin(history, 'a.tf', 9)).toBe(hash(1));
  });
});
