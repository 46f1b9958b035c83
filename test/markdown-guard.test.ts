/**
 * The guard in front of satteri: blocks whose inline markup, and lines whose
 * marker runs or pipes, would make the parser take quadratic time are blanked
 * and reported; everything else reaches the parser untouched and at its
 * original position. Growth itself is asserted in `adversarial.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { guardMarkdown, MAX_CELLS, MAX_CHARS, MAX_MARKERS, MAX_MARKUP } from '../src/core/extract/markdown-guard.ts';
import { parseDocument } from '../src/core/extract/markdown.ts';
import { renderMarkdown } from '../src/site/markdown.ts';

const hostile = (length: number) => '*a_'.repeat(Math.ceil(length / 3)).slice(0, length);

/** Line breaks at the same offsets, same length: every position outside blanked text is unchanged. */
function expectSameShape(before: string, after: string): void {
  expect(after.length).toBe(before.length);
  for (let i = 0; i < before.length; i++) {
    if (before[i] === '\n' || before[i] === '\r') expect(after[i]).toBe(before[i]);
  }
}

describe('guardMarkdown', () => {
  it('leaves ordinary documents alone', () => {
    const text = '# Title\n\n**Status**: validated\n\nSee [the LB](infra/lb.tf) and `docs/a.md`.\n\n| a | b |\n|---|---|\n| *x* | _y_ |\n';
    expect(guardMarkdown(text)).toEqual({ text, skipped: [] });
  });

  it('blanks a paragraph with too much markup and keeps the rest in place', () => {
    const text = `# Title\n\nBefore \`infra/a.tf\`.\n\n${hostile(64 * 1024)}\nstill the same paragraph\n\nAfter \`infra/b.tf\`.\n`;
    const guarded = guardMarkdown(text);
    expect(guarded.skipped).toEqual([{ line: 5, reason: expect.stringContaining('markup characters') }]);
    expect(guarded.skipped[0].reason).toContain(`more than the ${MAX_MARKUP}`);
    expectSameShape(text, guarded.text);
    expect(guarded.text).toContain('Before `infra/a.tf`.');
    expect(guarded.text).toContain('After `infra/b.tf`.');
    expect(guarded.text).not.toContain('still the same paragraph');
  });

  it('counts each table row on its own and keeps a blanked row a row', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `| 2026-01-${String((i % 28) + 1).padStart(2, '0')} | **bold** [x](y.md) \`c\` |`);
    const text = `| Date | Change |\n|---|---|\n${rows.join('\n')}\n| 2026-02-01 | ${hostile(6000)} |\n`;
    const guarded = guardMarkdown(text);
    expect(guarded.skipped).toEqual([{ line: 403, reason: expect.stringContaining('markup characters') }]);
    expect(guarded.text.split('\n')[402]).toMatch(/^\|\s+\|\s+\|$/);
  });

  it('does not count fenced code, but does count a fence its container has closed', () => {
    const code = `\`\`\`js\n${'a[i] = b[j] * c_d;\n'.repeat(500)}\`\`\`\n`;
    expect(guardMarkdown(code).skipped).toEqual([]);
    // The blockquote ends on the unquoted line, and with it the fence: that line is a paragraph.
    expect(guardMarkdown(`> \`\`\`\n${hostile(5000)}\n`).skipped).toEqual([{ line: 2, reason: expect.stringContaining('markup characters') }]);
    // An indented fence inside a list item ends with the item.
    expect(guardMarkdown(`- item\n  \`\`\`\n${hostile(5000)}\n`).skipped).toEqual([{ line: 3, reason: expect.stringContaining('markup characters') }]);
  });

  it('counts list items apart, but never splits what CommonMark keeps in one paragraph', () => {
    const links = Array.from({ length: 800 }, (_, i) => `- [doc ${i}](docs/d${i}.md) \`x\``).join('\n');
    expect(guardMarkdown(links).skipped).toEqual([]);
    // `2.` cannot interrupt a paragraph: these lines are one paragraph, and counted as one.
    const lines = Array.from({ length: 10 }, () => `2. ${hostile(300)}`).join('\n');
    expect(guardMarkdown(`text\n${lines}\n`).skipped).toEqual([{ line: 1, reason: expect.stringContaining('markup characters') }]);
    // Rows without a delimiter row are not a table: one paragraph.
    const pipes = Array.from({ length: 10 }, () => `| ${hostile(300)} |`).join('\n');
    expect(guardMarkdown(pipes).skipped).toEqual([{ line: 1, reason: expect.stringContaining('markup characters') }]);
  });

  it('reads the markup hidden in CR and CRLF documents the same way', () => {
    const lf = `# T\n\n${hostile(4000)}\n\nok\n`;
    for (const eol of ['\r\n', '\r']) {
      const text = lf.replaceAll('\n', eol);
      const guarded = guardMarkdown(text);
      expect(guarded.skipped).toEqual(guardMarkdown(lf).skipped);
      expectSameShape(text, guarded.text);
    }
  });

  it('lets the engine and the site finish on 1 MiB of hostile markup, reporting it', () => {
    for (const unit of ['*a_', '](', '~~a', '[a](', '`` a', '<!--', '\\[a](']) {
      const text = `# Hostile\n\n${unit.repeat(Math.ceil((1024 * 1024) / unit.length))}\n\nSee \`infra/after.tf\`.\n`;
      const { document, problems } = parseDocument('docs/hostile.md', text);
      expect(problems.map((p) => `${p.line}:${p.column} ${p.rule}`)).toEqual(['3:1 malformed-markdown']);
      expect(document.title).toBe('Hostile');
      expect(renderMarkdown(text, { path: 'docs/hostile.md', linkFor: () => undefined }).html).toContain('infra/after.tf');
    }
  });

  it('blanks a line with a run of quote or list markers over the cap, and only that line', () => {
    const run = (marker: string, n: number) => `${marker.repeat(n)}deep`;
    for (const marker of ['>', '> ', '- ', '* ', '1. ', '2) ', '> - ']) {
      const text = `# T\n\n${run(marker, MAX_MARKERS + 1)}\n\nafter\n`;
      const guarded = guardMarkdown(text);
      expect(guarded.skipped).toEqual([{ line: 3, reason: expect.stringContaining('quotes or lists on one line') }]);
      expectSameShape(text, guarded.text);
      expect(guarded.text).not.toContain('deep');
      expect(guarded.text).toContain('after');
      expect(guardMarkdown(run(marker, 8)).skipped).toEqual([]);
    }
  });

  it('reports a run of such lines once, and a later run again', () => {
    const deep = `${'>'.repeat(MAX_MARKERS + 1)} x`;
    const text = [deep, deep, deep, 'fine', deep].join('\n');
    expect(guardMarkdown(text).skipped.map((block) => block.line)).toEqual([1, 5]);
  });

  it('blanks a table row with more pipes than a table has columns', () => {
    const row = (cells: number) => `${'| x '.repeat(cells)}|`;
    const text = `| a | b |\n|---|---|\n${row(2)}\n${row(MAX_CELLS)}\n${row(2)}\n`;
    const guarded = guardMarkdown(text);
    expect(guarded.skipped).toEqual([{ line: 4, reason: expect.stringContaining(`more than the ${MAX_CELLS}`) }]);
    expect(guarded.text.split('\n')[3].trim()).toBe('');
    expect(guarded.text.split('\n')[4]).toBe(row(2));
  });

  it('parses nothing of a document over the size cap, and says so at line 1', () => {
    const guarded = guardMarkdown('a\n'.repeat(MAX_CHARS / 2 + 1));
    expect(guarded).toEqual({ text: '', skipped: [{ line: 1, reason: expect.stringContaining(`more than the ${MAX_CHARS}`) }] });
  });
});
