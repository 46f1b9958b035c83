/**
 * What git says about a missing file (issue 12, "Git"): a path the
 * repository's `.gitignore` matches is generated or local by design (class
 * `gitignored`, info); a file that existed and was deleted or renamed stays an
 * error that says so, and `waymark fix` applies a rename; a path no commit
 * ever had is evidence for the confidence model. Each false alarm is paired
 * with a near miss of the same shape that is really broken.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/core/schema.ts';
import { fixRepository } from '../src/node/fix-files.ts';
import { scanRepository } from '../src/node/scan.ts';
import { removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

/** `severity file:line:col message`, sorted, for one rule. */
async function findings(dir: string, rule = 'missing-file', explain = false): Promise<string[]> {
  const { graph } = await scanRepository(dir, { today: '2026-03-01', explain });
  return graph.diagnostics
    .filter((diagnostic: Diagnostic) => diagnostic.rule === rule)
    .map((diagnostic) => `${diagnostic.severity} ${diagnostic.file}:${diagnostic.line}:${diagnostic.column} ${diagnostic.message}`)
    .sort();
}

async function evidence(dir: string, file: string, line: number): Promise<string[]> {
  const { graph } = await scanRepository(dir, { today: '2026-03-01', explain: true });
  return graph.diagnostics.find((diagnostic) => diagnostic.rule === 'missing-file' && diagnostic.file === file && diagnostic.line === line)?.evidence ?? [];
}

describe('missing-file: gitignored paths', () => {
  it('reports a path the .gitignore files match as info, naming the file and pattern', async () => {
    const repo = new Repo();
    repo.write('.gitignore', 'node_modules/\ntmp/\n**/.env.*\n*.tgz\n');
    repo.write('services/api/.gitignore', 'dist/\n');
    repo.write('services/api/src/server.ts', 'export {};\n');
    repo.write(
      'docs/runbook.md',
      [
        '# Runbook',
        '',
        'The app writes its settings to `tmp/settings.json` on first start.',
        'Copy the template to `services/api/.env.local` before running it.',
        'The build writes `services/api/dist/app.js`.',
        'Packaged charts land in `charts/*.tgz`.',
        '',
      ].join('\n'),
    );
    repo.commit('2026-01-10', 'Runbook');
    expect(await findings(repo.dir)).toEqual([
      'info docs/runbook.md:3:33 `tmp/settings.json` does not exist (ignored by `.gitignore:2` (`tmp/`): generated or local by design)',
      'info docs/runbook.md:4:23 `services/api/.env.local` does not exist (ignored by `.gitignore:3` (`**/.env.*`): generated or local by design)',
      'info docs/runbook.md:5:19 `services/api/dist/app.js` does not exist (ignored by `services/api/.gitignore:1` (`dist/`): generated or local by design)',
      'info docs/runbook.md:6:26 no file matches `charts/*.tgz` (ignored by `.gitignore:4` (`*.tgz`): generated or local by design)',
    ]);
    expect(await evidence(repo.dir, 'docs/runbook.md', 3)).toEqual([
      "info: gitignored: the repository's `.gitignore` matches the path: it is generated or written at run time, by design absent from a checkout (also a file git deleted within a day of a change to the file holding that rule, when the rule takes out its first folder: taken out of git to stay local)",
      'written as a backticked path in prose: a mention',
      '`tmp/settings.json` is matched by `.gitignore:2` (`tmp/`)',
    ]);
  });

  it('near miss: the same shapes the ignore rules do not cover stay errors', async () => {
    const repo = new Repo();
    // `tmp/` covers tmp, not temp; `*.log` is ignored but `logs/audit.log` re-included: a missing one is broken.
    repo.write('.gitignore', 'tmp/\n*.log\n!logs/audit.log\n');
    repo.write('config/base.yaml', 'a: 1\n');
    // Written as code references: a bare mention git never saw would be only a warning (`unseen`).
    repo.write('docs/runbook.md', ['# Runbook', '', '**Code Reference**: `temp/settings.json`', '**Code Reference**: `logs/audit.log`', ''].join('\n'));
    repo.commit('2026-01-10', 'Runbook');
    expect(await findings(repo.dir)).toEqual([
      'error docs/runbook.md:3:22 `temp/settings.json` does not exist',
      'error docs/runbook.md:4:22 `logs/audit.log` does not exist',
    ]);
  });

  it('near miss: a binary name that matches the folder of a real source file does not excuse it', async () => {
    const repo = new Repo();
    // Go projects ignore the binaries `go build ./cmd/<name>` writes at the root.
    repo.write('.gitignore', '*.exe\napi-gateway\nworker\n');
    repo.write('cmd/api-gateway/main.go', 'package main\n');
    repo.write('cmd/billing/main.go', 'package main\n');
    repo.write(
      'docs/review.md',
      ['# Review', '', '**File**: `cmd/worker/main.go:12`', '', 'Run the built `worker/bin.log` binary output.', ''].join('\n'),
    );
    repo.commit('2026-01-10', 'Review');
    expect(await findings(repo.dir)).toEqual([
      'error docs/review.md:3:12 `cmd/worker/main.go` does not exist',
      // No tracked `<sibling>/bin.log` beside it: the folder name is the binary's output, ignored by design.
      'info docs/review.md:5:16 `worker/bin.log` does not exist (ignored by `.gitignore:3` (`worker`): generated or local by design)',
    ]);
    expect(await evidence(repo.dir, 'docs/review.md', 3)).toContain(
      '`.gitignore:3` (`worker`) matches `cmd/worker/main.go`, but sibling folders hold tracked files of the same shape: not taken as generated',
    );
  });

  it('near miss: a rule that matches a folder the repository keeps files in does not excuse a missing one', async () => {
    const repo = new Repo();
    repo.write('.gitignore', 'docs/\nout/\n');
    // The guides were added before the rule (or with `git add -f`): the folder is kept, whatever the rule says.
    repo.write('docs/guides/setup.md', '# Setup\n\nNext: [billing](./billing.md), then `out/report.html`.\n');
    repo.git('add', '-f', 'docs/guides/setup.md');
    repo.commit('2026-01-10', 'Guides');
    expect(await findings(repo.dir)).toEqual([
      'error docs/guides/setup.md:3:17 `./billing.md` does not exist: from `docs/guides/setup.md` it is `docs/guides/billing.md`',
      // `out/` keeps nothing: its output is generated.
      'info docs/guides/setup.md:3:38 `out/report.html` does not exist (ignored by `.gitignore:2` (`out/`): generated or local by design)',
    ]);
    expect(await evidence(repo.dir, 'docs/guides/setup.md', 3)).toContain(
      '`.gitignore:1` (`docs/`) matches `docs/guides/billing.md`, but the same rule matches files the repository keeps in `docs/guides/`: not taken as generated',
    );
  });

  it('a file deleted within a day of a change to the ignore file whose rule matches it was taken out of git to stay local (info), though the rule matches a tracked file; one deleted days after the rule came stays an error', async () => {
    const repo = new Repo();
    repo.write('ansible/group_vars/haproxy_vault.yml', 'secret: 1\n').write('ansible/group_vars/pihole_vault.yml', 'secret: 2\n');
    repo.write('ansible/group_vars/tor_vault.yml', 'secret: 3\n');
    repo.write('docs/haproxy.md', '# HAProxy\n\nSecrets live in `ansible/group_vars/haproxy_vault.yml`; Pi-hole\'s in `ansible/group_vars/pihole_vault.yml`.\n');
    repo.commit('2026-01-05', 'Vaults');
    repo.write('ansible/.gitignore', 'group_vars/*_vault.yml\n');
    repo.commit('2026-01-08', 'Keep vault files local');
    repo.git('rm', '-q', '--cached', 'ansible/group_vars/haproxy_vault.yml');
    repo.commit('2026-01-08', 'Stop tracking the HAProxy vault');
    repo.git('rm', '-q', 'ansible/group_vars/pihole_vault.yml');
    const deleted = repo.commit('2026-01-20', 'Drop the Pi-hole vault');
    expect(await findings(repo.dir)).toEqual([
      `error docs/haproxy.md:3:71 \`ansible/group_vars/pihole_vault.yml\` does not exist: it was deleted in ${deleted} on 2026-01-20`,
      'info docs/haproxy.md:3:18 `ansible/group_vars/haproxy_vault.yml` does not exist (ignored by `ansible/.gitignore:1` (`group_vars/*_vault.yml`): generated or local by design)',
    ]);
  });

  it('near miss: a folder rule the repository keeps files under does not excuse a missing source file elsewhere', async () => {
    const repo = new Repo();
    repo.write('.gitignore', 'scripts/\n');
    repo.write('scripts/deploy.sh', 'echo deploy\n');
    repo.git('add', '-f', 'scripts/deploy.sh');
    repo.write('docs/ci.md', '# CI\n\nThe rollout runs `infra/prod/scripts/rollout.sh:1-20`.\n');
    repo.commit('2026-01-10', 'CI');
    expect(await findings(repo.dir)).toEqual(['error docs/ci.md:3:19 `infra/prod/scripts/rollout.sh` does not exist']);
    expect(await evidence(repo.dir, 'docs/ci.md', 3)).toContain(
      '`.gitignore:1` (`scripts/`) matches `infra/prod/scripts/rollout.sh`, but the same rule matches `scripts/deploy.sh`, which the repository keeps: not taken as generated',
    );
  });
});

