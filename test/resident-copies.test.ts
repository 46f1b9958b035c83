/**
 * A copy's broken links are judged by its original (`missing-file/copied`), so an edit to the
 * original alone changes the copy's findings: the resident engine must recheck the copy too.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ResidentEngine } from '../src/node/resident.ts';
import { scanRepository } from '../src/node/scan.ts';
import { diagnosticLines, fixturesDir } from './helpers.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'waymark-resident-copies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(path.join(fixturesDir, 'copied-documents/repo'), dir, { recursive: true });

const copyLines = (lines: string[]) => lines.filter((line) => line.startsWith('kb/about/installation.md:7:'));

describe('the resident engine and copied documents', () => {
  it('rechecks a copy when only its original changes, and agrees with a fresh scan', async () => {
    const engine = await ResidentEngine.open(dir, { today: '2026-11-26' });
    const severities = () => engine.result.graph.diagnostics.filter((d) => d.file === 'kb/about/installation.md' && d.line === 7).map((d) => d.severity);
    expect(severities()).toEqual(['warning']);

    // Renamed headings: the original no longer looks like the copy's source, so its broken link is an error again.
    const original = path.join(dir, 'docs/installation.md');
    writeFileSync(original, readFileSync(original, 'utf8').replace('# Installation', '# Setting up'));
    engine.changed(['docs/installation.md']);
    await engine.check();
    expect(severities()).toEqual(['error']);
    const fresh = await scanRepository(dir, { today: '2026-11-26' });
    expect(copyLines(diagnosticLines(engine.result.graph.diagnostics))).toEqual(copyLines(diagnosticLines(fresh.graph.diagnostics)));
    expect(JSON.stringify(engine.result.graph.diagnostics)).toBe(JSON.stringify(fresh.graph.diagnostics));
  });
});
