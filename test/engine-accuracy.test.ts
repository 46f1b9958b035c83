/**
 * The accuracy promise of issue 2: Waymark flags every reference whose line
 * range is past the end of its file and every reference to a file that exists
 * nowhere, resolves bare file names, document-relative and
 * sub-project-relative paths that do exist without false alarms, and treats
 * placeholders in playbook templates as non-references.
 *
 * Checked against the fixtures' hand-written expectations
 * (`expected-references.json`, `expected-markers.json`,
 * `expected-changes.json`), against the embedded example repository, and
 * against a copy of the example with a file cut short and another renamed.
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { resolveConfig } from '../src/core/config/config.ts';
import { extractFacts } from '../src/core/extract/extract.ts';
import type { Graph, Reference } from '../src/core/schema.ts';
import { scanRepository } from '../src/node/scan.ts';
import { diagnosticLines, fixturesDir, projectRoot } from './helpers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-accuracy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const exampleRepo = path.join(projectRoot, 'content/example-infra');
const fixtureRepo = (name: string) => path.join(fixturesDir, name, 'repo');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8'));

/** The graph as tools see it: `waymark graph` (in-process), parsed. */
async function graphJson(repo: string): Promise<Graph> {
  let stdout = '';
  let stderr = '';
  const code = await main(['graph', '--repo', repo], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: scratch,
    env: {},
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(stdout);
}

const place = (reference: Pick<Reference, 'source'>) => `${reference.source.file}:${reference.source.line}:${reference.source.column}`;
/** `file:line:col raw status`, how a reference is shown when an assertion fails. */
const shown = (reference: Reference) => `${place(reference)} ${reference.raw} ${reference.status}`;
const showAll = (references: Reference[], keep: (reference: Reference) => unknown) => references.filter(keep).map(shown);

/** Statuses that are not a problem: a file or folder that exists, a known id kind, a URL. */
const RESOLVED = new Set(['ok', 'id', 'external']);

describe('expected-references.json', () => {
  interface ExpectedReference {
    file: string;
    line: number;
    column: number;
    raw: string;
    status: string;
    targets?: string[];
  }

  describe.each(['reference-forms', 'doc-relative-and-subproject'])('%s', (name) => {
    const expected = readJson<ExpectedReference[]>(path.join(fixturesDir, name, 'expected-references.json'));
    let graph: Graph;
    beforeAll(async () => {
      graph = await graphJson(fixtureRepo(name));
    });

    it('lists references', () => {
      expect(expected.length).toBeGreaterThan(15);
    });

    it('finds every listed reference at its place, with its raw text, status and target', () => {
      const byPlace = new Map(graph.references.map((reference) => [`${place(reference)} ${reference.raw}`, reference]));
      const render = (entry: ExpectedReference, found: { status: string; targets?: string[] } | undefined) =>
        `${entry.file}:${entry.line}:${entry.column} ${entry.raw} → ${found ? found.status : 'NOT FOUND'}` +
        (entry.targets && found ? ` ${JSON.stringify(found.targets)}` : '');
      const actual = expected.map((entry) => render(entry, byPlace.get(`${entry.file}:${entry.line}:${entry.column} ${entry.raw}`)));
      expect(actual).toEqual(expected.map((entry) => render(entry, entry)));
    });

    it('raises no false alarm: every reference resolves and nothing is reported', () => {
      expect(showAll(graph.references, (reference) => !RESOLVED.has(reference.status) || reference.problem)).toEqual([]);
      expect(diagnosticLines(graph.diagnostics)).toEqual([]);
    });

    it('resolves every path reference to files that exist, within their length', () => {
      const lineCount = new Map(graph.files.map((file) => [file.path, file.lineCount]));
      const known = new Set(graph.paths);
      for (const reference of graph.references.filter((candidate) => candidate.status === 'ok')) {
        for (const target of reference.targets) {
          // A folder reference (`infra/`) resolves to the folder: some file lies under it.
          expect(known.has(target) || graph.paths.some((file) => file.startsWith(`${target.replace(/\/$/, '')}/`))).toBe(true);
          if (reference.lines && known.has(target)) expect(reference.lines.end).toBeLessThanOrEqual(lineCount.get(target) ?? Infinity);
        }
      }
    });
  });

  it('reference-forms: text that only looks like a reference is not one', async () => {
    const graph = await graphJson(fixtureRepo('reference-forms'));
    const raws = graph.references.map((reference) => reference.raw);
    for (const decoy of ['127.0.0.1:3000', '23:45', 'OrderService.Refund:100-105']) {
      expect(raws.filter((raw) => raw.includes(decoy))).toEqual([]);
    }
  });
});

describe('templates: placeholders are not references', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await graphJson(fixtureRepo('templates'));
  });

  it('reports nothing', () => {
    expect(diagnosticLines(graph.diagnostics)).toEqual([]);
  });

  it('takes no reference, process or task from a template', () => {
    const fromTemplates = (file: string) => file.startsWith('docs/templates/') || file.startsWith('templates/');
    expect(showAll(graph.references, (reference) => fromTemplates(reference.source.file))).toEqual([]);
    expect(graph.markers.filter((marker) => fromTemplates(marker.file)).map((marker) => marker.id)).toEqual([]);
    expect(graph.processes.map((process) => process.name)).toEqual(['Web Deploy']);
    expect(graph.tasks).toEqual([]);
  });

  it('reads no placeholder or fenced example as a reference anywhere, the playbook included', () => {
    const placeholder = /\[|\]|line-range|path\/to\/|XXX|YYYY|^file\d*\./;
    expect(showAll(graph.references, (reference) => placeholder.test(reference.raw))).toEqual([]);
    expect(showAll(graph.references, (reference) => !RESOLVED.has(reference.status))).toEqual([]);
    // What the playbook does mention outside its fences: the other playbooks, by id.
    const playbook = graph.references.filter((reference) => reference.source.file.startsWith('docs/playbooks/'));
    expect(new Set(playbook.map((reference) => `${reference.kind} ${reference.raw}`))).toEqual(
      new Set(['id PLAYBOOK_02', 'id PLAYBOOK_04', 'id PLAYBOOK_06']),
    );
  });
});