describe('missing-file: mentions git never saw (class unseen)', () => {
  it('a bare mention no commit ever had, with nothing like it in the tree, is a warning that says why', async () => {
    const repo = new Repo();
    repo.write('services/api/server.ts', 'export {};\n');
    repo.write('docs/sync.md', ['# Session sync', '', '## Client', '', 'The socket client lives in `src/lib/socket-client.ts`.', 'Tests match `client/tests/test_*.py`.', ''].join('\n'));
    repo.commit('2026-01-10', 'Sync doc');
    expect(await findings(repo.dir)).toEqual([
      'warning docs/sync.md:5:29 `src/lib/socket-client.ts` does not exist',
      'warning docs/sync.md:6:14 no file matches `client/tests/test_*.py`',
    ]);
    expect(await evidence(repo.dir, 'docs/sync.md', 5)).toEqual([
      expect.stringMatching(/^warning: unseen: /),
      'written as a backticked path in prose: a mention',
      'git: no commit on the first-parent history ever had `src/lib/socket-client.ts`',
      'no file in the repository resembles it',
    ]);
  });

  it('near misses: a code-reference field, cited lines, a file git deleted, a glob git once matched, a near-identical file: errors', async () => {
    const repo = new Repo();
    repo.write('services/api/server.ts', 'export {};\n');
    repo.write('client/tests/test_login.py', 'def test(): pass\n');
    repo.write('ops/rotate.sh', 'echo rotate\n');
    repo.commit('2026-01-05', 'Code');
    repo.git('rm', '-q', '-r', 'client', 'ops/rotate.sh');
    repo.commit('2026-01-08', 'Drop the client tests and the rotation script');
    repo.write(
      'docs/sync.md',
      [
        '# Session sync',
        '',
        '**Code Reference**: `src/lib/socket-client.ts`',
        'The handshake is at `src/lib/handshake.ts:10-24`.',
        'Rotate keys with `ops/rotate.sh`.',
        'Tests match `client/tests/test_*.py`.',
        'The server is `services/api/servers.ts`.',
        '',
      ].join('\n'),
    );
    repo.commit('2026-01-10', 'Sync doc');
    const deleted = repo.git('rev-parse', '--short', 'HEAD~1').trim();
    expect(await findings(repo.dir)).toEqual([
      'error docs/sync.md:3:22 `src/lib/socket-client.ts` does not exist',
      'error docs/sync.md:4:22 `src/lib/handshake.ts` does not exist',
      `error docs/sync.md:5:19 \`ops/rotate.sh\` does not exist: it was deleted in ${deleted} on 2026-01-08`,
      'error docs/sync.md:6:14 no file matches `client/tests/test_*.py`',
      'error docs/sync.md:7:16 `services/api/servers.ts` does not exist',
    ]);
  });
});

describe('missing-file: a mention under a top folder the repository never had (class unseen)', () => {
  it("a mention under a first folder no commit ever had, abbreviating no file git ever had, is another repository's layout: a warning", async () => {
    const repo = new Repo();
    repo.write('src/lib/analytics/index.ts', 'export {};\n');
    repo.write('docs/ops/analytics.md', ['# Analytics runbook', '', 'The product app tracks events with `frontend/src/lib/analytics/index.ts`.', ''].join('\n'));
    repo.commit('2026-01-10', 'Analytics runbook');
    expect(await findings(repo.dir)).toEqual(['warning docs/ops/analytics.md:3:37 `frontend/src/lib/analytics/index.ts` does not exist']);
    expect(await evidence(repo.dir, 'docs/ops/analytics.md', 3)).toContain('git: no commit ever had a folder `frontend/`, nor a file whose path ends so: another repository\'s layout');
  });

  it('near misses: a first folder git once had, a code-reference field, an abbreviation of a file git renamed: errors', async () => {
    const repo = new Repo();
    repo.write('src/lib/analytics/index.ts', 'export {};\n');
    repo.write('src/pages/admin/settings.tsx', 'export {};\n');
    repo.commit('2026-01-02', 'Settings page');
    repo.move('src/pages/admin/settings.tsx', 'src/pages/admin/SettingsPage.tsx');
    repo.write('web/README.md', '# Web\n');
    repo.commit('2026-01-05', 'Code');
    repo.git('rm', '-q', '-r', 'web');
    repo.commit('2026-01-08', 'Drop the web folder');
    repo.write(
      'docs/ops/analytics.md',
      [
        '# Analytics runbook',
        '',
        'Events go through `web/src/lib/analytics/index.ts`.',
        '',
        '**Code Reference**: `frontend/src/lib/analytics/index.ts`',
        '',
        'The opt-out toggle is in your current `admin/settings.tsx`.',
        '',
      ].join('\n'),
    );
    repo.commit('2026-01-10', 'Analytics runbook');
    const renamed = repo.git('rev-parse', '--short', 'HEAD~2').trim();
    expect(await findings(repo.dir)).toEqual([
      'error docs/ops/analytics.md:3:20 `web/src/lib/analytics/index.ts` does not exist',
      'error docs/ops/analytics.md:5:22 `frontend/src/lib/analytics/index.ts` does not exist',
      `error docs/ops/analytics.md:7:40 \`admin/settings.tsx\` does not exist: it abbreviates \`src/pages/admin/settings.tsx\`, renamed to \`src/pages/admin/SettingsPage.tsx\` in ${renamed} on 2026-01-05`,
    ]);
  });
});

describe('missing-file: a mention of a kind of file the repository never held (class unseen)', () => {
  it("a `.tsx` file named in a repository git never saw a `.tsx` file in is another repository's code: a warning", async () => {
    const repo = new Repo();
    repo.write('src/realtime/server.ts', 'export {};\n');
    repo.write(
      'docs/realtime.md',
      ['# Realtime sync', '', '**Code References**:', '', '- Server: `src/realtime/server.ts`', '- Banner: `src/components/SyncBanner.tsx`', ''].join('\n'),
    );
    repo.commit('2026-01-10', 'Realtime doc');
    expect(await findings(repo.dir)).toEqual(['warning docs/realtime.md:6:12 `src/components/SyncBanner.tsx` does not exist']);
    expect(await evidence(repo.dir, 'docs/realtime.md', 6)).toContain("git: no commit ever had a `.tsx` file: another repository's code");
  });

  it("the section that cites another repository's code lists that repository's files: its other never-seen paths are warnings too; other sections, near names and files git once had stay errors", async () => {
    const repo = new Repo();
    repo.write('src/realtime/server.ts', 'export {};\n');
    repo.write('src/lib/queue.ts', 'export {};\n');
    repo.write('src/lib/retired.ts', 'export {};\n');
    repo.commit('2026-01-02', 'Code');
    repo.git('rm', '-q', 'src/lib/retired.ts');
    repo.commit('2026-01-05', 'Drop the retired helper');
    repo.write(
      'docs/realtime.md',
      [
        '# Realtime sync',
        '',
        '## Code references',
        '',
        '- Server: `src/realtime/server.ts`',
        '- Client socket: `src/lib/socket.ts`',
        '- Sync hook: `src/hooks/useSync.ts`',
        '- Banner: `src/components/SyncBanner.tsx`',
        '- Queue: `src/lib/queues.ts`',
        '- Helper: `src/lib/retired.ts`',
        '',
        '## Operations',
        '',
        '**Code Reference**: `src/ops/restart.ts`',
        '',
      ].join('\n'),
    );
    repo.commit('2026-01-10', 'Realtime doc');
    const deleted = repo.git('rev-parse', '--short', 'HEAD~1').trim();
    expect(await findings(repo.dir)).toEqual([
      'error docs/realtime.md:10:12 `src/lib/retired.ts` does not exist: it was deleted in ' + deleted + ' on 2026-01-05',
      'error docs/realtime.md:14:22 `src/ops/restart.ts` does not exist',
      'error docs/realtime.md:9:11 `src/lib/queues.ts` does not exist',
      'warning docs/realtime.md:6:19 `src/lib/socket.ts` does not exist',
      'warning docs/realtime.md:7:15 `src/hooks/useSync.ts` does not exist',
      'warning docs/realtime.md:8:12 `src/components/SyncBanner.tsx` does not exist',
    ]);
    expect(await evidence(repo.dir, 'docs/realtime.md', 7)).toContain(
      "its section also cites `src/components/SyncBanner.tsx`, of a kind git never held: the section lists another repository's files",
    );
  });

  it('near misses: a kind of file git once held, one the tree holds, a near name, a link, cited lines: errors', async () => {
    const repo = new Repo();
    repo.write('src/realtime/server.ts', 'export {};\n');
    repo.write('src/views/Legacy.vue', '<template></template>\n');
    repo.write('src/views/settings.ts', 'export {};\n');
    repo.write('src/widgets/Clock.jsx', 'export {};\n');
    repo.write('src/components/SyncBanner.ts', 'export {};\n');
    repo.commit('2026-01-02', 'Code');
    repo.git('rm', '-q', 'src/views/Legacy.vue');
    repo.commit('2026-01-05', 'Drop the Vue view');
    repo.write(
      'docs/realtime.md',
      [
        '# Realtime sync',
        '',
        '- Settings: `src/views/Settings.vue`',
        '- Clock: `src/widgets/Clocks.jsx`',
        '- Banner: [banner](../src/components/SyncBanner.tsx)',
        '',
        '**Code Reference**: `src/components/SyncToast.tsx:10-24`',
        '',
        '**Code Reference**: `src/components/SyncBanner.tsx`',
        '',
      ].join('\n'),
    );
    repo.commit('2026-01-10', 'Realtime doc');
    expect(await findings(repo.dir)).toEqual([
      'error docs/realtime.md:3:14 `src/views/Settings.vue` does not exist',
      'error docs/realtime.md:4:11 `src/widgets/Clocks.jsx` does not exist',
      'error docs/realtime.md:5:20 `../src/components/SyncBanner.tsx` does not exist: from `docs/realtime.md` it is `src/components/SyncBanner.tsx`',
      'error docs/realtime.md:7:22 `src/components/SyncToast.tsx` does not exist',
      'error docs/realtime.md:9:22 `src/components/SyncBanner.tsx` does not exist',
    ]);
  });
});

