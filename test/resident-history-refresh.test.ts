/**
 * The resident engine's history refresh reads everything again only when git's
 * side moved (a commit, a checkout, `git add`, an ignore file); otherwise it
 * looks at the files saved since the last refresh (`refreshStart` in
 * `src/node/history-scan.ts`). After any sequence of edits, commits, staging,
 * checkouts, deletions and newly ignored files, with a check and a refresh
 * after each, the result must be a fresh scan's, byte for byte; and a save
 * with HEAD and the index unchanged must cost as many work-tree reads and git
 * processes in a repository four times as large. A new history is checked
 * again only where it can change a result (`touchedByHistory`) unless HEAD moved.
 */
import { unlinkSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import './fast-check-seed.ts';
import { ResidentEngine } from '../src/node/resident.ts';
import { scanRepository } from '../src/node/scan.ts';
import { code, removeRepos, Repo } from './git-repo.ts';
import { expectSame } from './resident-equality.ts';

/** Work-tree stats (`lstat`, sync and async) and git processes, counted while `counting` is on. */
const counts = vi.hoisted(() => {
  const state = { counting: false, lstat: 0, git: 0 };
  /** `fn`, counting its calls under `key` (those `when` says). */
  const counted = <F extends (...args: never[]) => unknown>(fn: F, key: 'lstat' | 'git', when: (...args: Parameters<F>) => boolean = () => true): F =>
    ((...args: Parameters<F>) => {
      if (state.counting && when(...args)) state[key]++;
      return fn(...args);
    }) as F;
  return Object.assign(state, { counted });
});
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  const lstatSync = counts.counted(fs.lstatSync, 'lstat');
  return { ...fs, default: { ...fs, lstatSync }, lstatSync };
});
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  const lstat = counts.counted(fs.lstat, 'lstat');
  return { ...fs, default: { ...fs, lstat }, lstat };
});
vi.mock('node:child_process', async (original) => {
  const child = await original<typeof import('node:child_process')>();
  const spawn = counts.counted(child.spawn as (command: string, ...rest: never[]) => unknown, 'git', (command) => command === 'git') as typeof child.spawn;
  return { ...child, default: { ...child, spawn }, spawn };
});

afterAll(removeRepos);

const PROCESS = (cited: string) =>
  `# Deployment Process: API Release\n\n- **Last Validated**: 2026-02-10\n- **Environment**: production\n\n## Steps\n\nApply \`infra/api.tf:5-10\`.\nThen run \`${cited}\`.\n`;

/** A repository with history: the code cited, changed after the document was validated, on two branches. */
function historyRepository(): Repo {
  const repo = new Repo();
  repo.write('infra/api.tf', code(30, 'api'));
  repo.write('scripts/deploy.sh', code(8, 'deploy'));
  repo.write('docs/processes/api-release.md', PROCESS('scripts/deploy.sh:2-4'));
  repo.write('docs/notes.md', '# Notes\n\nThe report is `build/report.md`; the older one `build/old.md`.\n');
  repo.commit('2026-02-01', 'First');
  repo.write('infra/api.tf', `${code(3, 'top')}${code(30, 'api')}`);
  repo.commit('2026-03-01', 'Lines moved down');
  repo.git('branch', 'other', 'HEAD~1');
  return repo;
}

type Step =
  | { kind: 'edit-code'; lines: number }
  | { kind: 'edit-doc'; variant: number }
  | { kind: 'restore' }
  | { kind: 'commit' }
  | { kind: 'stage' }
  | { kind: 'checkout' }
  | { kind: 'delete' }
  | { kind: 'untracked' }
  | { kind: 'ignore' };

const KINDS = ['edit-code', 'edit-doc', 'restore', 'commit', 'stage', 'checkout', 'delete', 'untracked', 'ignore'] as const;

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('edit-code' as const), lines: fc.integer({ min: 0, max: 4 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('edit-doc' as const), variant: fc.nat({ max: 2 }) }), weight: 3 },
  ...KINDS.filter((kind) => kind !== 'edit-code' && kind !== 'edit-doc').map((kind) => ({ arbitrary: fc.constant({ kind } as Step), weight: 1 })),
);

const DOC_LINES = ['See `infra/api.tf:1-3`.', 'Also `scripts/missing.sh`.', 'And `build/report.md` again.'];

/** Commit everything (nothing too: an empty commit still moves HEAD), dated by the save. */
function commitAll(repo: Repo, saves: number, message: string): void {
  const date = `2026-04-${String(10 + saves).padStart(2, '0')}`;
  repo.git('add', '-A');
  repo.gitAt(date, 'commit', '-q', '--allow-empty', '--date', `${date}T12:00:00+00:00`, '-m', message);
}

/**
 * Apply a step as a user would (an editor's save, a git command); returns the
 * work-tree files it changed, and whether git's side moved (the watcher sees
 * `.git/HEAD` or `.git/index` then).
 */
