/** Shared test helpers: fixture discovery and the compact diagnostic lines tests compare. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../src/core/schema.ts';

const testDir = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(testDir, '..');
export const fixturesDir = path.join(testDir, 'fixtures');
export const binPath = path.join(projectRoot, 'bin/waymark.mjs');

/** `file:line:col rule message`, the line shape every expectation uses. */
function diagnosticLine(diagnostic: Pick<Diagnostic, 'file' | 'line' | 'column' | 'rule' | 'message'>): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} ${diagnostic.rule} ${diagnostic.message}`;
}

export function diagnosticLines(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map(diagnosticLine).sort();
}

export interface FixtureCase {
  name: string;
  repo: string;
  expected: string[];
}

/** Every `test/fixtures/<scenario>/` that has a `repo/` and an `expected.txt`. */
export function fixtureCases(): FixtureCase[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(fixturesDir, entry.name))
    .filter((dir) => existsSync(path.join(dir, 'repo')) && existsSync(path.join(dir, 'expected.txt')))
    .map((dir) => ({
      name: path.basename(dir),
      repo: path.join(dir, 'repo'),
      expected: readFileSync(path.join(dir, 'expected.txt'), 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'))
        .sort(),
    }));
}