describe('missing-file: deleted and renamed files', () => {
  it('names the commit that deleted the file, and stays an error', async () => {
    const repo = new Repo();
    repo.write('scripts/deploy.sh', 'echo deploy\n');
    repo.write('docs/deploy.md', '# Deploy\n\nRun `scripts/deploy.sh` to ship.\n');
    repo.commit('2026-01-10', 'Deploy script');
    repo.git('rm', '-q', 'scripts/deploy.sh');
    const deleted = repo.commit('2026-03-02', 'Drop the deploy script');
    expect(await findings(repo.dir)).toEqual([`error docs/deploy.md:3:6 \`scripts/deploy.sh\` does not exist: it was deleted in ${deleted} on 2026-03-02`]);
  });

  it('a file renamed and later deleted under its new name says both, so `git log` on the old path agrees', async () => {
    const repo = new Repo();
    repo.write('addons/in-cluster/common.yaml', 'prefix: false\n').write('addons/README.md', '# Addons\n\nOverrides: [common](in-cluster/common.yaml).\n');
    repo.commit('2026-01-10', 'Addons');
    repo.git('rm', '-q', 'addons/in-cluster/common.yaml');
    repo.write('addons/default/common.yaml', 'prefix: false\n');
    const renamed = repo.commit('2026-01-12', 'One global addons folder');
    repo.git('rm', '-q', 'addons/default/common.yaml');
    const deleted = repo.commit('2026-01-15', 'Drop unneeded files');
    expect(await findings(repo.dir)).toEqual([
      `error addons/README.md:3:21 \`in-cluster/common.yaml\` does not exist: from \`addons/README.md\` it is \`addons/in-cluster/common.yaml\`: it was renamed to \`addons/default/common.yaml\` in ${renamed} on 2026-01-12, then deleted in ${deleted} on 2026-01-15`,
    ]);
  });

  it('a file deleted on a merged branch is named as deleted by the merge, not as if the merge commit deleted it', async () => {
    const repo = new Repo();
    repo.write('scripts/deploy.sh', 'echo deploy\n').write('scripts/build.sh', 'echo build\n');
    repo.write('docs/deploy.md', '# Deploy\n\nRun `scripts/deploy.sh` to ship.\n');
    repo.commit('2026-01-10', 'Deploy script');
    repo.git('checkout', '-q', '-b', 'cleanup');
    repo.git('rm', '-q', 'scripts/deploy.sh');
    repo.commit('2026-02-01', 'Drop the deploy script');
    repo.git('checkout', '-q', 'main');
    repo.gitAt('2026-02-03', 'merge', '-q', '--no-ff', '-m', 'Merge cleanup', 'cleanup');
    const merge = repo.git('rev-parse', '--short', 'HEAD').trim();
    expect(await findings(repo.dir)).toEqual([`error docs/deploy.md:3:6 \`scripts/deploy.sh\` does not exist: it was deleted by the merge ${merge} on 2026-02-03`]);
  });

  it('a report of its day (also a dated completion report) names a file deleted after it was written: a record, not a broken reference (info); its see-also section points the reader there today (error)', async () => {
    const repo = new Repo();
    repo.write('scripts/sync-diagrams.py', 'print(1)\n').write('docs/diagrams/overview.mmd', 'graph TD\n');
    repo.write('reports/diagram-sync.md', '# Diagram sync\n\nRan `scripts/sync-diagrams.py` over `docs/diagrams/overview.mmd`.\n');
    repo.write('docs/status/link-cleanup-report.md', '# Link cleanup\n\nFixed the links of `docs/diagrams/overview.mmd`.\n');
    repo.write('memory-bank/progress.md', '# Progress\n\n## 2026-01-12\n\n- Wired `scripts/sync-diagrams.py` into CI.\n');
    repo.write('memory/development-log.md', '# Development log\n\n**Files Modified:**\n- `scripts/sync-diagrams.py`\n');
    repo.write('TECH_DEBT_REMEDIATION.md', '# Technical Debt Remediation Report - Billing\n\nRetired `scripts/sync-diagrams.py` from CI.\n');
    repo.write('docs/report-writing.md', '# Report Writing Guide\n\nRun `scripts/sync-diagrams.py` first.\n');
    repo.write('docs/PHASE_2_COMPLETE_2026-01-12.md', '# Phase 2\n\n## Files Created\n\n- `scripts/sync-diagrams.py`\n');
    repo.write('reports/weekly-report.md', '# Weekly report\n\nRan [the sync script](../scripts/sync-diagrams.py).\n\n## Related files\n\n- `scripts/sync-diagrams.py`\n');
    repo.commit('2026-01-12', 'Sync report');
    repo.git('rm', '-q', 'scripts/sync-diagrams.py', 'docs/diagrams/overview.mmd');
    const deleted = repo.commit('2026-02-01', 'Drop the sync tooling');
    expect(await findings(repo.dir)).toEqual([
      `error docs/report-writing.md:3:6 \`scripts/sync-diagrams.py\` does not exist: it was deleted in ${deleted} on 2026-02-01`,
      `error reports/weekly-report.md:7:4 \`scripts/sync-diagrams.py\` does not exist: it was deleted in ${deleted} on 2026-02-01`,
      `info TECH_DEBT_REMEDIATION.md:3:10 \`scripts/sync-diagrams.py\` does not exist: it was deleted in ${deleted} on 2026-02-01, after this report was written`,
      `info docs/PHASE_2_COMPLETE_2026-01-12.md:5:4 \`scripts/sync-diagrams.py\` does not exist: it was deleted in ${deleted} on 2026-02-01, after this report was written`,
      `info docs/status/link-cleanup-report.md:3:21 \`docs/diagrams/overview.mmd\` does not exist: it was deleted in ${deleted} on 2026-02-01, after this report was written`,
      'info memory-bank/progress.md:5:10 `scripts/sync-diagrams.py` does not exist',
      'info memory/development-log.md:4:4 `scripts/sync-diagrams.py` does not exist',
      `info reports/diagram-sync.md:3:38 \`docs/diagrams/overview.mmd\` does not exist: it was deleted in ${deleted} on 2026-02-01, after this report was written`,
      `info reports/diagram-sync.md:3:6 \`scripts/sync-diagrams.py\` does not exist: it was deleted in ${deleted} on 2026-02-01, after this report was written`,
      `info reports/weekly-report.md:3:23 \`../scripts/sync-diagrams.py\` does not exist: from \`reports/weekly-report.md\` it is \`scripts/sync-diagrams.py\`: it was deleted in ${deleted} on 2026-02-01, after this report was written`,
    ]);
    expect(await evidence(repo.dir, 'reports/diagram-sync.md', 3)).toContain(
      'the document is a report of its day (its name or folder says `reports`), first committed on 2026-01-12, when the file still existed',
    );
  });

  it('a document named for its day (a date or a month) records what existed then (info); its reading list (`## References`), a later one, a month and year in a name and an undated name stay errors', async () => {
    const repo = new Repo();
    repo.write('scripts/sync.sh', 'echo sync\n').write('docs/guides/backup.md', '# Backup\n');
    repo.write('docs/KNOWLEDGE_2026-01-12.md', '# Knowledge snapshot\n\nCI runs `scripts/sync.sh` nightly.\n');
    repo.write('docs/months/2026-01.md', '# January\n\n- Created `scripts/sync.sh`\n');
    repo.write('docs/oidc-rollout-jan-2026.md', '# OIDC rollout\n\nSee `docs/guides/backup.md` first.\n');
    repo.write('docs/decisions/2026-01-12-ADR-004-backups.md', '# ADR 4: Backups\n\nWe keep `scripts/sync.sh`.\n\n## References\n\n### Guides\n\n- [Backup guide](../guides/backup.md)\n');
    repo.write('docs/sync-v2.0.1.md', '# Sync 2.0.1\n\nUses `scripts/sync.sh`.\n');
    repo.commit('2026-01-12', 'Snapshot');
    repo.git('rm', '-q', 'scripts/sync.sh', 'docs/guides/backup.md');
    const deleted = repo.commit('2026-02-01', 'Drop sync and the guide');
    repo.write('docs/KNOWLEDGE_2026-02-10.md', '# Knowledge snapshot\n\nCI runs `scripts/sync.sh` nightly.\n');
    repo.commit('2026-02-10', 'Later snapshot');
    const gone = (file: string) => `\`${file}\` does not exist: it was deleted in ${deleted} on 2026-02-01`;
    expect(await findings(repo.dir)).toEqual([
      `error docs/KNOWLEDGE_2026-02-10.md:3:10 ${gone('scripts/sync.sh')}`,
      `error docs/decisions/2026-01-12-ADR-004-backups.md:9:18 \`../guides/backup.md\` does not exist: from \`docs/decisions/2026-01-12-ADR-004-backups.md\` it is \`docs/guides/backup.md\`: it was deleted in ${deleted} on 2026-02-01`,
      `error docs/oidc-rollout-jan-2026.md:3:6 ${gone('docs/guides/backup.md')}`,
      `error docs/sync-v2.0.1.md:3:7 ${gone('scripts/sync.sh')}`,
      `info docs/KNOWLEDGE_2026-01-12.md:3:10 ${gone('scripts/sync.sh')}, after this report was written`,
      `info docs/decisions/2026-01-12-ADR-004-backups.md:3:10 ${gone('scripts/sync.sh')}, after this report was written`,
      `info docs/months/2026-01.md:3:12 ${gone('scripts/sync.sh')}, after this report was written`,
    ]);
    expect(await evidence(repo.dir, 'docs/months/2026-01.md', 3)).toContain(
      'the document is a report of its day (its file name carries its day (`2026-01.md`)), first committed on 2026-01-12, when the file still existed',
    );
  });

  it('a report first committed in a commit without parents (an import of a squashed history) names the one file of that name, now under another folder: moved on a day git did not keep (info); a link, cited lines, a name found twice, a guide and a report git saw written stay errors', async () => {
    const repo = new Repo();
    repo.write('internal/httpapi/handlers/stream/stream_handlers.go', 'package stream\n');
    repo.write('internal/httpapi/handlers/video/handlers.go', 'package video\n').write('internal/httpapi/handlers/chat/handlers.go', 'package chat\n');
    repo.write(
      'docs/sprints/SPRINT5_COMPLETE.md',
      [
        '# Sprint 5 complete',
        '',
        'Added `internal/httpapi/stream_handlers.go` and `internal/httpapi/handlers.go`.',
        'Entry point: `internal/httpapi/stream_handlers.go:40`.',
        'See [the handlers](../../internal/httpapi/stream_handlers.go).',
        '',
      ].join('\n'),
    );
    repo.write('docs/guides/streaming.md', '# Streaming\n\nRoutes live in `internal/httpapi/stream_handlers.go`.\n');
    repo.commit('2026-01-05', 'Initial commit (clean history)');
    repo.write('docs/sprints/SPRINT6_COMPLETE.md', '# Sprint 6 complete\n\nExtended `internal/httpapi/stream_handlers.go`.\n');
    repo.commit('2026-01-20', 'Sprint 6');
    const at = '`internal/httpapi/stream_handlers.go` does not exist';
    expect(await findings(repo.dir)).toEqual([
      `error docs/guides/streaming.md:3:17 ${at}`,
      'error docs/sprints/SPRINT5_COMPLETE.md:3:50 `internal/httpapi/handlers.go` does not exist',
      `error docs/sprints/SPRINT5_COMPLETE.md:4:15 ${at}`,
      'error docs/sprints/SPRINT5_COMPLETE.md:5:20 `../../internal/httpapi/stream_handlers.go` does not exist: from `docs/sprints/SPRINT5_COMPLETE.md` it is `internal/httpapi/stream_handlers.go`',
      `error docs/sprints/SPRINT6_COMPLETE.md:3:11 ${at}`,
      `info docs/sprints/SPRINT5_COMPLETE.md:3:8 ${at}: a file of that name is at \`internal/httpapi/handlers/stream/stream_handlers.go\`, and git's history begins with this report already written`,
    ]);
    expect((await evidence(repo.dir, 'docs/sprints/SPRINT5_COMPLETE.md', 3)).join('\n')).toMatch(
      /the document is a report of its day \(its name or folder says `complete`\), first committed in [0-9a-f]{7,}, which has no parent: git did not see it written/,
    );
  });

  it("a document naming a file deep inside a top folder the root `.gitignore` takes out by name (`/platform-infra/`, another repository's checkout) cites that checkout's paths (info); a link, a path under a folder this repository has, one written from the document, and other documents stay errors", async () => {
    const repo = new Repo();
    repo.write('.gitignore', '/platform-infra/\n/build/\n');
    repo.write('bin/status.sh', 'echo ok\n');
    repo.write(
      'docs/handoffs/rollout.md',
      [
        '# Rollout handoff',
        '',
        '**Scope:** `platform-infra/k3s/site.yml` and the roles it runs.',
        '',
        '- `roles/netbox/defaults/main.yml:5` sets the admin user.',
        '- `playbooks/693-awx.yml:12` runs the integration.',
        '- `bin/tf-apply.sh:10` applies the plan.',
        '- [The NetBox role](roles/netbox/tasks/main.yml) seeds it.',
        '- `./notes/today.md:3` has the log.',
        '',
      ].join('\n'),
    );
    repo.write('docs/guides/netbox.md', '# NetBox\n\nThe admin user is set in `roles/netbox/defaults/main.yml:5`.\n');
    repo.write('docs/guides/build.md', '# Build\n\nThe bundle lands in `build/web/app.js`; `roles/web/defaults/main.yml:3` sets its port.\n');
    repo.commit('2026-01-10', 'Docs');
    const elsewhere = "does not exist here; the document works in `platform-infra/`, another repository's checkout this one ignores";
    expect(await findings(repo.dir)).toEqual([
      'error docs/guides/build.md:3:42 `roles/web/defaults/main.yml` does not exist',
      'error docs/guides/netbox.md:3:27 `roles/netbox/defaults/main.yml` does not exist',
      'error docs/handoffs/rollout.md:7:4 `bin/tf-apply.sh` does not exist',
      'error docs/handoffs/rollout.md:8:21 `roles/netbox/tasks/main.yml` does not exist: from `docs/handoffs/rollout.md` it is `docs/handoffs/roles/netbox/tasks/main.yml`',
      'error docs/handoffs/rollout.md:9:4 `./notes/today.md` does not exist',
      'info docs/guides/build.md:3:22 `build/web/app.js` does not exist (ignored by `.gitignore:2` (`/build/`): generated or local by design)',
      'info docs/handoffs/rollout.md:3:13 `platform-infra/k3s/site.yml` does not exist (ignored by `.gitignore:1` (`/platform-infra/`): generated or local by design)',
      `info docs/handoffs/rollout.md:5:4 \`roles/netbox/defaults/main.yml\` ${elsewhere}`,
      `info docs/handoffs/rollout.md:6:4 \`playbooks/693-awx.yml\` ${elsewhere}`,
    ]);
    expect(await evidence(repo.dir, 'docs/handoffs/rollout.md', 5)).toContain(
      'the document also names `platform-infra/k3s/site.yml`, inside `platform-infra/`, which the root `.gitignore` takes out by name: a checkout of its own',
    );
  });

  it("a section linking another repository on GitHub names that repository's files (info), also one that files git had here end with (moved out in a split); a link, a path under a folder this repository has, other sections and a link to this repository itself stay errors", async () => {
    const repo = new Repo();
    repo.git('remote', 'add', 'origin', 'https://github.com/acme/platform.git');
    repo.write('services/cart/cmd/main.go', 'package main\n').write('services/orders/cmd/main.go', 'package main\n');
    repo.write('terraform/main.tf', 'terraform {}\n');
    repo.commit('2026-01-05', 'Services');
    repo.git('rm', '-q', '-r', 'services');
    repo.commit('2026-01-08', 'Split the services into their own repositories');
    repo.write(
      'docs/api/cart.md',
      [
        '# Cart API',
        '',
        '## Code map',
        '',
        'Paths in [`acme/cart-service`](https://github.com/acme/cart-service).',
        '',
        '| Layer | Path |',
        '| --- | --- |',
        '| Entry | `cmd/main.go` |',
        '| Logic | `internal/logic/cart.go:12` |',
        '| Infra | `terraform/cart.tf:3` |',
        '| Notes | [Runbook](handlers/runbook.md) |',
        '',
        '## Deploying',
        '',
        'The handler in `internal/logic/cart.go:12` reads the flag.',
        '',
        '## Platform',
        '',
        'This [platform](https://github.com/acme/platform) keeps `tools/sync.go:4`.',
        '',
      ].join('\n'),
    );
    repo.commit('2026-01-10', 'Cart API');
    const linked = "here; its section links `acme/cart-service`, another repository on GitHub, whose files it names";
    expect((await findings(repo.dir)).filter((line) => !line.startsWith('warning'))).toEqual([
      'error docs/api/cart.md:11:12 `terraform/cart.tf` does not exist',
      'error docs/api/cart.md:12:21 `handlers/runbook.md` does not exist: from `docs/api/cart.md` it is `docs/api/handlers/runbook.md`',
      'error docs/api/cart.md:16:17 `internal/logic/cart.go` does not exist',
      'error docs/api/cart.md:20:58 `tools/sync.go` does not exist',
      `info docs/api/cart.md:10:12 \`internal/logic/cart.go\` does not exist ${linked}`,
      `info docs/api/cart.md:9:12 \`cmd/main.go\` does not exist ${linked}`,
    ]);
  });

  it("a tracker row whose status says the work has not begun (`⏸️ Blocked`, `Not Started`, `Pending`) plans its task's file (info); a done or open row, a file git had, and a name that exists elsewhere stay errors", async () => {
    const repo = new Repo();
    repo.write('infra/INFRA-003-dns.md', '# DNS\n').write('infra/INFRA-005-lb.md', '# LB\n');
    repo.commit('2026-01-05', 'Tasks');
    repo.git('rm', '-q', 'infra/INFRA-003-dns.md');
    const deleted = repo.commit('2026-01-20', 'Drop the DNS task');
    repo.write(
      'tasks/INDEX.md',
      [
        '# Tasks',
        '',
        '| Task | Title | Status |',
        '| ---- | ----- | ------ |',
        '| [INFRA-001](../infra/INFRA-001-deploy.md) | Deploy | ✅ Done |',
        '| [INFRA-002](../infra/INFRA-002-configure.md) | Configure | ⏸️ Blocked |',
        '| [INFRA-003](../infra/INFRA-003-dns.md) | DNS | Not Started |',
        '| `infra/INFRA-004-backup.md` | Backup | Pending |',
        '| [INFRA-005](INFRA-005-lb.md) | Load balancer | ⏸️ Blocked |',
        '| [OPS-001](../ops/OPS-001-triage.md) | Triage | Open |',
        '',
      ].join('\n'),
    );
    repo.commit('2026-02-01', 'Tracker');
    const lines = await findings(repo.dir);
    expect(lines.filter((line) => line.startsWith('info '))).toEqual([
      'info tasks/INDEX.md:6:15 `../infra/INFRA-002-configure.md` does not exist: from `tasks/INDEX.md` it is `infra/INFRA-002-configure.md`',
      'info tasks/INDEX.md:8:4 `infra/INFRA-004-backup.md` does not exist',
    ]);
    expect(lines.filter((line) => line.startsWith('error ')).map((line) => line.split(' ')[1])).toEqual([
      'tasks/INDEX.md:10:13',
      'tasks/INDEX.md:5:15',
      'tasks/INDEX.md:7:15',
      'tasks/INDEX.md:9:15',
    ]);
    expect(lines.find((line) => line.includes(':7:15'))).toContain(`it was deleted in ${deleted} on 2026-01-20`);
  });

  it('a story whose own status says it is done is a report of its day (info); its Related section, a spec whose status says Implemented, a report moved here in the commit that renamed its target, a status under a later section and a process in force stay errors', async () => {
    const repo = new Repo();
    repo.write('src/backend/main.ts', 'export {};\n').write('docs/guide.md', '# Guide\n');
    repo.write('docs/stories/startup-story.md', '# Story: Faster startup\n\n**Status:** ✅ **COMPLETED**\n\n## Files Modified\n\n- `src/backend/main.ts`\n\n## Related\n\n- Code: `src/backend/main.ts`\n');
    repo.write('specs/startup-spec.md', '---\nstatus: implemented\n---\n\n# Startup spec\n\nThe entry point is `src/backend/main.ts`.\n');
    repo.write('docs/startup-guide.md', '# Startup guide\n\n## Start\n\nStart with `src/backend/main.ts`.\n\n## Contact\n\n**Status**: Complete\n');
    repo.write('docs/processes/startup.md', '# Deployment Process: Startup\n\n**Status**: Implemented\n\nThe entry point is `src/backend/main.ts`.\n');
    repo.write('work/startup-report.md', '# Startup report\n\nTuned `docs/guide.md`.\n');
    repo.commit('2026-01-05', 'Startup work');
    repo.git('rm', '-q', 'src/backend/main.ts');
    const deleted = repo.commit('2026-01-08', 'Drop the backend');
    repo.move('docs/guide.md', 'docs/guides/guide.md');
    repo.move('work/startup-report.md', 'docs/reports/startup-report.md');
    const moved = repo.commit('2026-01-09', 'Reorganise the docs');
    expect(await findings(repo.dir)).toEqual([
      `error docs/processes/startup.md:5:21 \`src/backend/main.ts\` does not exist: it was deleted in ${deleted} on 2026-01-08`,
      `error docs/reports/startup-report.md:3:8 \`docs/guide.md\` does not exist: it was renamed to \`docs/guides/guide.md\` in ${moved} on 2026-01-09`,
      `error docs/startup-guide.md:5:13 \`src/backend/main.ts\` does not exist: it was deleted in ${deleted} on 2026-01-08`,
      `error docs/stories/startup-story.md:11:10 \`src/backend/main.ts\` does not exist: it was deleted in ${deleted} on 2026-01-08`,
      `error specs/startup-spec.md:7:21 \`src/backend/main.ts\` does not exist: it was deleted in ${deleted} on 2026-01-08`,
      `info docs/stories/startup-story.md:7:4 \`src/backend/main.ts\` does not exist: it was deleted in ${deleted} on 2026-01-08, after this report was written`,
    ]);
    expect(await evidence(repo.dir, 'docs/stories/startup-story.md', 7)).toContain(
      'the document is a report of its day (its status says the work is done), first committed on 2026-01-05, when the file still existed',
    );
  });

  it('the summary of an event (a cleanup) is a report of its day: a file git deleted after it was written is a record (info); one deleted before it was written, the same file in a guide, and in the summary of a topic stay errors', async () => {
    const repo = new Repo();
    repo.write('scripts/rotate-keys.sh', 'echo rotate\n').write('scripts/old-backup.sh', 'echo backup\n');
    repo.commit('2026-01-02', 'Key tooling');
    repo.git('rm', '-q', 'scripts/old-backup.sh');
    repo.commit('2026-01-03', 'Drop the old backup script');
    repo.write('docs/SOPS_CLEANUP_SUMMARY.md', '# SOPS cleanup\n\n## Files Modified\n\n- `scripts/rotate-keys.sh`\n- `scripts/old-backup.sh`\n');
    repo.write('docs/key-rotation.md', '# Key rotation\n\nRun `scripts/rotate-keys.sh` monthly.\n');
    repo.write('KEYS_SUMMARY.md', '# Keys at a glance\n\n## Files\n\n- `scripts/rotate-keys.sh`\n');
    repo.commit('2026-01-05', 'Cleanup summary');
    repo.git('rm', '-q', 'scripts/rotate-keys.sh');
    const deleted = repo.commit('2026-01-20', 'Keys rotate in CI now');
    const before = repo.git('rev-parse', '--short', 'HEAD~2').trim();
    expect(await findings(repo.dir)).toEqual([
      `error KEYS_SUMMARY.md:5:4 \`scripts/rotate-keys.sh\` does not exist: it was deleted in ${deleted} on 2026-01-20`,
      `error docs/SOPS_CLEANUP_SUMMARY.md:6:4 \`scripts/old-backup.sh\` does not exist: it was deleted in ${before} on 2026-01-03`,
      `error docs/key-rotation.md:3:6 \`scripts/rotate-keys.sh\` does not exist: it was deleted in ${deleted} on 2026-01-20`,
      `info docs/SOPS_CLEANUP_SUMMARY.md:5:4 \`scripts/rotate-keys.sh\` does not exist: it was deleted in ${deleted} on 2026-01-20, after this report was written`,
    ]);
  });

  it('a link in an unchecked item to a file no commit ever had and no folder holds is planned (info); one to a file git deleted, whenever, or whose name exists elsewhere, in any case (a `README.md` too), is broken (error)', async () => {
    const repo = new Repo();
    repo.write('tasks/task_1.1.md', '# Task 1.1\n').write('tasks/task_1.2.md', '# Task 1.2\n').write('scripts/old.sh', 'echo old\n').write('CONTRIBUTING.md', '# Contributing\n').write('README.md', '# Billing\n');
    repo.commit('2026-01-02', 'Tasks and scripts');
    repo.git('rm', '-q', 'scripts/old.sh');
    const before = repo.commit('2026-01-03', 'Drop the old script');
    repo.write(
      'tasks/tasks-prd-billing.md',
      [
        '# Tasks',
        '',
        '- [x] 1.1 Ledger ([task_1.1.md](task_1.1.md))',
        '- [ ] 1.2 Invoices ([task_1.2.md](task_1.2.md))',
        '- [ ] 1.3 Refunds ([task_1.3.md](task_1.3.md))',
        '- [ ] 1.4 Restore [old.sh](../scripts/old.sh)',
        '- [ ] 1.5 Read [contributing](../contributing.md)',
        '- [ ] 1.6 Write the [API readme](../api/README.md)',
        '',
      ].join('\n'),
    );
    repo.commit('2026-01-05', 'Task list');
    repo.git('rm', '-q', 'tasks/task_1.2.md');
    const deleted = repo.commit('2026-01-20', 'Drop the invoices task file');
    expect(await findings(repo.dir)).toEqual([
      `error tasks/tasks-prd-billing.md:4:35 \`task_1.2.md\` does not exist: from \`tasks/tasks-prd-billing.md\` it is \`tasks/task_1.2.md\`: it was deleted in ${deleted} on 2026-01-20`,
      `error tasks/tasks-prd-billing.md:6:28 \`../scripts/old.sh\` does not exist: from \`tasks/tasks-prd-billing.md\` it is \`scripts/old.sh\`: it was deleted in ${before} on 2026-01-03`,
      'error tasks/tasks-prd-billing.md:7:31 `../contributing.md` does not exist: from `tasks/tasks-prd-billing.md` it is `contributing.md`',
      'error tasks/tasks-prd-billing.md:8:34 `../api/README.md` does not exist: from `tasks/tasks-prd-billing.md` it is `api/README.md`',
      'info tasks/tasks-prd-billing.md:5:34 `task_1.3.md` does not exist: from `tasks/tasks-prd-billing.md` it is `tasks/task_1.3.md`',
    ]);
  });

  it('a story that keeps its status in a `## Status` section (`Done`) is a report of its day (info); one still `In Progress` is not', async () => {
    const repo = new Repo();
    repo.write('src/auth/session.ts', 'export {};\n');
    repo.write('docs/stories/1.2.story.md', '# Story 1.2: Sessions\n\n## Status\n\nDone\n\n## Dev Agent Record\n\n### File List\n\n- `src/auth/session.ts`\n');
    repo.write('docs/stories/1.3.story.md', '# Story 1.3: Refresh\n\n## Status\n\nIn Progress\n\n## Dev Agent Record\n\n### File List\n\n- `src/auth/session.ts`\n');
    repo.commit('2026-01-05', 'Stories');
    repo.git('rm', '-q', 'src/auth/session.ts');
    const deleted = repo.commit('2026-01-20', 'Sessions move to the gateway');
    expect(await findings(repo.dir)).toEqual([
      `error docs/stories/1.3.story.md:11:4 \`src/auth/session.ts\` does not exist: it was deleted in ${deleted} on 2026-01-20`,
      `info docs/stories/1.2.story.md:11:4 \`src/auth/session.ts\` does not exist: it was deleted in ${deleted} on 2026-01-20, after this report was written`,
    ]);
  });

  it("a change log's released entries, links included, describe the tree of their day (info); a guide's link to the same renamed file stays an error", async () => {
    const repo = new Repo();
    repo.write('kubernetes/kong/plugins.yaml', 'plugins: []\n');
    repo.write('CHANGELOG.md', '# Changelog\n\n## [0.85.0] - 2026-01-10\n\n- Kong CORS plugin updated: [`plugins.yaml`](kubernetes/kong/plugins.yaml).\n');
    repo.write('docs/kong.md', '# Kong\n\nPlugins live in [`plugins.yaml`](../kubernetes/kong/plugins.yaml).\n');
    repo.commit('2026-01-10', 'Release 0.85.0');
    repo.move('kubernetes/kong/plugins.yaml', 'kubernetes/gateway/plugins.yaml');
    const renamed = repo.commit('2026-02-01', 'Kong becomes the gateway');
    expect(await findings(repo.dir)).toEqual([
      `error docs/kong.md:3:34 \`../kubernetes/kong/plugins.yaml\` does not exist: from \`docs/kong.md\` it is \`kubernetes/kong/plugins.yaml\`: it was renamed to \`kubernetes/gateway/plugins.yaml\` in ${renamed} on 2026-02-01`,
      `info CHANGELOG.md:5:46 \`kubernetes/kong/plugins.yaml\` does not exist: it was renamed to \`kubernetes/gateway/plugins.yaml\` in ${renamed} on 2026-02-01, after this report was written`,
    ]);
  });

  it("a Complete task's summary that created a file git deleted since was right when written (info); one whose file never existed is still contradicted (error)", async () => {
    const repo = new Repo();
    repo.write('scripts/health-check.sh', 'echo ok\n');
    repo.write(
      'docs/tasks/TASK-007-implementation-summary.md',
      '# Implementation Summary: TASK-007 - Health checks\n\n**Task ID**: TASK-007\n**Status**: Complete\n\n## Files Created/Modified\n- `scripts/health-check.sh`\n- `scripts/health-report.sh`\n',
    );
    repo.commit('2026-01-05', 'Health checks');
    repo.git('rm', '-q', 'scripts/health-check.sh');
    const deleted = repo.commit('2026-02-01', 'Drop the health check');
    expect(await findings(repo.dir)).toEqual([
      'error docs/tasks/TASK-007-implementation-summary.md:8:4 `scripts/health-report.sh` does not exist, yet the summary of task TASK-007 says it was created or modified',
      `info docs/tasks/TASK-007-implementation-summary.md:7:4 \`scripts/health-check.sh\` does not exist: it was deleted in ${deleted} on 2026-02-01, after the document that created it was written`,
    ]);
  });

  it('a codebase map dated by its metadata (`**Analysis Date:**`, front matter `generated:`) is a snapshot of that day: its mentions are records; its links, an undated map and a living guide are not', async () => {
    const repo = new Repo();
    repo.write('core/agents/executor.py', 'print(1)\n').write('docs/guide.md', '# Guide\n');
    repo.commit('2026-03-01', 'Agents');
    repo.git('rm', '-q', 'core/agents/executor.py');
    const deleted = repo.commit('2026-03-20', 'Drop the executor');
    repo.write('.planning/codebase/ARCHITECTURE.md', '---\nfocus: arch\ngenerated: 2026-03-10\n---\n\n# Architecture\n\nSteps run in `core/agents/executor.py`.\n');
    repo.write('.planning/codebase/TESTING.md', '# Testing\n\n**Analysis Date:** 2026-03-10\n\nTests drive `core/agents/executor.py`; see [the runner](../../tools/run-tests.sh).\n');
    repo.write('.planning/codebase/STACK.md', '# Stack\n\n**Analysis Date:** pending\n\nThe entry point is `core/agents/executor.py`.\n');
    repo.write('docs/guide.md', '# Guide\n\n**Last Updated:** 2026-03-10\n\nSteps run in `core/agents/executor.py`.\n');
    repo.commit('2026-03-25', 'Codebase map');
    expect(await findings(repo.dir)).toEqual([
      `error .planning/codebase/STACK.md:5:21 \`core/agents/executor.py\` does not exist: it was deleted in ${deleted} on 2026-03-20`,
      'error .planning/codebase/TESTING.md:5:57 `../../tools/run-tests.sh` does not exist: from `.planning/codebase/TESTING.md` it is `tools/run-tests.sh`',
      `error docs/guide.md:5:15 \`core/agents/executor.py\` does not exist: it was deleted in ${deleted} on 2026-03-20`,
      'info .planning/codebase/ARCHITECTURE.md:8:15 `core/agents/executor.py` does not exist',
      'info .planning/codebase/TESTING.md:5:14 `core/agents/executor.py` does not exist',
    ]);
  });

  it('a ledger written entry by entry (a journal, a development log, an agent session summary) records its day whatever git says; its links and see-also sections are followed today', async () => {
    const repo = new Repo();
    repo.write('docs/guide.md', '# Guide\n').write('scripts/spike.sh', 'echo spike\n').write('docs/retired-guide.md', '# Retired\n');
    repo.commit('2026-01-05', 'Spike');
    repo.git('rm', '-q', 'scripts/spike.sh', 'docs/retired-guide.md');
    const deleted = repo.commit('2026-01-08', 'Drop the spike');
    repo.write('memory/development-log.md', '# Development log\n\n## 2026-01-05\n\n- Sketched `mockups/checkout-v0.html` before the repository existed.\n- Read [the runbook](../docs/never-written.md).\n\n## Related\n\n- `docs/retired-guide.md`\n');
    repo.write('docs/journal/2026-01.md', '# January\n\nTried `scripts/spike.sh`.\n');
    repo.write('docs/SESSION_SUMMARY.md', '# Session summary\n\n## Session 3\n\n- Created `scripts/spike.sh`.\n');
    repo.write('docs/progress-tracking.md', '# Progress tracking\n\nBuilt by `scripts/spike.sh`.\n');
    repo.commit('2026-01-12', 'Logs');
    expect(await findings(repo.dir)).toEqual([
      `error docs/progress-tracking.md:3:11 \`scripts/spike.sh\` does not exist: it was deleted in ${deleted} on 2026-01-08`,
      `error memory/development-log.md:10:4 \`docs/retired-guide.md\` does not exist: it was deleted in ${deleted} on 2026-01-08`,
      'error memory/development-log.md:6:22 `../docs/never-written.md` does not exist: from `memory/development-log.md` it is `docs/never-written.md`',
      'info docs/SESSION_SUMMARY.md:5:12 `scripts/spike.sh` does not exist',
      'info docs/journal/2026-01.md:3:8 `scripts/spike.sh` does not exist',
      'info memory/development-log.md:5:13 `mockups/checkout-v0.html` does not exist',
    ]);
  });

  it('near misses: a report written after the file was gone, a live guide naming the same deleted file (also one about progress tracking, and a complete guide), a report naming a file that never was: errors', async () => {
    const repo = new Repo();
    repo.write('scripts/sync-diagrams.py', 'print(1)\n').write('docs/guide.md', '# Guide\n\nRun `scripts/sync-diagrams.py`.\n');
    repo.write('docs/progress-tracking.md', '# Progress tracking\n\nBuilt by `scripts/sync-diagrams.py`.\n');
    repo.write('docs/complete-setup-guide.md', '# Setup\n\nRun `scripts/sync-diagrams.py`.\n');
    repo.commit('2026-01-12', 'Sync tooling');
    repo.git('rm', '-q', 'scripts/sync-diagrams.py');
    const deleted = repo.commit('2026-02-01', 'Drop the sync tooling');
    repo.write('reports/sync-report.md', '# Sync report\n\nRan `scripts/sync-diagrams.py`, then [the fixer](../scripts/never-was.py).\n');
    repo.commit('2026-02-10', 'A late report');
    expect(await findings(repo.dir)).toEqual([
      `error docs/complete-setup-guide.md:3:6 \`scripts/sync-diagrams.py\` does not exist: it was deleted in ${deleted} on 2026-02-01`,
      `error docs/guide.md:3:6 \`scripts/sync-diagrams.py\` does not exist: it was deleted in ${deleted} on 2026-02-01`,
      `error docs/progress-tracking.md:3:11 \`scripts/sync-diagrams.py\` does not exist: it was deleted in ${deleted} on 2026-02-01`,
      'error reports/sync-report.md:3:50 `../scripts/never-was.py` does not exist: from `reports/sync-report.md` it is `scripts/never-was.py`',
      `error reports/sync-report.md:3:6 \`scripts/sync-diagrams.py\` does not exist: it was deleted in ${deleted} on 2026-02-01`,
    ]);
  });

  it('a log (named or titled `… log`, or most of its sections dated entries) is a report of its day; a file it names that never was stays an error', async () => {
    const repo = new Repo();
    repo.write('.github/workflows/ci.yml', 'on: push\n').write('scripts/destroy/config.sh', 'ACCOUNT=1\n');
    repo.commit('2026-01-05', 'CI and destroy config');
    repo.write('tracking/infrastructure.md', '# Infrastructure Tracking\n\n## Template for New Entries\n\nCopy the block below.\n\n## [2026-01-06] CI fix\n\n### Files Modified\n- `.github/workflows/ci.yml` - trigger narrowed\n- `cmd/search/never_written.go` - new command\n\n## [2026-01-07] Release fix\n\nNothing else.\n');
    repo.write('docs/TESTING-PROFILES.md', '# AWS Profile Testing Log\n\n**Date**: 2026-01-06\n\n`scripts/destroy/config.sh` is orphaned: delete it.\n');
    repo.commit('2026-01-07', 'Tracking entries');
    repo.git('rm', '-q', '.github/workflows/ci.yml', 'scripts/destroy/config.sh');
    const deleted = repo.commit('2026-02-01', 'Merge CI into release, drop the orphaned config');
    expect(await findings(repo.dir)).toEqual([
      'error tracking/infrastructure.md:11:4 `cmd/search/never_written.go` does not exist',
      `info docs/TESTING-PROFILES.md:5:2 \`scripts/destroy/config.sh\` does not exist: it was deleted in ${deleted} on 2026-02-01, after this report was written`,
      `info tracking/infrastructure.md:10:4 \`.github/workflows/ci.yml\` does not exist: it was deleted in ${deleted} on 2026-02-01, after this report was written`,
    ]);
    expect(await evidence(repo.dir, 'tracking/infrastructure.md', 10)).toContain(
      'the document is a report of its day (its sections are dated entries (`## [2026-01-06] CI fix`)), first committed on 2026-01-07, when the file still existed',
    );
  });

  it('near misses: one dated section among undated ones, a guide about logging, a log-in runbook: errors', async () => {
    const repo = new Repo();
    repo.write('scripts/rotate.sh', 'echo rotate\n');
    repo.commit('2026-01-05', 'Rotation');
    repo.write('docs/runbook.md', '# Rotation runbook\n\n## Overview\n\nRun `scripts/rotate.sh`.\n\n## Steps\n\nOnce.\n\n## 2026-01-06 incident\n\nIt failed.\n');
    repo.write('docs/logging.md', '# Logging Guide\n\nRotation logs come from `scripts/rotate.sh`.\n');
    repo.write('docs/login-runbook.md', '# Log in\n\nThen run `scripts/rotate.sh`.\n');
    repo.commit('2026-01-07', 'Runbooks');
    repo.git('rm', '-q', 'scripts/rotate.sh');
    const deleted = repo.commit('2026-02-01', 'Drop rotation');
    expect(await findings(repo.dir)).toEqual([
      `error docs/logging.md:3:26 \`scripts/rotate.sh\` does not exist: it was deleted in ${deleted} on 2026-02-01`,
      `error docs/login-runbook.md:3:11 \`scripts/rotate.sh\` does not exist: it was deleted in ${deleted} on 2026-02-01`,
      `error docs/runbook.md:5:6 \`scripts/rotate.sh\` does not exist: it was deleted in ${deleted} on 2026-02-01`,
    ]);
  });

  it("a plan's \"see `x` for details\" points at what exists: a renamed file there is an error; the plan's other mentions stay planned", async () => {
    const repo = new Repo();
    repo.write('docs/PERSONAS.md', '# Personas\n');
    repo.commit('2026-01-05', 'Personas');
    repo.git('rm', '-q', 'docs/PERSONAS.md');
    repo.write('docs/overview/personas.md', '# Personas\n');
    const renamed = repo.commit('2026-01-20', 'Move the personas');
    repo.write('docs/work/implementation-plan.md', '# Implementation plan\n\n- **Persona guide:** See `docs/PERSONAS.md` for the details.\n- Update `docs/PERSONAS.md` with the new founders.\n- Write `docs/founders-page.md`.\n');
    repo.commit('2026-02-01', 'Plan');
    const lines = await findings(repo.dir);
    expect(lines.filter((line) => line.includes('implementation-plan'))).toEqual([
      `error docs/work/implementation-plan.md:3:27 \`docs/PERSONAS.md\` does not exist: it was renamed to \`docs/overview/personas.md\` in ${renamed} on 2026-01-20`,
      'info docs/work/implementation-plan.md:4:11 `docs/PERSONAS.md` does not exist',
      'info docs/work/implementation-plan.md:5:10 `docs/founders-page.md` does not exist',
    ]);
  });

  it('still names the deletion and a pure move in a copy that lacks a blob git would compare for renames (a partial clone, a damaged mirror)', async () => {
    const repo = new Repo();
    const body = Array.from({ length: 40 }, (_, i) => `echo step ${i}`).join('\n');
    repo.write('scripts/deploy.sh', 'echo deploy\n').write('scripts/build.sh', `${body}\n`).write('scripts/lint.sh', 'echo lint\n');
    repo.write('docs/deploy.md', '# Deploy\n\nRun `scripts/deploy.sh` to ship.\n\nLint with `scripts/lint.sh`.\n');
    repo.commit('2026-01-10', 'Scripts');
    repo.git('rm', '-q', 'scripts/deploy.sh');
    const deleted = repo.commit('2026-03-02', 'Drop the deploy script');
    // A pure move: git finds it by blob ids alone.
    repo.move('scripts/lint.sh', 'ci/lint.sh');
    const moved = repo.commit('2026-03-04', 'Move the lint script');
    // An edited move: finding it means comparing both blobs' contents.
    repo.git('rm', '-q', 'scripts/build.sh');
    repo.write('ci/build.sh', `${body}\necho done\n`);
    repo.commit('2026-03-05', 'Move the build script');
    const blob = repo.git('rev-parse', `HEAD~1:scripts/build.sh`).trim();
    rmSync(path.join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    expect(() => repo.git('log', '-M', '--name-status')).toThrow();
    expect(await findings(repo.dir)).toEqual([
      `error docs/deploy.md:3:6 \`scripts/deploy.sh\` does not exist: it was deleted in ${deleted} on 2026-03-02`,
      `error docs/deploy.md:5:12 \`scripts/lint.sh\` does not exist: it was renamed to \`ci/lint.sh\` in ${moved} on 2026-03-04`,
    ]);
  });

  it('says so when git cannot give the history at all (a copy missing a tree); a repository without a commit yet says nothing', async () => {
    const repo = new Repo();
    repo.write('docs/deploy.md', '# Deploy\n\nRun `scripts/deploy.sh` to ship.\n');
    repo.commit('2026-01-10', 'Deploy notes');
    const tree = repo.git('rev-parse', 'HEAD^{tree}').trim();
    rmSync(path.join(repo.dir, '.git', 'objects', tree.slice(0, 2), tree.slice(2)));
    const { graph } = await scanRepository(repo.dir, { today: '2026-03-01' });
    expect(graph.diagnostics.filter((d) => d.rule === 'git-history').map((d) => `${d.severity} ${d.file}:${d.line} ${d.message}`)).toEqual([
      'warning .git:1 git history could not be read (git failed on this copy): `stale-reference`, `moved-lines` and the deleted and renamed file checks are off for this run',
    ]);
    const fresh = new Repo();
    fresh.write('docs/deploy.md', '# Deploy\n');
    const empty = await scanRepository(fresh.dir, { today: '2026-03-01' });
    expect(empty.graph.diagnostics.filter((d) => d.rule === 'git-history')).toEqual([]);
  });

  it('names the rename and its target, and `waymark fix` applies it; a path that never existed says so in the evidence', async () => {
    const repo = new Repo();
    repo.write('scripts/deploy.sh', 'echo deploy\n');
    repo.write('docs/deploy.md', '# Deploy\n\nRun [the script](../scripts/deploy.sh) or `scripts/deploy.sh`.\n\nNot `scripts/never.sh`.\n');
    repo.commit('2026-01-10', 'Deploy script');
    repo.move('scripts/deploy.sh', 'tools/ship.sh');
    const renamed = repo.commit('2026-02-02', 'Move scripts to tools');
    expect(await findings(repo.dir)).toEqual([
      `error docs/deploy.md:3:18 \`../scripts/deploy.sh\` does not exist: from \`docs/deploy.md\` it is \`scripts/deploy.sh\`: it was renamed to \`tools/ship.sh\` in ${renamed} on 2026-02-02`,
      `error docs/deploy.md:3:44 \`scripts/deploy.sh\` does not exist: it was renamed to \`tools/ship.sh\` in ${renamed} on 2026-02-02`,
      'warning docs/deploy.md:5:6 `scripts/never.sh` does not exist',
    ]);
    expect(await evidence(repo.dir, 'docs/deploy.md', 5)).toContain('git: no commit on the first-parent history ever had `scripts/never.sh`');
    const report = await fixRepository(repo.dir);
    expect(report.files.map((file) => file.file)).toEqual(['docs/deploy.md']);
    expect(repo.read('docs/deploy.md')).toBe('# Deploy\n\nRun [the script](../tools/ship.sh) or `tools/ship.sh`.\n\nNot `scripts/never.sh`.\n');
    expect(await findings(repo.dir)).toEqual(['warning docs/deploy.md:5:6 `scripts/never.sh` does not exist']);
  });

  it('a file ported to another language in one commit (Foo.jsx deleted, Foo.tsx added) is renamed, and `waymark fix` follows it; two new siblings leave it deleted', async () => {
    const repo = new Repo();
    repo.write('src/ui/ImageUploader.jsx', 'export function ImageUploader(props) {\n  return null;\n}\n');
    repo.write('src/ui/PageLayout.jsx', 'export const PageLayout = () => null;\n');
    repo.write('docs/ui.md', '# UI\n\nUploads go through `src/ui/ImageUploader.jsx`; pages use `src/ui/PageLayout.jsx`.\n');
    repo.commit('2026-01-10', 'UI');
    repo.git('rm', '-q', 'src/ui/ImageUploader.jsx', 'src/ui/PageLayout.jsx');
    repo.write('src/ui/ImageUploader.tsx', 'import type { FC } from "react";\ntype Props = { maxBytes: number; accept: string[] };\nexport const ImageUploader: FC<Props> = ({ maxBytes, accept }) => {\n  void maxBytes; void accept;\n  return null;\n};\n');
    repo.write('src/ui/PageLayout.tsx', 'export const PageLayout = (): null => null;\n').write('src/ui/PageLayout.css', '.page { margin: 0; }\n');
    const ported = repo.commit('2026-02-02', 'Port the UI to TypeScript');
    expect(await findings(repo.dir)).toEqual([
      `error docs/ui.md:3:21 \`src/ui/ImageUploader.jsx\` does not exist: it was renamed to \`src/ui/ImageUploader.tsx\` in ${ported} on 2026-02-02`,
      `error docs/ui.md:3:59 \`src/ui/PageLayout.jsx\` does not exist: it was deleted in ${ported} on 2026-02-02`,
    ]);
    await fixRepository(repo.dir);
    expect(repo.read('docs/ui.md')).toBe('# UI\n\nUploads go through `src/ui/ImageUploader.tsx`; pages use `src/ui/PageLayout.jsx`.\n');
  });

  it('an abbreviated path names the gone file it abbreviates and what became of it; the rename is the suggestion, never a fix', async () => {
    const repo = new Repo();
    repo.write('docs/ops/deployment.md', '# Deployment\n');
    repo.write('docs/ops/restore.md', '# Restore\n');
    repo.write('docs/dev/slos.md', '# SLOs\n');
    repo.commit('2026-01-02', 'Ops docs');
    repo.git('rm', '-q', 'docs/ops/deployment.md');
    repo.move('docs/ops/restore.md', 'docs/runbooks/restore.md');
    repo.commit('2026-01-06', 'Drop the deployment page, move the restore runbook');
    const changed = repo.git('rev-parse', '--short', 'HEAD').trim();
    repo.write('docs/dev/slos.md', ['# SLOs', '', 'Deploys follow `ops/deployment.md`; restores follow `ops/restore.md`.', ''].join('\n'));
    repo.commit('2026-01-10', 'SLOs');
    expect(await findings(repo.dir)).toEqual([
      `error docs/dev/slos.md:3:17 \`ops/deployment.md\` does not exist: it abbreviates \`docs/ops/deployment.md\`, deleted in ${changed} on 2026-01-06`,
      `error docs/dev/slos.md:3:54 \`ops/restore.md\` does not exist: it abbreviates \`docs/ops/restore.md\`, renamed to \`docs/runbooks/restore.md\` in ${changed} on 2026-01-06`,
    ]);
    const { graph } = await scanRepository(repo.dir, { today: '2026-03-01' });
    expect(graph.diagnostics.filter((d) => d.rule === 'missing-file').map((d) => d.suggestion)).toEqual([undefined, 'point the reference at `docs/runbooks/restore.md`']);
    expect((await fixRepository(repo.dir)).files).toEqual([]);
    expect(repo.read('docs/dev/slos.md')).toContain('restores follow `ops/restore.md`.');
  });

  it('near miss: a line reference to a renamed file written after the rename is not rewritten (its lines cannot be traced)', async () => {
    const repo = new Repo();
    repo.write('scripts/deploy.sh', 'echo 1\necho 2\necho 3\n');
    repo.commit('2026-01-10', 'Deploy script');
    repo.move('scripts/deploy.sh', 'tools/ship.sh');
    const renamed = repo.commit('2026-02-02', 'Move scripts to tools');
    repo.write('docs/deploy.md', '# Deploy\n\nSee `scripts/deploy.sh:2-3`.\n');
    repo.commit('2026-02-10', 'Docs with the old name');
    expect(await findings(repo.dir)).toEqual([
      `error docs/deploy.md:3:6 \`scripts/deploy.sh\` does not exist: it was renamed to \`tools/ship.sh\` in ${renamed} on 2026-02-02`,
    ]);
    const before = repo.read('docs/deploy.md');
    await fixRepository(repo.dir);
    expect(repo.read('docs/deploy.md')).toBe(before);
  });
});

it('the scanned root may be a folder inside the work tree', async () => {
  const repo = new Repo();
  repo.write('.gitignore', 'tmp/\n');
  repo.write('site/docs/a.md', '# A\n\nSee `tmp/out.json`.\n');
  repo.commit('2026-01-10', 'A');
  const found = await findings(path.join(repo.dir, 'site'));
  expect(found).toEqual(['info docs/a.md:3:6 `tmp/out.json` does not exist (ignored by `../.gitignore:1` (`tmp/`): generated or local by design)']);
});

describe("missing-file: paths written with the repository's own name", () => {
  it('a repository named like one of its top folders (`docs`) keeps that folder: `docs/setup.md` is its own path, missing, not `setup.md` under the repository name', async () => {
    const repo = new Repo();
    repo.git('remote', 'add', 'origin', 'https://github.com/example-org/docs.git');
    repo.write('docs/guides/setup.md', '# Setup\n');
    repo.write('README.md', '# Docs\n\n**Reference**: `docs/setup.md`\n');
    repo.commit('2026-01-05', 'Docs');
    expect(await findings(repo.dir)).toEqual(['error README.md:3:17 `docs/setup.md` does not exist']);
  });

  it('a Codespace path in a repository with a `workspaces/` folder of its own, and a container path whose rest lies in a folder that builds no image, stay errors', async () => {
    const repo = new Repo();
    repo.write('variables.tf', 'variable "a" {}\n').write('workspaces/demo/main.tf', '# demo\n');
    repo.write('app/layout.tsx', 'export {};\n').write('docs/guide/page.tsx', 'export {};\n');
    repo.write('docs/guide/NOTES.md', '# Notes\n\n## Files Modified\n\n- `/workspaces/shop/variables.tf`\n- `/workspaces/demo/gone.tf`\n- `/app/page.tsx`\n');
    repo.commit('2026-01-05', 'Notes');
    expect(await findings(repo.dir)).toEqual([
      'error docs/guide/NOTES.md:5:4 `/workspaces/shop/variables.tf` does not exist',
      'error docs/guide/NOTES.md:6:4 `/workspaces/demo/gone.tf` does not exist',
      'error docs/guide/NOTES.md:7:4 `/app/page.tsx` does not exist',
    ]);
  });

  it('reads the name from the origin remote when the checkout is named otherwise (`/src` in CI): `/dox-admin/docs/a.md` is `docs/a.md`; without the remote, or to a file that is not there, it stays an error', async () => {
    const write = (repo: Repo): void => {
      repo.write('governance/standards/API_STANDARDS.md', '# API standards\n');
      repo.write('state/REPO_MAPPING.md', '# Repositories\n\n**Reference**: `/dox-admin/governance/standards/API_STANDARDS.md`\n\n**Reference**: `/dox-admin/governance/standards/GONE.md`\n');
      repo.commit('2026-01-05', 'Registry');
    };
    const named = new Repo();
    named.git('remote', 'add', 'origin', 'https://github.com/example-org/dox-admin.git');
    write(named);
    expect(await findings(named.dir)).toEqual(['error state/REPO_MAPPING.md:5:17 `/dox-admin/governance/standards/GONE.md` does not exist']);
    const unnamed = new Repo();
    write(unnamed);
    expect(await findings(unnamed.dir)).toEqual([
      'error state/REPO_MAPPING.md:3:17 `/dox-admin/governance/standards/API_STANDARDS.md` does not exist',
      'error state/REPO_MAPPING.md:5:17 `/dox-admin/governance/standards/GONE.md` does not exist',
    ]);
  });
});