function apply(repo: Repo, taken: Step, saves: number): { files: string[]; git: boolean } {
  const head = () => repo.git('rev-parse', 'HEAD').trim();
  const changedBetween = (from: string) => repo.git('diff', '--name-only', from, 'HEAD').split('\n').filter(Boolean);
  switch (taken.kind) {
    case 'edit-code':
      repo.write('infra/api.tf', `${code(taken.lines, `new${saves}`)}${code(30, 'api')}`);
      return { files: ['infra/api.tf'], git: false };
    case 'edit-doc':
      repo.write('docs/processes/api-release.md', `${repo.read('docs/processes/api-release.md')}${DOC_LINES[taken.variant]}\n`);
      return { files: ['docs/processes/api-release.md'], git: false };
    case 'restore': {
      const files = repo.git('diff', '--name-only').split('\n').filter(Boolean);
      repo.git('checkout', '--', '.');
      return { files, git: false };
    }
    case 'commit': {
      const before = head();
      commitAll(repo, saves, `Save ${saves}`);
      return { files: changedBetween(before), git: true };
    }
    case 'stage':
      repo.git('add', '-A');
      return { files: [], git: true };
    case 'checkout': {
      const before = head();
      const branch = repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim();
      // Uncommitted work goes with a commit of its own first, so the checkout never refuses.
      commitAll(repo, saves, `Before leaving ${branch}`);
      const committed = changedBetween(before);
      const middle = head();
      repo.git('checkout', '-q', branch === 'other' ? 'main' : 'other');
      return { files: [...new Set([...committed, ...changedBetween(middle)])], git: true };
    }
    case 'delete':
      try {
        unlinkSync(`${repo.dir}/scripts/deploy.sh`);
      } catch {
        return { files: [], git: false };
      }
      return { files: ['scripts/deploy.sh'], git: false };
    case 'untracked':
      repo.write('build/report.md', `# Report ${saves}\n`);
      return { files: ['build/report.md'], git: false };
    case 'ignore':
      repo.write('.gitignore', 'build/\n');
      return { files: ['.gitignore'], git: false };
  }
}

/** Open an engine, then after each step: check, refresh history, and compare with a fresh scan. */
async function expectRefreshesLikeFresh(repo: Repo, steps: readonly Step[]): Promise<ResidentEngine['historyReads']> {
  const engine = await ResidentEngine.open(repo.dir);
  expectSame(engine.result, await scanRepository(repo.dir), 'opened');
  let saves = 0;
  for (const taken of steps) {
    const { files, git } = apply(repo, taken, ++saves);
    if (git) engine.relistNext();
    if (files.length) engine.changed(files);
    await engine.check();
    await engine.refreshHistory();
    expectSame(engine.result, await scanRepository(repo.dir), `${saves}: ${JSON.stringify(taken)}`);
  }
  return engine.historyReads;
}

