import { describe, expect, it } from 'vitest';
import { applyReplacements, lineStarts } from '../src/core/fix/fix.ts';
import { unifiedDiff } from '../src/core/fix/unified-diff.ts';

describe('applyReplacements', () => {
  const text = '# Doc\n\n- **Code Reference**: `infra/lb.tf:12-48`, `infra/dns.tf:3`\nend\n';

  it('changes only the named spans', () => {
    const result = applyReplacements(text, [
      { line: 3, column: 24, oldText: 'infra/lb.tf:12-48', newText: 'infra/lb.tf:20-56' },
      { line: 3, column: 45, oldText: 'infra/dns.tf:3', newText: 'net/dns.tf:4' },
    ]);
    expect(result.text).toBe('# Doc\n\n- **Code Reference**: `infra/lb.tf:20-56`, `net/dns.tf:4`\nend\n');
    expect(result.applied).toHaveLength(2);
    expect(result.skipped).toEqual([]);
  });

  it('skips a replacement whose text is not at its position', () => {
    const result = applyReplacements(text, [{ line: 3, column: 23, oldText: 'infra/lb.tf:12-48', newText: 'x' }]);
    expect(result.text).toBe(text);
    expect(result.skipped.map((item) => item.reason)).toEqual([
      '`infra/lb.tf:12-48` is not at line 3, column 23 (the file changed since it was read)',
    ]);
  });

  it('keeps CRLF line endings and text past a lone CR', () => {
    const crlf = 'a\r\nsee `x.tf:1-2`\r\nb\rc `y.tf:5`\r\n';
    const result = applyReplacements(crlf, [
      { line: 2, column: 6, oldText: 'x.tf:1-2', newText: 'x.tf:3-4' },
      { line: 4, column: 4, oldText: 'y.tf:5', newText: 'y.tf:50' },
    ]);
    expect(result.text).toBe('a\r\nsee `x.tf:3-4`\r\nb\rc `y.tf:50`\r\n');
  });

  it('refuses spans past the line end, missing lines, overlaps and line breaks', () => {
    const result = applyReplacements('ab\ncd\n', [
      { line: 1, column: 2, oldText: 'b\nc', newText: 'x' },
      { line: 9, column: 1, oldText: 'a', newText: 'x' },
      { line: 2, column: 1, oldText: 'cd', newText: 'CD' },
      { line: 2, column: 2, oldText: 'd', newText: 'D' },
    ]);
    expect(result.text).toBe('ab\nCD\n');
    expect(result.skipped.map((item) => item.reason)).toEqual([
      'a replacement cannot span lines',
      'line 9 is not in the file',
      'it overlaps another replacement',
    ]);
  });

  it('finds line starts for every line break style', () => {
    expect(lineStarts('a\r\nb\nc\rd')).toEqual([0, 3, 5, 7]);
  });
});

describe('unifiedDiff', () => {
  const labels = { oldLabel: 'a/docs/x.md', newLabel: 'b/docs/x.md' };

  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', labels)).toBe('');
  });

  it('shows one changed line with three lines of context', () => {
    const before = ['1', '2', '3', '4', 'ref `a:1-2`', '6', '7', '8', '9'].join('\n') + '\n';
    const after = before.replace('a:1-2', 'a:3-4');
    expect(unifiedDiff(before, after, labels)).toBe(
      [
        '--- a/docs/x.md',
        '+++ b/docs/x.md',
        '@@ -2,7 +2,7 @@',
        ' 2',
        ' 3',
        ' 4',
        '-ref `a:1-2`',
        '+ref `a:3-4`',
        ' 6',
        ' 7',
        ' 8',
        '',
      ].join('\n'),
    );
  });

  it('splits distant changes into hunks and merges near ones', () => {
    const lines = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`);
    const after = [...lines];
    after[0] = 'first';
    after[2] = 'third';
    after[19] = 'last';
    const diff = unifiedDiff(`${lines.join('\n')}\n`, `${after.join('\n')}\n`, { ...labels, context: 1 });
    expect(diff.split('\n').filter((line) => line.startsWith('@@'))).toEqual(['@@ -1,4 +1,4 @@', '@@ -19,2 +19,2 @@']);
  });

  it('handles insertions into an empty file and a missing final newline', () => {
    expect(unifiedDiff('', 'x\n', labels)).toBe('--- a/docs/x.md\n+++ b/docs/x.md\n@@ -0,0 +1 @@\n+x\n');
    expect(unifiedDiff('a\nb', 'a\nc', labels)).toBe(
      '--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
    );
  });

  it('finds a shortest script around inserted and deleted lines', () => {
    const diff = unifiedDiff('a\nb\nc\nd\n', 'a\nx\nc\nd\ne\n', { ...labels, context: 0 });
    expect(diff).toBe('--- a/docs/x.md\n+++ b/docs/x.md\n@@ -2 +2 @@\n-b\n+x\n@@ -4,0 +5 @@\n+e\n');
  });

  it('shows edits, not line endings, in CRLF and lone-CR files', () => {
    expect(unifiedDiff('a\r\nb\r\n', 'a\nb\n', labels)).toBe('');
    expect(unifiedDiff('a\r\nb\rc\r\n', 'a\r\nB\rc\r\n', labels)).toBe('--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });
});
