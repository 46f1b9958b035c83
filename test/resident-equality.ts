/**
 * Shared by the resident engine's property tests: scratch copies of a
 * fixture repository, and the comparison of a resident result with a fresh
 * scan's (the same objects for a readable difference, then the same bytes).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import type { ScanResult } from '../src/core/schema.ts';
import { ResidentEngine, type ResidentCheck } from '../src/node/resident.ts';
import { scanRepository } from '../src/node/scan.ts';
import { fixturesDir } from './helpers.ts';

/** A scratch folder removed after the file's tests, and a function that copies the fixture's `repo/` into it afresh. */
export function fixtureCopies(fixture: string): { scratch: string; copy: () => string } {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `waymark-${fixture}-`));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let copies = 0;
  return {
    scratch,
    copy: () => {
      const dir = path.join(scratch, `repo-${copies++}`);
      cpSync(path.join(fixturesDir, fixture, 'repo'), dir, { recursive: true });
      return dir;
    },
  };
}

/** What a result says, as published: the graph (diagnostics included) and the quiet skips. */
function published(result: ScanResult): string {
  return JSON.stringify({ graph: result.graph, quietlySkipped: result.quietlySkipped });
}

/** The resident result is the fresh one: the same objects (a readable difference), then the same bytes. */
export function expectSame(resident: ScanResult, fresh: ScanResult, step: string): void {
  expect(resident.graph.diagnostics, step).toEqual(fresh.graph.diagnostics);
  expect(JSON.parse(published(resident)), step).toEqual(JSON.parse(published(fresh)));
  expect(published(resident), step).toBe(published(fresh));
}

/** Write the `n`th of `files` (path → text) when it does not exist yet; the paths written. */
export function createNewFile(dir: string, files: Record<string, string>, n: number): string[] {
  const [file, text] = Object.entries(files)[n];
  if (existsSync(path.join(dir, file))) return [];
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
  return [file];
}

/** Delete a file of the repository, if one was picked; the paths deleted. */
export function deleteFile(dir: string, file: string | undefined): string[] {
  if (!file) return [];
  unlinkSync(path.join(dir, file));
  return [file];
}

/**
 * Open a resident engine on `dir`, then apply each step to the files on disk
 * (`apply` returns the paths it changed) and check: after opening and after
 * every step, the result must be a fresh scan's. `checked` sees each check.
 */
export async function expectStepsLikeFresh<Step>(
  dir: string,
  steps: readonly Step[],
  apply: (dir: string, files: readonly string[], step: Step) => string[],
  checked: (check: ResidentCheck) => void = () => {},
): Promise<void> {
  const engine = await ResidentEngine.open(dir);
  expectSame(engine.result, await scanRepository(dir), 'opened');
  for (const taken of steps) {
    const changed = apply(dir, engine.files, taken);
    if (changed.length === 0) continue;
    engine.changed(changed);
    const check = await engine.check();
    checked(check);
    expectSame(check.result, await scanRepository(dir), JSON.stringify(taken));
  }
}
