/**
 * A line typed into a process document moves what is below it: its
 * sub-processes, environment sections and change rows (whose ids are
 * `path:line`). The resident engine keeps the documents' joint part of the
 * graph (processes, tasks, change rows) through such an edit and moves the
 * process's and rows' places instead of building it all again
 * (`keptStage` in `src/core/graph/link-graph.ts`); the language server's
 * edits are of this kind. After any sequence of lines typed anywhere, the
 * result must be a fresh scan's, byte for byte, whichever way the engine went.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import './fast-check-seed.ts';
import { ResidentEngine } from '../src/node/resident.ts';
import { scanRepository } from '../src/node/scan.ts';
import { expectSame, expectStepsLikeFresh, fixtureCopies } from './resident-equality.ts';

const { copy: copyFixture } = fixtureCopies('resident-moved-lines');

/** Lines typed: blank, prose, a reference that resolves, one that does not, a change row, metadata, a heading. */
const LINES = [
  '',
  'Operators stop at the first failed step.',
  '**Code Reference**: `infra/queue.tf:1-2`',
  '**Code Reference**: `infra/nowhere.tf:1-5`',
  '| 1.3 | 2026-10-04 | Retry warmup | bo | TASK-002 |',
  '- **Last Validated**: 2026-11-20',
  '### Canary',
];

interface Step {
  file: number;
  at: number;
  line: number;
}

const step: fc.Arbitrary<Step> = fc.record({ file: fc.nat({ max: 1000 }), at: fc.nat({ max: 1000 }), line: fc.nat({ max: LINES.length - 1 }) });

/** Type one line into a document at a line position; returns the path changed. */
function apply(dir: string, files: readonly string[], taken: Step): string[] {
  const documents = files.filter((file) => file.endsWith('.md'));
  const file = documents[taken.file % documents.length];
  const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
  const at = taken.at % lines.length;
  writeFileSync(path.join(dir, file), [...lines.slice(0, at), LINES[taken.line], ...lines.slice(at)].join('\n'));
  return [file];
}

/** Insert `line` before line `before` (1-based) of a document and check; the check, compared with a fresh scan. */
async function insert(engine: ResidentEngine, dir: string, file: string, before: number, line: string) {
  const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
  writeFileSync(path.join(dir, file), [...lines.slice(0, before - 1), line, ...lines.slice(before - 1)].join('\n'));
  engine.changed([file]);
  const checked = await engine.check();
  expectSame(checked.result, await scanRepository(dir), `${file}:${before} ${line}`);
  return checked;
}

describe('the resident engine after lines typed above what a process holds', () => {
  it('gives a fresh scan’s result after any sequence of typed lines, kept or built again', async () => {
    const ways = { kept: 0, built: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        await expectStepsLikeFresh(copyFixture(), steps, apply, ({ keptStage }) => ways[keptStage ? 'kept' : 'built']++);
      }),
      { numRuns: Number(process.env.RUNS ?? 30) },
    );
    expect(ways.kept).toBeGreaterThan(0);
    expect(ways.built).toBeGreaterThan(0);
  });

  it('moves the process’s sub-processes and change rows instead of building the stage again', async () => {
    const dir = copyFixture();
    const engine = await ResidentEngine.open(dir);
    const process = () => engine.result.graph.processes.find((found) => found.id === 'cache-warmup')!;
    const rows = () => engine.result.graph.changes.filter((row) => row.file === 'docs/processes/cache-warmup.md').map((row) => row.id);
    expect(rows()).toEqual(['docs/processes/cache-warmup.md:46', 'docs/processes/cache-warmup.md:47', 'docs/processes/cache-warmup.md:48']);
    // As the language server's bench types: a new reference under the first sub-process's own.
    const typed = await insert(engine, dir, 'docs/processes/cache-warmup.md', 22, '**Code Reference**: `infra/nowhere.tf:1-5`');
    expect(typed.keptStage).toBe(true);
    expect(process().subProcesses.find((sub) => sub.name === 'Apply')?.line).toBe(25);
    expect(process().changes).toEqual(['docs/processes/cache-warmup.md:47', 'docs/processes/cache-warmup.md:48', 'docs/processes/cache-warmup.md:49']);
    expect(typed.result.graph.diagnostics.map((diagnostic) => `${diagnostic.line} ${diagnostic.rule}`)).toContain('22 missing-file');
    // A blank line above the metadata moves everything.
    expect((await insert(engine, dir, 'docs/processes/cache-warmup.md', 2, '')).keptStage).toBe(true);
    expect(rows()).toEqual(['docs/processes/cache-warmup.md:48', 'docs/processes/cache-warmup.md:49', 'docs/processes/cache-warmup.md:50']);
    // A runbook's own change table moves too (rows without a process).
    expect((await insert(engine, dir, 'docs/notes/runbook.md', 2, 'Page the owner first.')).keptStage).toBe(true);
    // A new row is not a move: built again.
    expect((await insert(engine, dir, 'docs/processes/cache-warmup.md', 48, '| 1.3 | 2026-10-04 | Retry warmup | bo | TASK-002 |')).keptStage).toBe(false);
    // A summary's task lookup sits at its metadata's line: built again.
    expect((await insert(engine, dir, 'docs/plans/TASK-001-implementation-summary.md', 2, '')).keptStage).toBe(false);
  });
});
