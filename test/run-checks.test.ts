/**
 * The rules step reads the linked repository and returns what it found: the
 * checked graph marks each reference with the rule it raised, on new
 * reference objects, and the linked graph it was given is left as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveConfig } from '../src/core/config/config.ts';
import { extractFacts } from '../src/core/extract/extract.ts';
import { linkFacts } from '../src/core/graph/linked-repository.ts';
import type { Finding, Rule } from '../src/core/rules/rule.ts';
import { checkGraph, runChecks, severityOf } from '../src/core/rules/run-checks.ts';
import { diagnosticLines, fixturesDir } from './helpers.ts';

const repo = path.join(fixturesDir, 'broken-references', 'repo');

/** Every text file of the fixture (not the committed cache), repository-relative. */
function repositoryFiles(): { path: string; text: string }[] {
  return readdirSync(repo, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !path.relative(repo, entry.parentPath).startsWith('node_modules'))
    .map((entry) => {
      const absolute = path.join(entry.parentPath, entry.name);
      return { path: path.relative(repo, absolute).split(path.sep).join('/'), text: readFileSync(absolute, 'utf8') };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Freeze `value` and everything reachable from it, so a write anywhere throws. */
function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Map) for (const [key, item] of value) (deepFreeze(key, seen), deepFreeze(item, seen));
  for (const item of Object.values(value)) deepFreeze(item, seen);
  return Object.freeze(value);
}

describe('checks only read', () => {
  const config = resolveConfig({}, 'broken-references');
  const files = repositoryFiles();
  const linked = () => linkFacts(files.map((file) => file.path), files.map((file) => extractFacts(file.path, file.text, config)), [], config);

  test('a frozen linked repository checks without a write, and the graph that comes back carries the problems', () => {
    const input = linked();
    const before = JSON.stringify(input.graph);
    const graph = checkGraph(deepFreeze(input), config);
    expect(JSON.stringify(input.graph)).toBe(before);
    expect(input.graph.references.some((reference) => reference.problem)).toBe(false);
    const marked = graph.references.filter((reference) => reference.problem).map((reference) => `${reference.source.file}:${reference.source.line} ${reference.problem}`);
    expect(marked).toContain('docs/processes/web-release.md:12 missing-file');
    expect(marked).toContain('docs/processes/web-release.md:27 line-out-of-range');
  });

  test('the marks name the first rule that reported each reference, and agree with the diagnostics', () => {
    const input = linked();
    const { diagnostics, referenceProblems } = runChecks(input.graph, input.findings, input.facts, input.skipped, config);
    const graph = checkGraph(input, config);
    expect(diagnosticLines(graph.diagnostics)).toEqual(diagnosticLines(diagnostics));
    for (const reference of graph.references) expect([reference.id, reference.problem]).toEqual([reference.id, referenceProblems.get(reference.id)]);
    const rulesOfMarked = new Set(referenceProblems.values());
    for (const rule of rulesOfMarked) expect(diagnostics.some((d) => d.rule === rule)).toBe(true);
  });
});

describe('finding classes decide severity', () => {
  const rule: Rule = {
    id: 'demo',
    defaultSeverity: 'error',
    description: 'a rule for the test',
    classes: { planned: { severity: 'info', description: 'a file a plan intends to create' } },
    check: () => [],
  };
  const plain: Finding = { file: 'a.md', line: 1, column: 1, message: 'm' };
  const planned: Finding = { ...plain, class: 'planned' };
  const cases: [Finding, Record<string, 'error' | 'warning' | 'info' | 'off'>, string][] = [
    [plain, {}, 'error'],
    [planned, {}, 'info'],
    [plain, { demo: 'warning' }, 'warning'],
    // Raising the rule does not raise a class the rule keeps lower…
    [planned, { demo: 'error' }, 'info'],
    // …lowering it lowers the class too…
    [planned, { demo: 'off' }, 'off'],
    // …and the class itself can be set either way.
    [planned, { 'demo/planned': 'error' }, 'error'],
    [planned, { demo: 'warning', 'demo/planned': 'error' }, 'error'],
  ];
  test.each(cases)('%o with %o → %s', (finding, settings, expected) => {
    expect(severityOf(rule, finding, settings).severity).toBe(expected);
  });

  test('the reason names the class and its description', () => {
    expect(severityOf(rule, planned, {}).why).toBe('info: planned: a file a plan intends to create');
  });

  test('a class the rule does not declare is a bug, said loudly', () => {
    expect(() => severityOf(rule, { ...plain, class: 'nope' }, {})).toThrow(/undeclared class `nope`/);
  });
});
