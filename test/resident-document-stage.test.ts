/**
 * The resident engine keeps the documents' joint part of the graph —
 * processes, tasks, summaries, change rows, task–process links,
 * environments — from one check to the next when a change leaves what it is
 * built from as it was (`keptStage` in `src/core/graph/link-graph.ts`). After
 * any sequence of edits (prose, references, change rows, metadata, markers),
 * new files and deletions, the result must be a fresh scan's, byte for byte,
 * whichever way the engine went; and an edit that keeps the stage must do the
 * same work in a repository four times as large.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import './fast-check-seed.ts';
import { ResidentEngine } from '../src/node/resident.ts';
import { scanRepository } from '../src/node/scan.ts';
import { createNewFile, deleteFile, expectSame, expectStepsLikeFresh, fixtureCopies } from './resident-equality.ts';

const { scratch, copy: copyFixture } = fixtureCopies('resident-document-stage');

/** Lines appended to a document: prose, references that resolve or not, a change row naming a task, a status update. */
const LINES = [
  'Operators stop at the first failed step.',
  'See `infra/api.tf:2-4` and `scripts/nowhere.sh`.',
  'Read [the plan](../platform/plan.md#tasks).',
  '| 1.2 | 2026-10-05 | Retry on lock | bo | TASK-001 |',
  '- **Last Validated**: 2026-11-20',
  '**Status Update (2026-10-06)**: TASK-001 is 50% complete',
];

/** Whole texts of code files: markers as they were, for another process, with another environment, none. */
const CODE = [
  '# Deployment Process: API Release\n# Environment: production\nresource "null_resource" "api" {\n}\n',
  '# Deployment Process: Database Migration\n# Environment: staging\npsql -f migrate.sql\n',
  '# Deployment Process: API Release\n# Environment: staging\nresource "null_resource" "api" {\n}\n',
  'echo no markers\n',
];

const NEW_FILES: Record<string, string> = {
  'docs/processes/cache-flush.md': '# Deployment Process: Cache Flush\n\n- **Last Validated**: 2026-11-01\n\nRun `scripts/deploy.sh cache`.\n',
  'docs/platform/TASK-001-implementation-summary.md': '# Infrastructure Implementation Summary: TASK-001 - Release the API\n\n**Task ID**: TASK-001\n**Status**: Complete\n**Date**: 2026-11-02\n\n- `infra/api.tf:1-3`: the service\n',
  'infra/cache.tf': '# Deployment Process: Cache Flush\n# Environment: production\nresource "null_resource" "cache" {\n}\n',
  'docs/notes.md': '# Notes\n\nSee `infra/api.tf:1-2`.\n',
};

type Step =
  | { kind: 'append'; file: number; line: number }
  | { kind: 'code'; file: number; text: number }
  | { kind: 'code-body'; file: number }
  | { kind: 'create'; file: number }
  | { kind: 'delete'; file: number };

