/**
 * Every fixture repository, checked twice: in-process through the engine and
 * through the real executable. Both must report exactly `expected.txt`.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/node/scan.ts';
import { binPath, diagnosticLines, fixtureCases } from './helpers.ts';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-fixtures-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Each fixture runs from a copy outside Waymark's own git work tree: inside
 * it, Waymark's commits would become the fixture's history and age it. Files
 * too big to commit are made in the copy, so they can never be committed.
 */
const generated: Record<string, Record<string, string>> = {
  unreadable: { 'logs/big.txt': 'log line\n'.repeat((2 * 1024 * 1024) / 9 + 1) },
};

const cases = fixtureCases().map((fixture) => {
  const repo = path.join(scratch, fixture.name);
  cpSync(fixture.repo, repo, { recursive: true });
  for (const [file, text] of Object.entries(generated[fixture.name] ?? {})) {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  }
  return { ...fixture, repo };
});

describe('fixture repositories', () => {
  it('exist', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  describe.each(cases)('$name', ({ repo, expected }) => {
    it('in-process', async () => {
      const { graph } = await scanRepository(repo);
      expect(diagnosticLines(graph.diagnostics)).toEqual(expected);
    });

    it('through the bin', async () => {
      const result = await run(process.execPath, [binPath, 'check', '--format', 'json'], { cwd: repo }).catch(
        (error: { stdout: string; code: number }) => error,
      );
      const diagnostics = JSON.parse(result.stdout).problems;
      expect(diagnosticLines(diagnostics)).toEqual(expected);
      const hasErrors = diagnostics.some((diagnostic: { severity: string }) => diagnostic.severity === 'error');
      expect('code' in result ? result.code : 0).toBe(hasErrors ? 1 : 0);
    });
  });
});
