/**
 * The resident engine (`src/node/resident.ts`): after any sequence of saves,
 * unsaved texts, new and deleted files, its result is the result a fresh
 * scan of the same files gives — byte for byte once history is refreshed.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchCheck } from '../src/cli/watch-check.ts';
import { ResidentEngine } from '../src/node/resident.ts';
import { scanRepository } from '../src/node/scan.ts';
import { diagnosticLines, fixturesDir } from './helpers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-resident-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyFixture(name: string): string {
  const dir = path.join(scratch, name);
  cpSync(path.join(fixturesDir, name, 'repo'), dir, { recursive: true });
  return dir;
}

async function freshLines(dir: string): Promise<string[]> {
  return diagnosticLines((await scanRepository(dir)).graph.diagnostics);
}

describe('ResidentEngine', () => {
  it('matches a fresh scan after saves, a new file and a deleted one', async () => {
    const dir = copyFixture('broken-references');
    const engine = await ResidentEngine.open(dir);
    expect(diagnosticLines(engine.result.graph.diagnostics)).toEqual(await freshLines(dir));

    // A save that fixes nothing and breaks one more reference.
    appendFileSync(path.join(dir, 'docs/processes/web-release.md'), '\nSee `scripts/nowhere.sh` for more.\n');
    engine.changed(['docs/processes/web-release.md']);
    const saved = await engine.check();
    expect(saved.extracted).toEqual(['docs/processes/web-release.md']);
    expect(diagnosticLines(saved.result.graph.diagnostics)).toEqual(await freshLines(dir));
    expect(diagnosticLines(saved.result.graph.diagnostics).join('\n')).toContain('scripts/nowhere.sh');

    // The missing file appears: the reference to it is no longer broken.
    writeFileSync(path.join(dir, 'scripts/nowhere.sh'), '#!/bin/sh\necho here\n');
    engine.changed(['scripts/nowhere.sh']);
    const created = await engine.check();
    expect(created.rediscovered).toBe(true);
    expect(diagnosticLines(created.result.graph.diagnostics)).toEqual(await freshLines(dir));
    expect(diagnosticLines(created.result.graph.diagnostics).join('\n')).not.toContain('scripts/nowhere.sh');

    // And goes again.
    unlinkSync(path.join(dir, 'scripts/nowhere.sh'));
    engine.changed(['scripts/nowhere.sh']);
    const deleted = await engine.check();
    expect(diagnosticLines(deleted.result.graph.diagnostics)).toEqual(await freshLines(dir));
    await engine.refreshHistory();
    expect(JSON.stringify(engine.result.graph)).toBe(JSON.stringify((await scanRepository(dir)).graph));
  });

  it('checks unsaved text as if saved, per file, and forgets it when asked', async () => {
    const dir = copyFixture('reference-forms');
    const engine = await ResidentEngine.open(dir);
    const clean = diagnosticLines(engine.result.graph.diagnostics);
    const document = engine.result.graph.documents[0].path;
    engine.setText(document, '# Notes\n\nSee `missing/thing.sh` here.\n');
    await engine.check();
    const problems = engine.diagnosticsFor(document);
    expect(problems.map((problem) => `${problem.line} ${problem.rule}`)).toContain('3 missing-file');
    expect(problems.every((problem) => problem.file === document)).toBe(true);

    engine.setText(document, undefined);
    await engine.check();
    expect(diagnosticLines(engine.result.graph.diagnostics)).toEqual(clean);
  });
});

describe('check --watch', () => {
  it('prints the whole report again after a save, then a status line', async () => {
    const dir = copyFixture('suppression');
    const controller = new AbortController();
    const reports: string[] = [];
    const statuses: string[] = [];
    let saw: () => void = () => undefined;
    const watching = watchCheck({
      repo: dir,
      io: { stdout: (text) => reports.push(text), stderr: (text) => (statuses.push(text), saw()), cwd: dir, env: {} },
      render: (diagnostics) => diagnosticLines(diagnostics).join('\n'),
      signal: controller.signal,
    });
    const next = () => new Promise<void>((resolve) => (saw = resolve));
    await next();
    const document = (await scanRepository(dir)).graph.documents[0].path;
    const saved = next();
    appendFileSync(path.join(dir, document), '\nSee `not/here.sh`.\n');
    await saved;
    controller.abort();
    expect(await watching).toBe(0);
    expect(statuses[1]).toMatch(/^waymark: checked 1 changed file in \d+ ms\n$/);
    expect(reports[1]).toBe((await freshLines(dir)).join('\n'));
    expect(reports[1]).toContain('not/here.sh');
  });
});
