/** Shared test helpers: fixture discovery and the compact diagnostic lines tests compare. */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, ScanResult } from '../src/core/schema.ts';
import { scanRepository } from '../src/node/scan.ts';

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

/**
 * Scan a copy of a fixture's `repo/` made outside any git repository: for tests about where and how a
 * path is written, not what git says (inside Waymark's own history every fixture path is one no
 * commit had). `by(severity)` gives that severity's sorted `file:line:col rule message` lines.
 */
export async function scanFixtureOutsideGit(scenario: string): Promise<ScanResult & { by: (severity: Diagnostic['severity']) => string[] }> {
  const copy = mkdtempSync(path.join(os.tmpdir(), `waymark-${scenario}-`));
  try {
    cpSync(path.join(fixturesDir, scenario, 'repo'), copy, { recursive: true });
    const result = await scanRepository(copy);
    return { ...result, by: (severity) => diagnosticLines(result.graph.diagnostics.filter((diagnostic) => diagnostic.severity === severity)) };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
