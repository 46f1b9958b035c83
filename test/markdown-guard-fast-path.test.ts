/**
 * The guard's one-pass shortcut: a document with no line near a line limit
 * and less markup in all than one block may hold comes back untouched without
 * the line walk. These are the shapes where the shortcut must step aside
 * (markup spread over many blocks, one bad line deep in an ordinary document,
 * CR and CRLF line ends) and the near misses it must let through.
 */
import { describe, expect, it } from 'vitest';
import { guardMarkdown, MAX_CELLS, MAX_MARKERS, MAX_MARKUP } from '../src/core/extract/markdown-guard.ts';

/** An ordinary paragraph with `count` markup characters (`code` spans). */
const paragraph = (count: number) => `Text ${'`x` '.repeat(count / 2)}end.`;

describe('guardMarkdown shortcut', () => {
  it('leaves a document alone whose markup is over one block\'s limit only in all', () => {
    const blocks = Array.from({ length: 4 }, () => paragraph(MAX_MARKUP - 100));
    const text = `# Title\n\n${blocks.join('\n\n')}\n`;
    expect(guardMarkdown(text)).toEqual({ text, skipped: [] });
  });

  it('still blanks one block over the limit when the rest of the document is plain', () => {
    const text = `# Title\n\n${paragraph(MAX_MARKUP + 2)}\n\nAfter.\n`;
    const guarded = guardMarkdown(text);
    expect(guarded.skipped.map((block) => block.line)).toEqual([3]);
    expect(guarded.text.endsWith('\n\nAfter.\n')).toBe(true);
  });

  it('finds a line of too many markers after many ordinary lines, at its line', () => {
    const ordinary = Array.from({ length: 200 }, (_, i) => `Line ${i}.`).join('\n');
    const text = `${ordinary}\n${'> '.repeat(MAX_MARKERS + 1)}deep\nafter\n`;
    expect(guardMarkdown(text).skipped.map((block) => block.line)).toEqual([201]);
  });

  it('counts lines ended by CR and CRLF as the line walk does', () => {
    const text = `a\r\nb\rc\r\n${'|'.repeat(MAX_CELLS + 1)}\r\nd\n`;
    expect(guardMarkdown(text).skipped.map((block) => block.line)).toEqual([4]);
  });

  it('lets through lines that are long but not deep: a rule of dashes, a row of many cells under the cap', () => {
    const text = `# Title\n\n${'-'.repeat(MAX_MARKERS * 3)}\n\n| ${Array.from({ length: 40 }, (_, i) => `c${i}`).join(' | ')} |\n${'. '.repeat(MAX_MARKERS + 5)}\n`;
    expect(guardMarkdown(text)).toEqual({ text, skipped: [] });
  });

  it('reports markers that open on the first line of a document', () => {
    const text = `${'- '.repeat(MAX_MARKERS + 1)}x\n`;
    expect(guardMarkdown(text).skipped.map((block) => block.line)).toEqual([1]);
  });
});