const index = fc.nat({ max: 1000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('append' as const), file: index, line: fc.nat({ max: LINES.length - 1 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('code' as const), file: index, text: fc.nat({ max: CODE.length - 1 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('code-body' as const), file: index }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('create' as const), file: fc.nat({ max: Object.keys(NEW_FILES).length - 1 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), file: index }), weight: 1 },
);

/** Apply one step to the files on disk; returns the paths it changed (nothing when it does not apply). */
function apply(dir: string, files: readonly string[], taken: Step): string[] {
  const pick = (paths: readonly string[], n: number) => (paths.length ? paths[n % paths.length] : undefined);
  const documents = files.filter((file) => file.endsWith('.md'));
  const code = files.filter((file) => !file.endsWith('.md'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
    return [file];
  };
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  switch (taken.kind) {
    case 'append': {
      const file = pick(documents, taken.file);
      return file ? write(file, `${read(file)}${LINES[taken.line]}\n`) : [];
    }
    case 'code':
    case 'code-body': {
      const file = pick(code, taken.file);
      if (!file) return [];
      return write(file, taken.kind === 'code' ? CODE[taken.text] : `${read(file)}echo done\n`);
    }
    case 'create':
      return createNewFile(dir, NEW_FILES, taken.file);
    case 'delete':
      return deleteFile(dir, pick(files, taken.file));
  }
}


describe('the resident engine’s kept document stage', () => {
  it('gives a fresh scan’s result after any sequence of edits, kept or built again', async () => {
    const ways = { kept: 0, built: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        await expectStepsLikeFresh(copyFixture(), steps, apply, ({ keptStage }) => ways[keptStage ? 'kept' : 'built']++);
      }),
      { numRuns: Number(process.env.RUNS ?? 30) },
    );
    // Both ways were taken, so both were compared with a fresh scan.
    expect(ways.kept).toBeGreaterThan(0);
    expect(ways.built).toBeGreaterThan(0);
  });

  it('keeps the stage for an edit that leaves it as it was, and rebuilds it for one that does not', async () => {
    const dir = copyFixture();
    const engine = await ResidentEngine.open(dir);
    // A blank line first, unless the line is to join the table the document ends with.
    const edit = async (file: string, line: string, join = false) => {
      writeFileSync(path.join(dir, file), `${readFileSync(path.join(dir, file), 'utf8')}${join ? '' : '\n'}${line}\n`);
      engine.changed([file]);
      const checked = await engine.check();
      expectSame(checked.result, await scanRepository(dir), line);
      return checked;
    };
    const row = await edit('docs/processes/api-release.md', '| 1.1 | 2026-10-05 | Retry | ana | TASK-002 |', true);
    expect(row.keptStage).toBe(false);
    expect(row.result.graph.tasks.find((task) => task.taskId === 'TASK-002')?.processes).toEqual(['api-release', 'database-migration']);
    expect((await edit('docs/processes/api-release.md', 'See `infra/api.tf:2-4` and `scripts/nowhere.sh`.')).keptStage).toBe(true);
    // The new reference is the process's: a kept stage patches its process.
    const cited = engine.result.graph.processes.find((process) => process.id === 'api-release')?.references ?? [];
    expect(cited.filter((id) => id.startsWith('docs/processes/api-release.md:28:'))).toHaveLength(2);
    expect((await edit('scripts/deploy.sh', 'echo done')).keptStage).toBe(true);
    expect((await edit('infra/api.tf', '# Deployment Process: Database Migration')).keptStage).toBe(false);
    // A summary's references tie its task to processes: never kept.
    expect((await edit('docs/platform/TASK-002-implementation-summary.md', '- `infra/api.tf:1-2`: also')).keptStage).toBe(false);
  });

  it('does the same work for an edit that keeps the stage in a repository four times as large', async () => {
    const work = async (modules: number) => {
      const dir = path.join(scratch, `growth-${modules}`);
      mkdirSync(path.join(dir, 'docs/processes'), { recursive: true });
      mkdirSync(path.join(dir, 'docs/plans'), { recursive: true });
      mkdirSync(path.join(dir, 'infra'), { recursive: true });
      for (let n = 0; n < modules; n++) {
        const name = `Service ${n} Deploy`;
        const task = `TASK-${String(n + 1).padStart(3, '0')}`;
        writeFileSync(
          path.join(dir, `docs/processes/service-${n}.md`),
          `# Deployment Process: ${name}\n\n- **Last Validated**: 2026-10-01\n\nApply \`infra/service-${n}.tf:1-3\`.\n\n## Change History\n\n| Version | Date | Change | Author | Rationale |\n| --- | --- | --- | --- | --- |\n| 1.0 | 2026-09-01 | First | ana | ${task} |\n`,
        );
        writeFileSync(path.join(dir, `docs/plans/plan-${n}.md`), `# Plan ${n}\n\n## Tasks\n\n### ${task}: Build service ${n}\n\n**Files to create/modify**:\n- \`infra/service-${n}.tf\`: the service\n`);
        writeFileSync(path.join(dir, `infra/service-${n}.tf`), `# Deployment Process: ${name}\n# Environment: production\nresource "null_resource" "s${n}" {\n}\n`);
      }
      const engine = await ResidentEngine.open(dir);
      const edited = path.join(dir, 'docs/processes/service-1.md');
      writeFileSync(edited, `${readFileSync(edited, 'utf8')}\nAlso \`infra/service-2.tf:1-2\` and \`infra/nowhere.tf\`.\n`);
      engine.changed(['docs/processes/service-1.md']);
      const { relinked, rechecked, keptStage, result } = await engine.check();
      expect(result.graph.diagnostics.map((diagnostic) => `${diagnostic.file} ${diagnostic.rule}`)).toContain('docs/processes/service-1.md missing-file');
      return { relinked, rechecked, keptStage };
    };
    const small = await work(20);
    expect(small.keptStage).toBe(true);
    expect(await work(80)).toEqual(small);
  });
});
