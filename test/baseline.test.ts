/**
 * The baseline (`waymark-suppressions.json`): fingerprints that survive edits
 * above a problem and rewordings of its message, counts per entry, unused
 * entries reported and pruned, and `check` failing only on new problems.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprinter } from '../src/core/baseline/fingerprint.ts';
import { applySuppressions, parseSuppressions, pruneSuppressions, suppressAll, SUPPRESSIONS_FILE } from '../src/core/baseline/suppressions.ts';
import { main, type CliIo } from '../src/cli/main.ts';
import { scanRepository } from '../src/node/scan.ts';
import { sarifReporter } from '../src/reporters/sarif.ts';
import { diagnosticLines, fixturesDir } from './helpers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-baseline-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const DOC = 'docs/processes/web-release.md';

/** A fresh copy of the broken-references fixture (14 errors). */
function brokenCopy(name: string): string {
  const root = path.join(scratch, name);
  cpSync(path.join(fixturesDir, 'broken-references/repo'), root, { recursive: true });
  return root;
}

function edit(root: string, file: string, change: (text: string) => string): void {
  const absolute = path.join(root, file);
  writeFileSync(absolute, change(readFileSync(absolute, 'utf8')));
}

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const scan = (root: string) => scanRepository(root, { suppressions: false });

describe('fingerprints', () => {
  it('stay the same when lines are added above a problem, and differ between problems', async () => {
    const root = brokenCopy('shift');
    const before = await scan(root);
    const printsBefore = before.graph.diagnostics.map(fingerprinter(before.graph));
    edit(root, DOC, (text) => text.replace('\n', '\n\nA new paragraph,\nover three lines,\nabove everything.\n'));
    const after = await scan(root);
    expect(after.graph.diagnostics.map((d) => d.line)).not.toEqual(before.graph.diagnostics.map((d) => d.line));
    expect(after.graph.diagnostics.map(fingerprinter(after.graph))).toEqual(printsBefore);
    // `#rollbak` and `docs/processes/web-release.md#rollbak` are two texts: every problem here has its own.
    expect(new Set(printsBefore).size).toBe(printsBefore.length);
  });

  it('ignore the message: a reworded message keeps the fingerprint, another reference text changes it', async () => {
    const { graph } = await scan(brokenCopy('reword'));
    const fingerprint = fingerprinter(graph);
    const [first] = graph.diagnostics;
    expect(fingerprint({ ...first, message: 'something else entirely' } as typeof first)).toBe(fingerprint(first));
    expect(fingerprint({ ...first, rule: 'missing-anchor' })).not.toBe(fingerprint(first));
    expect(fingerprint({ ...first, column: first.column + 1 })).not.toBe(fingerprint(first));
  });
});

describe('a suppressions file', () => {
  it('suppresses what it recorded, reports the excess of an entry in full, and lists unused entries', async () => {
    const root = brokenCopy('apply');
    const base = await scan(root);
    const file = suppressAll(base.graph.diagnostics, fingerprinter(base.graph));
    expect(file.suppressions.reduce((sum, entry) => sum + entry.count, 0)).toBe(14);
    // One more `[…](#rollbak)` (its entry allows one), one missing file fixed.
    edit(root, DOC, (text) => `${text.replace('scripts/deplyo.sh', 'scripts/deploy.sh')}\nAgain: [rollback](#rollbak).\n`);
    const now = await scan(root);
    const outcome = applySuppressions(now.graph.diagnostics, fingerprinter(now.graph), file);
    expect(diagnosticLines(outcome.active).map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
      `${DOC}:42:32 missing-anchor`,
      `${DOC}:64:19 missing-anchor`,
    ]);
    expect(outcome.suppressed).toHaveLength(12);
    expect(outcome.unused).toEqual([expect.objectContaining({ file: DOC, rule: 'missing-file', count: 1 })]);
    const pruned = pruneSuppressions(now.graph.diagnostics, fingerprinter(now.graph), file);
    expect(pruned.suppressions).toHaveLength(file.suppressions.length - 1);
    expect(pruned.suppressions.reduce((sum, entry) => sum + entry.count, 0)).toBe(13);
  });

  it('is refused, naming the field, when it is not what Waymark writes', () => {
    expect(parseSuppressions('{')).toEqual({ problem: `\`${SUPPRESSIONS_FILE}\` is not valid JSON` });
    const bad = parseSuppressions(JSON.stringify({ version: 1, suppressions: [{ file: 'a', rule: 'r', fingerprint: 'x', count: 1 }] }));
    expect(bad).toEqual({ problem: expect.stringContaining('`suppressions.0.fingerprint`') });
  });
});

