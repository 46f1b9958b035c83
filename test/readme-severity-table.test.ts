/**
 * The README's table of finding classes is the rules' `classes`, word for word: a class added,
 * removed or re-graded without the README fails here (the message holds the table to paste).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../src/core/rules/index.ts';
import { projectRoot } from './helpers.ts';

const START = '<!-- finding-classes:start -->';
const END = '<!-- finding-classes:end -->';

/** The table as the rules declare it, in rule order then class order. */
function classTable(): string {
  const rows = rules.flatMap((rule) =>
    Object.entries(rule.classes ?? {}).map(([name, known]) => `| \`${rule.id}/${name}\` | ${known.severity} | ${known.description.replace(/\|/g, '\\|')} |`),
  );
  return ['| finding | severity | why |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('README severity table', () => {
  it('lists every finding class of every rule with its default severity and reason', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, `README.md needs a ${START} … ${END} block`).toBeGreaterThan(-1);
    const written = readme.slice(start + START.length, end).trim();
    expect(written, "run `npm run class-tables`").toBe(classTable());
  });

  it('has rows to compare: missing-file declares its classes', () => {
    expect(classTable().split('\n').length).toBeGreaterThan(4);
  });
});
