/**
 * `splitByHeader` (git-history.ts) cuts `diff-tree --stdin` output at each
 * `<base tree> <head tree>` line by searching for the head tree: it must cut
 * exactly where the regular expression it replaced did (a whole line of 40-64
 * hex digits after a newline, a NUL or the start, then the head tree).
 */
import { describe, expect, it } from 'vitest';
import { splitByHeader } from '../src/node/git-history.ts';

/** The former implementation, kept as the specification. */
function byRegExp(text: string, trees: Set<string>, headTree: string): Map<string, string> {
  const parts = new Map<string, string>();
  const header = new RegExp(`(?<=^|[\\n\\0])([0-9a-f]{40,64}) ${headTree}\\n`, 'g');
  const marks: Array<{ tree: string; from: number; headerAt: number }> = [];
  for (const match of text.matchAll(header)) {
    if (!trees.has(match[1])) continue;
    marks.push({ tree: match[1], from: match.index + match[0].length, headerAt: match.index });
  }
  marks.forEach((mark, index) => parts.set(mark.tree, text.slice(mark.from, index + 1 < marks.length ? marks[index + 1].headerAt : text.length)));
  return parts;
}

const id = (seed: string, length = 40) => seed.repeat(length).slice(0, length);
const head = id('e');
const [a, b, c, long] = [id('a'), id('b1'), id('c2', 64), id('d', 65)];
const patch = (name: string) => `diff --git a/${name} b/${name}\nindex 1234567..89abcde 100644\n--- a/${name}\n+++ b/${name}\n@@ -1 +1 @@\n-old\n+new\n`;

const cases: Array<[string, string]> = [
  ['one base at the start', `${a} ${head}\n${patch('src/a.ts')}`],
  ['several bases, one not asked for', `${a} ${head}\n${patch('x.ts')}${b} ${head}\n${patch('y.ts')}${id('f')} ${head}\n${patch('z.ts')}`],
  ['a 64-digit tree id', `${c} ${head}\n${patch('x.ts')}`],
  ['65 hex digits are not a header', `${a} ${head}\n${patch('x.ts')}${long} ${head}\n${patch('y.ts')}`],
  ['39 hex digits are not a header', `${a} ${head}\n${id('b', 39)} ${head}\n${patch('y.ts')}`],
  ['NUL-separated name-status output', `${a} ${head}\nR090\0old.ts\0new.ts\0${b} ${head}\nR100\0p.ts\0q.ts\0`],
  ['the head tree inside a line is not a header', `${a} ${head}\n+const x = "zz${b} ${head}\n"\n+${b} ${head}\n${b} ${head}\n${patch('y.ts')}`],
  ['upper-case hex is not a tree id', `${a} ${head}\n${id('B')} ${head}\n${patch('y.ts')}`],
  ['no header at all', patch('x.ts')],
  ['an empty text', ''],
  ['the head tree after a space only', ` ${head}\n${a} ${head}\n`],
];

describe('splitByHeader', () => {
  it.each(cases)('%s: cuts where the regular expression did', (_name, text) => {
    const trees = new Set([a, b, c, long, id('b', 39), id('B')]);
    expect(splitByHeader(text, trees, head)).toEqual(byRegExp(text, trees, head));
  });

  it('gives each asked base its own part', () => {
    const text = `${a} ${head}\n${patch('x.ts')}${b} ${head}\n${patch('y.ts')}`;
    const parts = splitByHeader(text, new Set([a, b]), head);
    expect([...parts.keys()]).toEqual([a, b]);
    expect(parts.get(a)).toBe(patch('x.ts'));
    expect(parts.get(b)).toBe(patch('y.ts'));
  });
});
