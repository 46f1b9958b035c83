/**
 * The guard's shortcut counts markup per run of non-blank lines, since a
 * blank line always ends the guard's block: a document with much markup in
 * all, spread over paragraphs, is let through without the line walk. The
 * shortcut must agree with the walk everywhere; the walk itself is what a
 * text with a `\r` gets (the shortcut steps aside), so a trailing `\r` (an
 * empty last line, never part of a block) gives the walk's answer to compare.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardMarkdown, MAX_CELLS, MAX_MARKERS, MAX_MARKUP } from '../src/core/extract/markdown-guard.ts';

/** The line walk's answer for `text`, with the added line break taken off again. */
function walked(text: string): ReturnType<typeof guardMarkdown> {
  const guarded = guardMarkdown(`${text}\r`);
  return { text: guarded.text.slice(0, -1), skipped: guarded.skipped };
}

/** A paragraph line with `count` markup characters (`code` spans). */
const markupLine = (count: number) => `Text ${'`x` '.repeat(count / 2)}end.`;

describe('guardMarkdown shortcut, markup counted per run of lines', () => {
  it('lets through paragraphs each under the limit, separated by empty or blank-looking lines', () => {
    const text = `# Title\n\n${markupLine(MAX_MARKUP - 100)}\n\n${markupLine(MAX_MARKUP - 100)}\n \t \n${markupLine(MAX_MARKUP - 100)}\n`;
    expect(guardMarkdown(text)).toEqual({ text, skipped: [] });
    expect(walked(text)).toEqual({ text, skipped: [] });
  });

  it('near miss: the same lines without a blank line between them are one block, blanked', () => {
    const text = `# Title\n\n${markupLine(MAX_MARKUP / 2 + 2)}\n${markupLine(MAX_MARKUP / 2)}\n\nAfter.\n`;
    const guarded = guardMarkdown(text);
    expect(guarded.skipped.map((block) => block.line)).toEqual([3]);
    expect(guarded).toEqual(walked(text));
  });

  it('leaves quoted paragraphs split by a bare `>` line to the walk, which lets them through', () => {
    const text = `> ${markupLine(MAX_MARKUP - 100)}\n>\n> ${markupLine(MAX_MARKUP - 100)}\n`;
    expect(guardMarkdown(text)).toEqual({ text, skipped: [] });
  });

  it('counts pipes per line across blank lines and tables', () => {
    const row = `|${' a |'.repeat(MAX_CELLS - 1)}`;
    const text = `${row}\n${row}\n\n${row}\n`;
    expect(guardMarkdown(text)).toEqual({ text, skipped: [] });
    const over = `${row}\n${row} b | c |\n`;
    expect(guardMarkdown(over).skipped.map((block) => block.line)).toEqual([2]);
  });

  it('finds a line of too many markers wherever it is, written with every kind of marker', () => {
    const kinds = ['> ', '- ', '1. ', '2) ', '* ', '+ ', '>'];
    const deep = `${Array.from({ length: MAX_MARKERS + 1 }, (_, i) => kinds[i % kinds.length]).join('')} x`;
    const text = `Intro.\n\n${'Line.\n'.repeat(50)}${deep}\nafter\n`;
    expect(guardMarkdown(text).skipped.map((block) => block.line)).toEqual([53]);
    const shallow = `Intro.\n${'> '.repeat(MAX_MARKERS)}x\n`;
    expect(guardMarkdown(shallow)).toEqual({ text: shallow, skipped: [] });
  });

  it('agrees with the line walk on generated documents', () => {
    const piece = fc.constantFrom(
      '\n',
      '\n\n',
      '\n \t\n',
      '\n>\n',
      '```\n',
      '~~~\n',
      '| a | b |\n| - | - |\n',
      'word ',
      '# Heading\n',
      '- item\n',
      '1. item\n',
      '> ',
      '*'.repeat(300),
      '_'.repeat(250),
      '[`<~]'.repeat(60),
      '|'.repeat(200),
      '> - '.repeat(20),
      '1. '.repeat(22),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(guardMarkdown(text)).toEqual(walked(text));
      }),
      { numRuns: 500 },
    );
  });
});