describe('the resident engine’s history refresh', () => {
  it('gives a fresh scan’s result after edits, a commit, `git add`, a checkout, a deletion and a newly ignored file', async () => {
    const steps: Step[] = [
      { kind: 'edit-code', lines: 2 },
      { kind: 'edit-doc', variant: 0 },
      { kind: 'edit-code', lines: 4 },
      { kind: 'stage' },
      { kind: 'edit-doc', variant: 2 },
      { kind: 'untracked' },
      { kind: 'ignore' },
      { kind: 'edit-code', lines: 0 },
      { kind: 'commit' },
      { kind: 'edit-code', lines: 1 },
      { kind: 'delete' },
      { kind: 'checkout' },
      { kind: 'edit-doc', variant: 1 },
      { kind: 'restore' },
    ];
    const reads = await expectRefreshesLikeFresh(historyRepository(), steps);
    // Both ways were taken, so both were compared with a fresh scan: reading, and checking again.
    expect(reads.quick).toBeGreaterThanOrEqual(6);
    expect(reads.full).toBeGreaterThanOrEqual(4);
    expect(reads.partialChecks).toBeGreaterThanOrEqual(3);
    expect(reads.wholeChecks).toBeGreaterThanOrEqual(2);
  });

  it('gives a fresh scan’s result after any sequence of steps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        await expectRefreshesLikeFresh(historyRepository(), steps);
      }),
      { numRuns: Number(process.env.RUNS ?? 6) },
    );
  });

  it('reads the work tree for the saved files only while HEAD and the index stay, however large the index', async () => {
    const work = async (modules: number) => {
      const repo = new Repo();
      for (let n = 0; n < modules; n++) {
        repo.write(`infra/service-${n}.tf`, code(12, `service${n}`));
        repo.write(`docs/processes/service-${n}.md`, `# Deployment Process: Service ${n}\n\n- **Last Validated**: 2026-02-10\n\nApply \`infra/service-${n}.tf:2-6\`.\n`);
      }
      repo.commit('2026-02-01', 'First');
      const engine = await ResidentEngine.open(repo.dir);
      const save = async (text: string) => {
        repo.write('docs/processes/service-1.md', `${repo.read('docs/processes/service-1.md')}${text}\n`);
        engine.changed(['docs/processes/service-1.md']);
        await engine.check();
        Object.assign(counts, { counting: true, lstat: 0, git: 0 });
        await engine.refreshHistory();
        counts.counting = false;
        expectSame(engine.result, await scanRepository(repo.dir), text);
        return { lstat: counts.lstat, git: counts.git };
      };
      await save('First save.');
      const quick = await save('Second save: git has nothing new to say.');
      // `git add`: the index moved, so everything is read again — every index entry's stat data is compared.
      repo.git('add', '-A');
      engine.relistNext();
      const full = await save('Third save, after `git add`.');
      return { quick, full, reads: engine.historyReads };
    };
    const small = await work(10);
    const large = await work(40);
    expect(small.quick.git).toBe(0);
    expect(large.quick).toEqual(small.quick);
    expect(small.reads).toMatchObject({ full: 1, quick: 2 });
    // The counters see a whole read's work: it grows with the index.
    expect(small.full.lstat).toBeGreaterThan(2 * 10);
    expect(large.full.lstat).toBeGreaterThan(2 * 40);
    expect(large.full.git).toBeGreaterThan(0);
  });

  it('judges only the new missing paths, asks git about them without a new process, and checks again only the files naming them, however many files name other missing paths', async () => {
    const work = async (modules: number) => {
      const repo = new Repo();
      for (let n = 0; n < modules; n++) {
        repo.write(`infra/service-${n}.tf`, code(12, `service${n}`));
        repo.write(`docs/processes/service-${n}.md`, `# Deployment Process: Service ${n}\n\n- **Last Validated**: 2026-02-10\n\nApply \`infra/service-${n}.tf:2-6\`, then \`scripts/gone-${n}.sh\`.\n`);
      }
      repo.commit('2026-02-01', 'First');
      const engine = await ResidentEngine.open(repo.dir);
      const perSave: Array<{ pathsJudged: number; recheckedFiles: number; full: number; git: number }> = [];
      for (let save = 1; save <= 3; save++) {
        // Each save names a path that exists nowhere, as typing a reference does.
        repo.write('docs/processes/service-1.md', `${repo.read('docs/processes/service-1.md')}And \`infra/typed-${save}.tf:1-5\`.\n`);
        engine.changed(['docs/processes/service-1.md']);
        await engine.check();
        const before = engine.historyReads;
        Object.assign(counts, { counting: true, lstat: 0, git: 0 });
        await engine.refreshHistory();
        counts.counting = false;
        const after = engine.historyReads;
        expectSame(engine.result, await scanRepository(repo.dir), `save ${save}`);
        perSave.push({ pathsJudged: after.pathsJudged - before.pathsJudged, recheckedFiles: after.recheckedFiles - before.recheckedFiles, full: after.full - before.full, git: counts.git });
      }
      return perSave;
    };
    const small = await work(5);
    const large = await work(20);
    // The later saves: one new path (its spellings from the root and from the document's folder), the saved document checked again.
    expect(small.slice(1)).toEqual(large.slice(1));
    for (const save of large.slice(1)) {
      expect(save.full).toBe(0);
      // The new path is asked of the `check-ignore` the first save started: no git process.
      expect(save.git).toBe(0);
      expect(save.pathsJudged).toBeLessThanOrEqual(2);
      expect(save.recheckedFiles).toBeLessThanOrEqual(1);
    }
  });

  it('waits for the checks between its reads, and does not read again for an edit checked meanwhile (`pause`)', async () => {
    const repo = historyRepository();
    const engine = await ResidentEngine.open(repo.dir);
    const edit = async (text: string) => {
      repo.write('docs/processes/api-release.md', `${repo.read('docs/processes/api-release.md')}${text}\n`);
      engine.changed(['docs/processes/api-release.md']);
      await engine.check();
    };
    await edit('See `infra/api.tf:1-3`.');
    let pauses = 0;
    // The edit arrives while the refresh reads: its check runs at the refresh's next pause.
    const pause = async () => {
      if (++pauses === 3) await edit('Also `scripts/missing.sh`.');
    };
    await engine.refreshHistory({ pause });
    expect(pauses).toBeGreaterThan(3);
    // One read (not a second one for the newer graph), checked with as it was; the edit's own refresh comes next.
    expect(engine.historyReads).toMatchObject({ quick: 1, full: 0, overtaken: 1 });
    await engine.refreshHistory({ pause: async () => undefined });
    expect(engine.historyReads).toMatchObject({ quick: 2, full: 0, overtaken: 1 });
    expectSame(engine.result, await scanRepository(repo.dir), 'after the edit’s own refresh');
  });
});
