/**
 * Every rule has a reference page, `docs/rules/<rule-id>.md`, shipped in the
 * package and linked from SARIF (`helpUri`) and the stylish report: what it
 * flags, why its severity, how to fix, how to suppress.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../src/core/rules/index.ts';
import { DOCUMENTED_RULES, ruleDocsUrl } from '../src/core/rules/rule-docs.ts';
import { sarifReporter } from '../src/reporters/sarif.ts';
import { projectRoot } from './helpers.ts';

const docsDir = path.join(projectRoot, 'docs/rules');
const page = (id: string) => readFileSync(path.join(docsDir, `${id}.md`), 'utf8');

describe('rule reference pages', () => {
  it('exist for every registered rule and git-history, and for nothing else', () => {
    const pages = readdirSync(docsDir).filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -3)).sort();
    expect(pages).toEqual([...DOCUMENTED_RULES].sort());
    for (const rule of rules) expect(DOCUMENTED_RULES).toContain(rule.id);
  });

  it.each(rules.map((rule) => [rule.id, rule] as const))('%s: titled by its id, its default severity, the four sections', (id, rule) => {
    const text = page(id);
    expect(text.startsWith(`# \`${id}\`\n`)).toBe(true);
    expect(text).toContain(`**Default severity:** ${rule.defaultSeverity}\n`);
    for (const heading of ['## What it flags', `## Why ${rule.defaultSeverity}`, '## How to fix', '## How to suppress']) expect(text).toContain(heading);
    // The example is a real report line of this rule.
    expect(text).toMatch(new RegExp(`\\n[^\\n]+:\\d+:\\d+ {2}${rule.defaultSeverity} {2}[^\\n]+ {2}${id}\\n`));
    expect(text).toContain(`waymark-ignore-next-line ${id}`);
  });

  it.each(rules.filter((rule) => rule.classes).map((rule) => [rule.id, rule] as const))('%s: lists its finding classes as the rule declares them', (id, rule) => {
    const rows = Object.entries(rule.classes!).map(([name, known]) => `| \`${id}/${name}\` | ${known.severity} | ${known.description.replace(/\|/g, '\\|')} |`);
    expect(page(id)).toContain(`| class | severity | why |\n| --- | --- | --- |\n${rows.join('\n')}\n`);
  });

  it('ship in the package', () => {
    expect(JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).files).toContain('docs/rules/');
  });

  it('are linked from SARIF helpUri, pinned to the version', () => {
    const log = JSON.parse(sarifReporter({ diagnostics: [], pathPrefix: '', version: '1.2.3' }));
    for (const rule of log.runs[0].tool.driver.rules) {
      expect(rule.helpUri).toBe(`https://unpkg.com/waymark@1.2.3/docs/rules/${rule.id}.md`);
    }
    expect(ruleDocsUrl('no-such-rule', '1.2.3')).toBeUndefined();
  });
});
