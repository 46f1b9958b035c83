/**
 * The resident engine patches the graph's lists per file (`GraphLists` in
 * `src/core/graph/link-graph.ts`, the published references in
 * `checkGraph`): a save copies the last link's lists and replaces the saved
 * files' runs. Where that can go wrong: a file that loses its last reference
 * (its run goes) or gains its first, two files that do both in one save (as
 * many runs as before, shifted), a file whose marker names an unknown
 * process, a cited file that shrinks under its citers' ranges, a cited
 * file or a document renamed. After each, the result must
 * be a fresh scan's, byte for byte; the saves that keep the file order must
 * have taken the patched path (one or two files tied again, the stage kept).
 * Own fixture (test/fixtures/resident-patched-lists), no git history.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResidentCheck } from '../src/node/resident.ts';
import { expectStepsLikeFresh, fixtureCopies } from './resident-equality.ts';

const { copy: copyFixture } = fixtureCopies('resident-patched-lists');

interface Step {
  what: string;
  /** Each file's text replaced (`from` → `to`), or a file renamed. */
  edits?: { file: string; from: string; to: string }[];
  rename?: { from: string; to: string };
  /** The check ties again only these many files and keeps the stage (the patched path). */
  patched?: number;
}

const STEPS: Step[] = [
  { what: 'a code file with markers loses its only reference', edits: [{ file: 'infra/logs.tf', from: '# Reference: scripts/rotate.sh\n', to: '' }], patched: 1 },
  {
    what: 'it gains it back while another file loses its only one (as many runs, shifted)',
    edits: [
      { file: 'infra/logs.tf', from: '# Environment: production\n', to: '# Environment: production\n# Reference: scripts/rotate.sh:1-3\n' },
      { file: 'scripts/failover.sh', from: '# Reference: infra/db.tf:5-8\n', to: '' },
    ],
    patched: 2,
  },
  { what: 'a note gains a broken reference', edits: [{ file: 'docs/notes/oncall.md', from: 'The rotation', to: 'Old scripts were in `scripts/old-rotate.sh`.\nThe rotation' }], patched: 1 },
  { what: 'a process document loses a step reference', edits: [{ file: 'docs/processes/db-failover.md', from: 'Promote the replica defined in `infra/db.tf:5-8`.', to: 'Promote the replica.' }], patched: 1 },
  { what: 'a marker names a process no document defines (the stage is built again)', edits: [{ file: 'scripts/failover.sh', from: '# Process: Database Failover', to: '# Process: Database Switchover' }] },
  { what: 'the file with the unknown process gains a reference', edits: [{ file: 'scripts/failover.sh', from: 'echo promote', to: '# Reference: infra/db.tf:1-4\necho promote' }], patched: 1 },
  {
    what: 'a cited file shrinks below the cited lines (its citers’ problems change, not their runs)',
    edits: [{ file: 'infra/db.tf', from: 'resource "null_resource" "primary" {\n  triggers = { role = "primary" }\n}\nresource "null_resource" "replica" {\n  triggers = { role = "replica" }\n}\n', to: 'resource "null_resource" "primary" {}\n' }],
    patched: 1,
  },
  {
    what: 'it grows back (their problems go, nothing of theirs is written)',
    edits: [{ file: 'infra/db.tf', from: 'resource "null_resource" "primary" {}\n', to: 'resource "null_resource" "primary" {\n  triggers = { role = "primary" }\n}\n' }],
    patched: 1,
  },
  { what: 'a note loses every reference', edits: [{ file: 'docs/notes/oncall.md', from: 'Old scripts were in `scripts/old-rotate.sh`.\nThe rotation script is `scripts/rotate.sh`.\n', to: '' }] },
  { what: 'a cited script is renamed', rename: { from: 'scripts/rotate.sh', to: 'scripts/rotate-logs.sh' } },
  {
    what: 'its citers follow the new name',
    edits: [
      { file: 'docs/processes/log-rotation.md', from: 'scripts/rotate.sh', to: 'scripts/rotate-logs.sh' },
      { file: 'infra/logs.tf', from: 'scripts/rotate.sh', to: 'scripts/rotate-logs.sh' },
    ],
    patched: 2,
  },
  { what: 'a document is renamed', rename: { from: 'docs/notes/oncall.md', to: 'docs/notes/on-call.md' } },
  { what: 'a process document is renamed', rename: { from: 'docs/processes/log-rotation.md', to: 'docs/processes/logs.md' } },
];

function apply(dir: string, step: Step): string[] {
  if (step.rename) {
    renameSync(path.join(dir, step.rename.from), path.join(dir, step.rename.to));
    return [step.rename.from, step.rename.to];
  }
  const changed = new Set<string>();
  for (const edit of step.edits ?? []) {
    const file = path.join(dir, edit.file);
    const text = readFileSync(file, 'utf8');
    // Every step must change something: a step that edits nothing would pass whatever the engine does.
    expect(text, `${step.what}: ${edit.file}`).toContain(edit.from);
    writeFileSync(file, text.split(edit.from).join(edit.to));
    changed.add(edit.file);
  }
  return [...changed];
}

describe('the resident engine’s patched lists', () => {
  it('gives a fresh scan’s result when a save removes, adds or moves references, and when files are renamed', async () => {
    const dir = copyFixture();
    const checks: { step: Step; check: ResidentCheck }[] = [];
    let current: Step | undefined;
    await expectStepsLikeFresh(
      dir,
      STEPS,
      (at, _files, step) => {
        current = step;
        return apply(at, step);
      },
      (check) => checks.push({ step: current!, check }),
    );
    expect(checks.map(({ step }) => step.what)).toEqual(STEPS.map((step) => step.what));
    for (const { step, check } of checks) {
      if (step.patched === undefined) continue;
      expect({ what: step.what, relinked: check.relinked, keptStage: check.keptStage }).toEqual({ what: step.what, relinked: step.patched, keptStage: true });
    }
    // The renames went through a new file list.
    expect(checks.filter(({ check }) => check.rediscovered).map(({ step }) => step.what)).toEqual(STEPS.filter((step) => step.rename).map((step) => step.what));
  });
});