describe('waymark check with a baseline', () => {
  it('--suppress-all records today, then only a new problem fails; --prune-suppressions drops the fixed one', async () => {
    const root = brokenCopy('cli');
    const first = await cli(['check', '--repo', root, '--no-cache', '--suppress-all'], root);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`recorded 14 problems in ${SUPPRESSIONS_FILE}`);
    const recorded = readFileSync(path.join(root, SUPPRESSIONS_FILE), 'utf8');
    expect(JSON.parse(recorded).suppressions[0]).toEqual({ file: DOC, rule: 'ambiguous-reference', fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/), count: 1 });

    expect(await cli(['check', '--repo', root, '--no-cache'], root)).toMatchObject({ code: 0, stderr: expect.stringContaining('14 known problems suppressed') });
    // `graph` is the whole picture: the baseline is a policy of check and build.
    expect(JSON.parse((await cli(['graph', '--repo', root, '--no-cache'], root)).stdout).diagnostics).toHaveLength(14);

    // The new reference goes above the document, not after its Change History (a record of the past).
    edit(root, DOC, (text) => `Moved down; see \`scripts/nothere.sh\`.\n\n${text.replace('scripts/deplyo.sh', 'scripts/deploy.sh')}`);
    const after = await cli(['check', '--repo', root, '--no-cache'], root);
    expect(after.code).toBe(1);
    expect(after.stdout.split('\n').filter((line) => line.includes(' error '))).toEqual([
      expect.stringMatching(/^docs\/processes\/web-release\.md:\d+:\d+ {2}error {2}`scripts\/nothere\.sh` does not exist/),
    ]);
    expect(after.stderr).toContain('1 suppressed problem is gone (fixed?)');
    expect(after.stderr).toContain(`  ${DOC}  missing-file`);

    const pruned = await cli(['check', '--repo', root, '--no-cache', '--prune-suppressions'], root);
    expect(pruned.stderr).toContain('pruned 1 fixed problem');
    expect(pruned.stderr).not.toContain('gone (fixed?)');
    expect(JSON.parse(readFileSync(path.join(root, SUPPRESSIONS_FILE), 'utf8')).suppressions).toHaveLength(13);
  });

  it('gives SARIF results the baseline fingerprint', async () => {
    const { graph } = await scan(brokenCopy('sarif'));
    const fingerprint = fingerprinter(graph);
    const sarif = JSON.parse(sarifReporter({ diagnostics: graph.diagnostics, pathPrefix: '', version: '0', fingerprint }));
    expect(sarif.runs[0].results.map((result: { partialFingerprints: Record<string, string> }) => result.partialFingerprints['waymark/v1'])).toEqual(
      graph.diagnostics.map(fingerprint),
    );
  });

  it('refuses a suppressions file that is a symbolic link or broken JSON (exit 2)', async () => {
    const root = brokenCopy('hostile');
    writeFileSync(path.join(scratch, 'elsewhere.json'), '{"version":1,"suppressions":[]}');
    symlinkSync(path.join(scratch, 'elsewhere.json'), path.join(root, SUPPRESSIONS_FILE));
    expect(await cli(['check', '--repo', root, '--no-cache'], root)).toMatchObject({ code: 2, stderr: expect.stringContaining('is a symbolic link') });
    rmSync(path.join(root, SUPPRESSIONS_FILE));
    writeFileSync(path.join(root, SUPPRESSIONS_FILE), '{"version": 2}');
    expect(await cli(['check', '--repo', root, '--no-cache'], root)).toMatchObject({ code: 2, stderr: expect.stringContaining(SUPPRESSIONS_FILE) });
  });
});
