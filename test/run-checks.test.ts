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
import { checkGraph, runChecks } from '../src/core/rules/run-checks.ts';
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
