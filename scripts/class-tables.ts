/**
 * Rewrites the finding-class tables from the rules' `classes`: the README's
 * block and each rule page's (`docs/rules/<id>.md`), between the
 * `<!-- finding-classes:start -->` / `end` markers. The tests
 * (readme-severity-table, rule-docs) hold them equal; this is their fix.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rules } from '../src/core/rules/index.ts';
import type { Rule } from '../src/core/rules/rule.ts';

const START = '<!-- finding-classes:start -->';
const END = '<!-- finding-classes:end -->';
const root = path.resolve(import.meta.dirname, '..');

function rows(rule: Rule): string[] {
  return Object.entries(rule.classes ?? {}).map(([name, known]) => `| \`${rule.id}/${name}\` | ${known.severity} | ${known.description.replace(/\|/g, '\\|')} |`);
}

function rewrite(file: string, header: string, table: string[]): void {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${path.relative(root, file)} has no ${START} … ${END} block`);
  const next = `${text.slice(0, start + START.length)}\n${[`| ${header} | severity | why |`, '| --- | --- | --- |', ...table].join('\n')}\n${text.slice(end)}`;
  if (next !== text) {
    writeFileSync(file, next);
    process.stdout.write(`wrote ${path.relative(root, file)}\n`);
  }
}

rewrite(path.join(root, 'README.md'), 'finding', rules.flatMap(rows));
for (const rule of rules) if (rule.classes) rewrite(path.join(root, 'docs', 'rules', `${rule.id}.md`), 'class', rows(rule));