/** The example's two broken references, kept on purpose (a deleted and a renamed file), with their raw text and status. */
const INTENDED = ['docs/processes/rolling-update.md:28:94 k8s/production-deployment.yaml:8-14 missing', 'docs/runbooks/on-call.md:17:5 infra/output.tf missing'];

describe('the embedded example', () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = await graphJson(exampleRepo);
  });

  it('has many references of every kind, all resolved but the states its history shows on purpose: no false alarm', () => {
    expect(graph.references.length).toBeGreaterThan(200);
    expect(new Set(graph.references.map((reference) => reference.kind))).toEqual(new Set(['path', 'glob', 'id', 'url']));
    // content/example-history/README.md: a deleted and a renamed file cited, stale and moved ranges.
    expect(showAll(graph.references, (reference) => !RESOLVED.has(reference.status) || reference.problem)).toEqual([
      'docs/processes/database-backup-restore.md:20:44 infra/backup.tf:1-67 ok',
      'docs/processes/database-backup-restore.md:46:18 infra/backup.tf:35-60 ok',
      'docs/processes/database-backup-restore.md:62:22 scripts/backup.sh:10-20 ok',
      'docs/processes/health-checks.md:34:39 charts/web/templates/deployment.yaml:42-58 ok',
      'docs/processes/health-checks.md:36:72 infra/lb.tf:41-47 ok',
      ...INTENDED.map((reference) => reference.replace(' missing-file', '')),
    ]);
    expect(graph.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`)).toEqual(
      INTENDED.map((reference) => `${reference.split(' ')[0]} missing-file`),
    );
  });

  it('resolves bare names, document-relative, sub-project-relative and repository-prefixed paths', () => {
    const resolved = (at: string) => {
      const reference = graph.references.find((candidate) => place(candidate) === at);
      return reference && `${reference.raw} → ${reference.status} ${reference.targets.join(',')}`;
    };
    expect(resolved('docs/processes/feature-flag-rollout.md:8:24')).toBe('feature-flags.ts:14-31 → ok app/src/feature-flags.ts');
    expect(resolved('docs/processes/health-checks.md:36:22')).toBe('healthcheck.ts:21-32 → ok app/src/healthcheck.ts');
    expect(resolved('docs/processes/blue-green-rollout.md:27:62')).toBe('../../infra/lb.tf#L70-L105 → ok infra/lb.tf');
    expect(resolved('docs/tasks/status.md:19:62')).toBe(
      'TASK-003-implementation-summary.md → ok docs/tasks/TASK-003-implementation-summary.md',
    );
    expect(resolved('docs/processes/blue-green-rollout.md:45:22')).toBe(
      'charts/web/templates/deployment.yaml:1-40 → ok deploy/charts/web/templates/deployment.yaml',
    );
    expect(resolved('docs/processes/feature-flag-rollout.md:8:50')).toBe('src/feature-flags.ts:3-7 → ok app/src/feature-flags.ts');
    expect(resolved('docs/processes/blue-green-rollout.md:43:18')).toBe('acme-shop/scripts/deploy.sh:31 → ok scripts/deploy.sh');
  });

  describe('a copy with one file cut short and another renamed', () => {
    const truncated = 'infra/rds.tf';
    const keptLines = 40;
    const renamed = { from: 'scripts/rollback.sh', to: 'scripts/roll-back.sh' };
    let mutated: Graph;
    /** An untouched copy, scanned the same way (outside git), so only the two changes differ. */
    let untouched: Graph;

    beforeAll(async () => {
      const original = path.join(scratch, 'example-untouched');
      cpSync(exampleRepo, original, { recursive: true });
      untouched = (await scanRepository(original)).graph;
      const copy = path.join(scratch, 'example-mutated');
      cpSync(exampleRepo, copy, { recursive: true });
      const text = readFileSync(path.join(copy, truncated), 'utf8');
      writeFileSync(path.join(copy, truncated), `${text.split('\n').slice(0, keptLines).join('\n')}\n`);
      renameSync(path.join(copy, renamed.from), path.join(copy, renamed.to));
      mutated = (await scanRepository(copy)).graph;
    });

    it('reports exactly these new problems, at the first character of each reference', () => {
      const before = diagnosticLines(untouched.diagnostics);
      const after = diagnosticLines(mutated.diagnostics);
      expect(before.filter((line) => !after.includes(line))).toEqual([]);
      expect(after.filter((line) => !before.includes(line))).toEqual([
        'Makefile:14:33 missing-file `scripts/rollback.sh` does not exist',
        // The plan's not-started task still means to create it: reported, as info (`missing-file/planned`).
        'docs/plans/infrastructure-improvement-plan.md:37:4 missing-file `scripts/rollback.sh` does not exist',
        'docs/processes/blue-green-rollout.md:28:34 missing-file `scripts/rollback.sh` does not exist',
        'docs/processes/blue-green-rollout.md:86:18 missing-file `scripts/rollback.sh` does not exist',
        'docs/processes/blue-green-rollout.md:88:22 missing-file `scripts/rollback.sh` does not exist',
        'docs/processes/database-backup-restore.md:20:22 line-out-of-range `infra/rds.tf` has 40 lines, so lines 29-59 are past its end',
        'docs/processes/database-backup-restore.md:32:29 line-out-of-range `infra/rds.tf` has 40 lines, so lines 52-54 are past its end',
        'docs/processes/database-backup-restore.md:34:22 line-out-of-range `infra/rds.tf` has 40 lines, so lines 33-59 are past its end',
        'docs/tasks/TASK-001-implementation-summary.md:15:4 missing-file `scripts/rollback.sh` does not exist, yet the summary of task TASK-001 says it was created or modified',
        'docs/tasks/TASK-002-implementation-summary.md:14:4 line-out-of-range `infra/rds.tf` has 40 lines, so line 52 is past its end',
      ]);
    });

    it('flags every reference the original graph says is past the new end or to the renamed file', () => {
      // The oracle is the unmutated graph: which references name the two files, and which lines.
      const pastTheEnd = graph.references
        .filter((reference) => reference.targets.join() === truncated && (reference.lines?.end ?? 0) > keptLines)
        .map((reference) => `${place(reference)} line-out-of-range`);
      // A plan's "Files to create/modify" may name files that do not exist yet: never flagged.
      const plans = new Set(graph.documents.filter((document) => document.kind === 'plan').map((document) => document.path));
      const planned = (reference: Reference) => reference.origin === 'files-modified' && plans.has(reference.source.file);
      const toRenamed = graph.references.filter((reference) => reference.kind === 'path' && reference.targets.includes(renamed.from));
      const gone = toRenamed.filter((reference) => !planned(reference)).map((reference) => `${place(reference)} missing-file`);
      expect(pastTheEnd.length).toBe(4);
      expect(gone.length).toBe(5);
      expect(toRenamed.filter(planned).map(place)).toEqual(['docs/plans/infrastructure-improvement-plan.md:37:4']);

      const errors = mutated.diagnostics
        .filter((diagnostic) => diagnostic.severity === 'error')
        .map((diagnostic) => `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} ${diagnostic.rule}`);
      const intended = INTENDED.map((reference) => `${reference.split(' ')[0]} missing-file`);
      expect(errors.sort()).toEqual([...pastTheEnd, ...gone, ...intended].sort());
    });

    it('suggests the renamed file and marks the references in the graph', () => {
      const intended = new Set(INTENDED.map((reference) => reference.split(' ')[0]));
      const gone = mutated.diagnostics.filter((diagnostic) => diagnostic.rule === 'missing-file' && !intended.has(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`));
      expect(new Set(gone.map((diagnostic) => diagnostic.suggestion))).toEqual(new Set([`did you mean \`${renamed.to}\`?`]));
      // The graph marks the same references: `missing` for the renamed file, `ok` (but too short) for the cut one.
      const flagged = mutated.references.filter((reference) => reference.problem).map((reference) => `${shown(reference)} ${reference.problem}`);
      expect(flagged.sort()).toEqual([
        'Makefile:14:33 scripts/rollback.sh missing missing-file',
        'docs/plans/infrastructure-improvement-plan.md:37:4 scripts/rollback.sh missing missing-file',
        'docs/processes/blue-green-rollout.md:28:34 scripts/rollback.sh:13-23 missing missing-file',
        'docs/processes/blue-green-rollout.md:86:18 scripts/rollback.sh missing missing-file',
        'docs/processes/blue-green-rollout.md:88:22 scripts/rollback.sh:13-21 missing missing-file',
        'docs/processes/database-backup-restore.md:20:22 infra/rds.tf:29-59 ok line-out-of-range',
        'docs/processes/database-backup-restore.md:32:29 infra/rds.tf:52-54 ok line-out-of-range',
        'docs/processes/database-backup-restore.md:34:22 infra/rds.tf:33-59 ok line-out-of-range',
        'docs/processes/rolling-update.md:28:94 k8s/production-deployment.yaml:8-14 missing missing-file',
        'docs/tasks/TASK-001-implementation-summary.md:15:4 scripts/rollback.sh missing missing-file',
        'docs/tasks/TASK-002-implementation-summary.md:14:4 infra/rds.tf:52 ok line-out-of-range',
        'docs/runbooks/on-call.md:17:5 infra/output.tf missing missing-file',
      ].sort());
    });
  });
});

