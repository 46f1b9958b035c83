/**
 * Long adversarial lines through every parser that reads repository text.
 *
 * There is no stopwatch (speed is measured only by the benchmark). Each line
 * is long enough that quadratic work on it (a regex that retries a run from
 * each of its positions, a scan restarted at every opener) takes many
 * minutes, while linear work takes milliseconds to about a second: the test
 * timeout is the guard against catastrophic backtracking.
 */
import { describe, it } from 'vitest';
import { extractComments } from '../src/core/extract/comments.ts';
import { resolveConfig } from '../src/core/config/config.ts';
import { guardMarkdown } from '../src/core/extract/markdown-guard.ts';
import { parseMarkdownFast } from '../src/core/extract/markdown-fast.ts';
import { parseDocument } from '../src/core/extract/markdown.ts';
import { extractMarkers } from '../src/core/extract/markers.ts';
import {
  isPlaceholder,
  normaliseKey,
  parseIsoDate,
  parsePercent,
  parseProcessStatus,
  parseTaskStatus,
  stripDecorations,
} from '../src/core/extract/metadata.ts';
import { parseLinkTarget, parseReferences } from '../src/core/extract/reference-parse.ts';
import { symbolTable } from '../src/core/graph/symbol-index.ts';
import { renderMarkdown } from '../src/site/markdown.ts';
import { formatMessage } from '../src/site/escape.ts';

const tags = resolveConfig({}, 'repo').tags;

/**
 * Runs of one unit, then a near miss: what makes a backtracking pattern retry
 * the whole run. `a␠␠…␠<unit>x` targets patterns anchored at the end
 * (`\s+$`, `\s+#.*$`).
 */
function adversarial(units: string[], length: number): string[] {
  return units.flatMap((unit) => [`${unit.repeat(Math.ceil(length / unit.length))}\u0001`, `a${' '.repeat(length)}${unit}x`]);
}

const VALUE_UNITS = [' ', ':', '*', '`', '[', ']', '(', '{', '<', '|', '\\', '#', '-', '.', '/', '§', '](', '[a](', '{{', 'a  | ', 'a:', '1-', 'L1', 'TASK-1 ', 'http://a', 'x.tf:1-', 'Section ', '(lines 1', '\u00a0'];
const MIB = 1024 * 1024;

describe('long adversarial lines', () => {
  it('metadata normalisers', () => {
    for (const line of adversarial(VALUE_UNITS, MIB)) {
      normaliseKey(line);
      stripDecorations(line);
      parseIsoDate(line);
      parsePercent(line);
      parseProcessStatus(line);
      parseTaskStatus(line);
      isPlaceholder(line);
    }
  });

  it('the reference parser', () => {
    for (const line of adversarial(VALUE_UNITS, MIB)) {
      parseReferences(line);
      parseLinkTarget(line);
      formatMessage(`\`${line}\` does not exist`);
    }
  });

  it('the comment extractor, markers and symbols', () => {
    const units = [' ', '#', '/*', '"', '`', '\\', '<<', 'a:', 'func (', 'resource "'];
    for (const line of adversarial(units, MIB / 2)) {
      for (const path of ['a.tf', 'a.ts', 'a.sh', 'a.go']) {
        extractComments(path, line);
        extractMarkers(path, `# Reference: ${line}\n// Reference: ${line}\n`, tags);
        symbolTable(path, line);
      }
    }
  });

  it('the markdown guard, on long structural lines', () => {
    const blanks = ' '.repeat(MIB);
    const lines = [
      `| a |\n|-${blanks}x`,
      `| a |\n${'|-'.repeat(MIB / 2)}\n${'|'.repeat(MIB)}`,
      `- ${blanks}`,
      `1.${blanks}x`,
      '> '.repeat(MIB / 2),
      `\`\`\`${'`'.repeat(MIB)}\n${'~'.repeat(MIB)}`,
      '#'.repeat(MIB),
      `${blanks}\`\`\`${blanks}`,
    ];
    for (const line of lines) guardMarkdown(line);
  });

  // The markdown reader and renderer hand each block to remark; the guard blanks hostile ones first.
  const MARKDOWN_UNITS = [' ', ':', '[', '(', '`', 'a  | '];
  const places: Record<string, (line: string) => string> = {
    'a code-reference value': (l) => `**Code References**: ${l}`,
    'a date value': (l) => `**Last Updated**: ${l}`,
    'front matter': (l) => `---\ncode_references: ${l}\nlast_updated: ${l}\n---\n`,
    'an unclosed front matter': (l) => `---\n${l}\n`,
    'headings': (l) => `# Deployment Process: ${l}\n### TASK-1: ${l}`,
    'a change-history table': (l) => `## Change History\n\n| Date | Change |\n|---|---|\n| ${l} | ${l} |\n`,
    'a file list': (l) => `**Files Modified**:\n- \`a.tf\`: ${l}\n`,
  };
  it.each(Object.entries(places))('the markdown reader: %s', (place, wrap) => {
    // In a table, `|` only makes more cells: remark's linear but slow part, not ours.
    const units = place.includes('table') ? MARKDOWN_UNITS.filter((unit) => !unit.includes('|')) : MARKDOWN_UNITS;
    for (const line of adversarial(units, 256 * 1024)) parseDocument('docs/x.md', wrap(line));
  });

  it('the fast markdown reader, unguarded', () => {
    const units = [' ', '[', ']', '](', '![', '(', '`', '<', '<!--', '<a ', '*', '_', '*a', 'a_', '**a', '\\', '&', '#', '- ', '1. ', '|', '| a ', '[x] '];
    for (const line of adversarial(units, 256 * 1024)) {
      parseMarkdownFast(line);
      parseMarkdownFast(`- ${line}`);
      parseMarkdownFast(`| a |\n| - |\n| ${line} |`);
    }
  });

  it('the site renderer', () => {
    for (const line of adversarial([' ', '[', '`', '*a_'], 256 * 1024)) {
      renderMarkdown(`# Title\n\n${line}\n\n| a | b |\n|---|---|\n| ${line} | x |\n`, { path: 'docs/x.md', linkFor: () => undefined });
    }
  });
});
