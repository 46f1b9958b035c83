/**
 * The fast markdown reader is a shortcut for remark: wherever it accepts a
 * document, its tree has remark's shape (what the site renders) and the
 * document reader gets exactly what it gets from remark.
 * Checked on every markdown file of the example, the fixtures and a generated
 * repository, and on generated documents mixing the constructs it reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkdownFast } from '../src/core/extract/markdown-fast.ts';
import { parseDocument } from '../src/core/extract/markdown.ts';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { planRepository } from '../scripts/generate-repo.ts';

const root = path.resolve(import.meta.dirname, '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** The body the document reader hands the parser: front matter blanked, line endings LF. */
function bodyOf(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/^---\n[\s\S]*?\n---/, (block) => block.replace(/[^\n]/g, ' '));
}

const remark = unified().use(remarkParse).use(remarkGfm).freeze();

/**
 * The tree as the site renders it, keys sorted: positions only on text and
 * inline code, where the renderer places code-reference links by them.
 */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node === null || typeof node !== 'object') return node;
  const placed = 'type' in node && (node.type === 'text' || node.type === 'inlineCode');
  const entries = Object.entries(node).filter(([key, value]) => (key !== 'position' || placed) && value !== undefined);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => [key, key === 'position' ? span(value) : shape(value)]));
}

function span(position: { start: { line: number; column: number }; end: { line: number; column: number } }): string {
  return `${position.start.line}:${position.start.column}-${position.end.line}:${position.end.column}`;
}

/** Where the fast reader accepts `body`, its tree has remark's shape. */
function expectSameTree(body: string, label: string): boolean {
  const fast = parseMarkdownFast(body);
  if (fast) expect(shape(fast), label).toEqual(shape(remark.parse(body)));
  return fast !== undefined;
}

/** What the document reader makes of `text` with and without the shortcut. */
function bothWays(file: string, text: string) {
  return { remark: parseDocument(file, text, { remarkOnly: true }), auto: parseDocument(file, text) };
}

describe('the fast markdown reader', () => {
  it('reads the example, the fixtures and a generated repository exactly as remark does', () => {
    const documents: Array<[string, string]> = [
      ...[...markdownFiles(path.join(root, 'content')), ...markdownFiles(path.join(root, 'test/fixtures'))].map(
        (file): [string, string] => [path.relative(root, file), readFileSync(file, 'utf8')],
      ),
      ...[...planRepository('small', 3).contents].filter(([file]) => file.endsWith('.md')),
    ];
    let accepted = 0;
    for (const [file, text] of documents) {
      if (expectSameTree(bodyOf(text), file)) accepted++;
      const { remark, auto } = bothWays(file, text);
      expect(auto, file).toEqual(remark);
    }
    // the shortcut must be worth having: most real documents stay inside its subset
    expect(accepted / documents.length).toBeGreaterThan(0.8);
  });

  it('reads the common constructs itself', () => {
    const text = [
      '# Deployment Process: Web',
      '',
      '- **Status**: validated',
      '- **Code Reference**: `infra/lb.tf:12-48`, [deploy](../scripts/deploy.sh)',
      '  - [x] nested *done* item',
      '',
      '| Version | Date | Change |',
      '| ------- | ---- | ------ |',
      '| 1.1 | 2026-01-02 | TASK-001 \\| split |',
      '',
      '```bash',
      'echo "# Process: not a heading"',
      '```',
      '',
      '1. Run `make` then <!-- note --> check_the_logs.',
    ].join('\n');
    expect(parseMarkdownFast(text)).toBeDefined();
    const { remark, auto } = bothWays('docs/web.md', text);
    expect(auto).toEqual(remark);
  });

  it('leaves what it does not read to remark', () => {
    for (const text of ['> quoted', 'Title\n=====', '    indented code', 'see https://x.io', '<div>\nhtml\n</div>', '[a]: https://x.io', 'a  \nhard break', '~~gone~~', '&amp;']) {
      expect(parseMarkdownFast(text), text).toBeUndefined();
    }
  });

  it('agrees with remark on generated documents whenever it accepts them', () => {
    const word = fc.constantFrom('deploy', 'TASK-001', 'GAP_02', 'snake_case', 'a*b', '*', '**', '_', '__', '`x`', '``a ` b``', '\\*', '\\|', '[x]', '[ ]', ']', '[', '(', ')', '<b>', '</b>', '<!-- c -->', '<', '#', '|', ':', '1.', '-', '✅', 'é', 'infra/lb.tf:1-2');
    const inline = fc
      .array(fc.oneof(word, fc.constantFrom('**Status**: done', '[link](docs/a.md)', '![img](i.png)', '[t](<a b.md> "T")', '*em*', '_em_', '**strong**', '***both***', '**a *b* c**', '`code`')), { minLength: 1, maxLength: 8 })
      .map((words) => words.join(' '));
    const block = fc.oneof(
      inline,
      inline.map((text) => `## ${text}`),
      inline.map((text) => `### ${text} ##`),
      fc.tuple(fc.constantFrom('- ', '* ', '1. ', '2) ', '  - ', '    - ', '- [x] ', '- [ ] ', '- [X]   ', '-   '), inline).map(([marker, text]) => marker + text),
      inline.map((text) => `  ${text}`),
      fc.constantFrom('', '', '---', '***', '```', '```ts', '~~~', '    ```', '  ```', '| A | B |', '| --- | :-: |', '| 1 | 2 |', '|a|b|c|', 'x | y', '<!--', '-->', '## Change History', '### Production'),
      fc.constantFrom('**Last Updated:** 2026-01-02', '**Files Modified**:', '- `infra/a.tf`: note', '  - `b.sh` — why', '| 1.0 | 2026-02-30 | `a|b` | TASK-002 |', '#', '####### seven', '#no space', '1) one', '10. ten', '+ plus', '- ', '  text after two spaces', '\\*not em*', '**unclosed', '_a_b_', '*a**b*', '[a [b] c](d.md)', '[a](b.md#x) and [c](e.md "t")', '`a` `` b `` ```c```'),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 14 }), (blocks) => {
        const text = blocks.join('\n');
        if (!expectSameTree(text, 'generated')) return;
        const { remark, auto } = bothWays('docs/generated.md', text);
        expect(auto).toEqual(remark);
      }),
      { numRuns: 500 },
    );
  });
});
