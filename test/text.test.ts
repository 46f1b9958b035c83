/**
 * The shared text helpers in `src/core/text/` that replaced per-module
 * copies: edit distance, string order, line counting, and the node-side
 * "is this path inside the root" check.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import './fast-check-seed.ts';
import { splitLines } from '../src/core/extract/comments.ts';
import { compareText } from '../src/core/text/compare.ts';
import { countLines } from '../src/core/text/count-lines.ts';
import { editDistanceWithin } from '../src/core/text/edit-distance.ts';
import { isInside } from '../src/node/read-files.ts';

/** Full-matrix Levenshtein, the textbook definition the banded version must agree with. */
function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length];
}

describe('editDistanceWithin', () => {
  it('is the Levenshtein distance when within max, else max + 1', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '.'), maxLength: 14 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        expect(editDistanceWithin(a, b, max)).toBe(Math.min(levenshtein(a, b), max + 1));
      }),
    );
  });

  it('handles names longer than any earlier call (the rows grow)', () => {
    const long = 'x'.repeat(600);
    expect(editDistanceWithin(long, `${long}y`, 2)).toBe(1);
    expect(editDistanceWithin(`a${long}`, `b${long}`, 1)).toBe(1);
    expect(editDistanceWithin('deploy', 'rollback', 2)).toBe(3);
  });
});

describe('compareText', () => {
  it('orders by code unit, not by locale', () => {
    expect(['b', 'a', 'B', 'é', 'Z'].sort(compareText)).toEqual(['B', 'Z', 'a', 'b', 'é']);
    expect(compareText('x', 'x')).toBe(0);
  });
});

describe('countLines', () => {
  it('agrees with splitLines, less a final empty line', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r') }), (text) => {
        const lines = splitLines(text);
        const expected = text === '' ? 0 : lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
        expect(countLines(text)).toBe(expected);
      }),
    );
  });

  it('counts CRLF once and a lone CR as a line end', () => {
    expect(countLines('a\r\nb\rc')).toBe(3);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('')).toBe(0);
  });
});

describe('isInside', () => {
  const root = path.resolve('/repo');
  it.each([
    ['/repo', true],
    ['/repo/docs/a.md', true],
    ['/repo/..notes', true],
    ['/repo/../etc/passwd', false],
    ['/etc/passwd', false],
    ['/repository', false],
    ['/', false],
  ])('%s → %s', (target, inside) => {
    expect(isInside(root, path.resolve(target))).toBe(inside);
  });
});
