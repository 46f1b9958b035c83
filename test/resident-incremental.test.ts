/**
 * The resident engine relinks and rechecks only what a change touches
 * (`src/core/graph/link-graph.ts`'s memo, `runChecks`'s memo). After any
 * sequence of edits, new files, deletions and renames of documents and code
 * files, its result must be what a fresh scan of the same files gives, byte
 * for byte; and the work one edit does must not grow with the repository.
 * The fixture has no git history, so both read none.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import './fast-check-seed.ts';
import { ResidentEngine } from '../src/node/resident.ts';
import { scanRepository } from '../src/node/scan.ts';
import { expectStepsLikeFresh, fixtureCopies } from './resident-equality.ts';

const { scratch, copy: copyFixture } = fixtureCopies('resident-incremental');

/** Lines a writer adds to a document: references that resolve, break, go ambiguous; task ids; metadata. */
const LINES = [
  'See `infra/lb.tf:1-20` for the whole file.',
  'The listener is `infra/lb.tf#aws_lb_listener.https`, the balancer `infra/lb.tf#aws_lb.nothing`.',
  'Old notes live in `infra/missing.tf`.',
  'Read [the rollback](processes/web-release.md#rollback) and [setup](../guide.md#nowhere).',
  'TASK-003 and TASK-002 follow.',
  'Check `dns.tf` before switching.',
  '- **Last Validated**: 2026-11-01',
  '### TASK-003: Add a canary stage',
  'The canary is in `scripts/canary.sh:1-3`.',
];

/** Whole texts of code files: markers that name processes (known or not), longer and shorter files. */
const CODE = [
  '# Deployment Process: Web Release\nresource "aws_lb" "main" {\n  name = "web"\n}\n',
  '# Deployment Process: Canary Rollout\n# Environment: staging\necho canary\n',
  'resource "aws_route53_record" "web" {\n  name = "web"\n}\n'.repeat(6),
  '# Deployment Process: DNS Failover\n# Reference: docs/processes/dns-failover.md#steps\n# waymark-ignore-next-line missing-file\n# Reference: infra/old.tf\necho failover\n',
];

/** Files that may appear, with their first text. */
const NEW_FILES: Record<string, string> = {
  'infra/modules/dns.tf': CODE[2],
  'scripts/canary.sh': CODE[1],
  'docs/processes/canary-rollout.md': '# Deployment Process: Canary Rollout\n\n- **Last Validated**: 2026-10-01\n\nRun `scripts/canary.sh:1-2`; see [web release](web-release.md#steps).\n',
  'docs/platform/TASK-002-implementation-summary.md':
    '# Infrastructure Implementation Summary: TASK-002 - Automate rollbacks\n\n**Task ID**: TASK-002\n**Status**: In Progress\n\n- `scripts/release.sh:1-4`: rollback\n',
  'docs/notes.md': '# Notes\n\nSee `infra/lb.tf:3-5` and [the plan](platform/plan.md#tasks).\n',
};

const PROCESS_NAMES = ['Web Release', 'Web Rollout', 'DNS Failover', 'Canary Rollout'];

type Step =
  | { kind: 'append'; file: number; line: number }
  | { kind: 'rename-process'; file: number; name: number }
  | { kind: 'code'; file: number; text: number }
  | { kind: 'create'; file: number }
  | { kind: 'delete'; file: number }
  | { kind: 'move'; file: number; to: number };

const index = fc.nat({ max: 1000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), file: index, line: fc.nat({ max: LINES.length - 1 }) }),
  fc.record({ kind: fc.constant('rename-process' as const), file: index, name: fc.nat({ max: PROCESS_NAMES.length - 1 }) }),
  fc.record({ kind: fc.constant('code' as const), file: index, text: fc.nat({ max: CODE.length - 1 }) }),
  fc.record({ kind: fc.constant('create' as const), file: fc.nat({ max: Object.keys(NEW_FILES).length - 1 }) }),
  fc.record({ kind: fc.constant('delete' as const), file: index }),
  fc.record({ kind: fc.constant('move' as const), file: index, to: fc.nat({ max: Object.keys(NEW_FILES).length - 1 }) }),
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
  switch (taken.kind) {
    case 'append': {
      const file = pick(documents, taken.file);
      return file ? write(file, `${readFileSync(path.join(dir, file), 'utf8')}\n${LINES[taken.line]}\n`) : [];
    }
    case 'rename-process': {
      const file = pick(documents.filter((document) => document.includes('processes/')), taken.file);
      if (!file) return [];
      const [, ...rest] = readFileSync(path.join(dir, file), 'utf8').split('\n');
      return write(file, [`# Deployment Process: ${PROCESS_NAMES[taken.name]}`, ...rest].join('\n'));
    }
    case 'code': {
      const file = pick(code, taken.file);
      return file ? write(file, CODE[taken.text]) : [];
    }
    case 'create': {
      const [file, text] = Object.entries(NEW_FILES)[taken.file];
      return existsSync(path.join(dir, file)) ? [] : write(file, text);
    }
    case 'delete': {
      const file = pick(files, taken.file);
      if (!file) return [];
      unlinkSync(path.join(dir, file));
      return [file];
    }
    case 'move': {
      const file = pick(files, taken.file);
      const to = Object.keys(NEW_FILES)[taken.to];
      if (!file || existsSync(path.join(dir, to))) return [];
      mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
      renameSync(path.join(dir, file), path.join(dir, to));
      return [file, to];
    }
  }
}


describe('the incremental resident engine', () => {
  it('gives a fresh scan’s result after any sequence of edits, new files, deletions and renames', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        await expectStepsLikeFresh(copyFixture(), steps, apply);
      }),
      { numRuns: Number(process.env.RUNS ?? 25) },
    );
  });

  it('does the same work for one edit in a repository four times as large', async () => {
    const work = async (modules: number) => {
      const dir = path.join(scratch, `growth-${modules}`);
      for (let n = 0; n < modules; n++) {
        const name = `Service ${n} Deploy`;
        mkdirSync(path.join(dir, 'docs/processes'), { recursive: true });
        mkdirSync(path.join(dir, 'infra'), { recursive: true });
        writeFileSync(path.join(dir, `docs/processes/service-${n}.md`), `# Deployment Process: ${name}\n\n- **Last Validated**: 2026-10-01\n\nApply \`infra/service-${n}.tf:1-3\`; see [the first](service-0.md).\n`);
        writeFileSync(path.join(dir, `infra/service-${n}.tf`), `# Deployment Process: ${name}\nresource "null_resource" "s${n}" {\n}\n`);
      }
      const engine = await ResidentEngine.open(dir);
      const edited = path.join(dir, 'docs/processes/service-1.md');
      writeFileSync(edited, `${readFileSync(edited, 'utf8')}\nAlso \`infra/service-2.tf:1-2\` and \`infra/nowhere.tf\`.\n`);
      engine.changed(['docs/processes/service-1.md']);
      const { relinked, rechecked, result } = await engine.check();
      expect(result.graph.diagnostics.map((diagnostic) => `${diagnostic.file} ${diagnostic.rule}`)).toContain('docs/processes/service-1.md missing-file');
      return { relinked, rechecked };
    };
    const small = await work(20);
    expect(small.relinked).toBeGreaterThan(0);
    expect(await work(80)).toEqual(small);
  });
});