describe('expected-markers.json (comment-syntaxes)', () => {
  interface ExpectedMarker {
    file: string;
    line: number;
    column: number;
    process?: string;
    implements?: string;
    environment?: string;
    references: { raw: string; line: number; column: number }[];
  }

  it('finds every marker block, in every comment syntax, with its fields and the place of each reference', async () => {
    const graph = await graphJson(fixtureRepo('comment-syntaxes'));
    const expected = readJson<ExpectedMarker[]>(path.join(fixturesDir, 'comment-syntaxes/expected-markers.json'));
    const referencesById = new Map(graph.references.map((reference) => [reference.id, reference]));
    const render = (marker: ExpectedMarker) =>
      [
        `${marker.file}:${marker.line}:${marker.column}`,
        `process=${marker.process ?? '-'}`,
        `implements=${marker.implements ?? '-'}`,
        `environment=${marker.environment ?? '-'}`,
        ...marker.references.map((reference) => `${reference.raw} @${reference.line}:${reference.column}`),
      ].join(' | ');
    const actual = graph.markers.map((marker) =>
      render({
        ...marker,
        references: marker.references.map((id) => {
          const reference = referencesById.get(id)!;
          return { raw: reference.raw, line: reference.source.line, column: reference.source.column };
        }),
      }),
    );
    expect(actual.sort()).toEqual(expected.map(render).sort());
  });

  it('places a reference on a continuation line at its own line, after an empty tag too', () => {
    const config = resolveConfig({}, 'repo');
    const placed = (file: string, text: string) =>
      extractFacts(file, text, config).markerReferences.map((reference) => `${reference.id} ${reference.raw}`);
    expect(placed('a.sh', '# Deployment Process: X\n# Reference:\n#   docs/x.md,\n#   docs/y.md#a and docs/z.md\n# Task: TASK-001\n')).toEqual([
      'a.sh:3:5 docs/x.md',
      'a.sh:4:5 docs/y.md#a',
      'a.sh:4:21 docs/z.md',
      'a.sh:5:9 TASK-001',
    ]);
    expect(placed('a.ts', '/**\n * Deployment Process: X\n * Reference: docs/a.md,\n *   docs/b.md\n */\n')).toEqual([
      'a.ts:3:15 docs/a.md',
      'a.ts:4:6 docs/b.md',
    ]);
  });
});

describe('expected-changes.json (change-history)', () => {
  interface ExpectedChange {
    file: string;
    line: number;
    version?: string;
    date?: string;
    dateText?: string;
    change: string;
    author?: string;
    rationale?: string;
    taskIds?: string[];
  }

  it('reads every change-history row, whatever the shape of its table', async () => {
    const graph = await graphJson(fixtureRepo('change-history'));
    const expected = readJson<ExpectedChange[]>(path.join(fixturesDir, 'change-history/expected-changes.json'));
    // The expectation lists `dateText` only where the date does not parse; the graph always keeps it.
    const render = (change: ExpectedChange) =>
      [
        `${change.file}:${change.line}`,
        `version=${change.version ?? '-'}`,
        change.date ? `date=${change.date}` : `dateText=${change.dateText ?? '-'}`,
        `change=${change.change}`,
        `author=${change.author ?? '-'}`,
        `rationale=${change.rationale ?? '-'}`,
        `tasks=${(change.taskIds ?? []).join(',')}`,
      ].join(' | ');
    expect(graph.changes.map(render).sort()).toEqual(expected.map(render).sort());
  });
});
