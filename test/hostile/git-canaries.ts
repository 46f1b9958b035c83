/**
 * Repositories whose git config names a program everywhere git can run one
 * (issue 11, item 1): fsmonitor, hooks, pager, external diff, diff driver
 * and textconv, filter clean/smudge/process, ssh command, upload-pack,
 * credential helper, askpass, gpg, and the same keys again through
 * `include` and `includeIf`. Each program only leaves a marker file named
 * for its canary, so a test can tell which, if any, ran.
 *
 * The history is a real one with a finding in it: lines of `infra/lb.tf`
 * moved after the document citing them was written, and moved again in an
 * uncommitted edit, so the history rules (log, patches, base diffs, the work
 * tree) all have something to read.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git } from './git.ts';

export const LB_TF = `# Deployment Process: Blue/Green Rollout
# Reference: docs/processes/blue-green.md
resource "aws_lb_listener_rule" "switch" {
  priority = 100

  action {
    type = "forward"
  }
}
`;

export const DOC = `# Deployment Process: Blue/Green Rollout

- **Status**: validated
- **Last Updated**: 2026-01-05
- **Last Validated**: 2026-01-05
- **Code Reference**: \`infra/lb.tf:3-9\`

Switch traffic, then watch the error rate.
`;

/** Hooks git might run for a read or an index write. */
const HOOKS = ['post-checkout', 'post-index-change', 'pre-commit', 'post-commit', 'reference-transaction', 'pre-auto-gc', 'post-merge', 'fsmonitor-watchman'];


export interface CanaryRepo {
  repo: string;
  /** Where the canaries leave their markers. */
  markers: string;
}

/** Markers left so far, sorted. */
export function tripped(canaries: CanaryRepo): string[] {
  return readdirSync(canaries.markers).sort();
}

export function resetMarkers(canaries: CanaryRepo): void {
  rmSync(canaries.markers, { recursive: true, force: true });
  mkdirSync(canaries.markers);
}

/** A script that leaves `<markers>/<name>` and passes its input through (a filter or pager must answer). */
function canaryProgram(bin: string, markers: string, name: string): string {
  const file = path.join(bin, name);
  writeFileSync(file, `#!/bin/sh\ntouch '${path.join(markers, name)}'\ncat 2>/dev/null\nexit 0\n`);
  chmodSync(file, 0o755);
  return file;
}

/** The history: document and code committed, then the code's lines pushed down twice (once committed, once not). */
function writeHistory(repo: string): void {
  mkdirSync(path.join(repo, 'infra'), { recursive: true });
  mkdirSync(path.join(repo, 'docs/processes'), { recursive: true });
  writeFileSync(path.join(repo, 'infra/lb.tf'), LB_TF);
  writeFileSync(path.join(repo, 'docs/processes/blue-green.md'), DOC);
  git(repo, ['init', '-q']);
  commitAt(repo, 'Initial import', '2026-01-04T10:00:00Z');
  writeFileSync(path.join(repo, 'infra/lb.tf'), `terraform {\n  required_version = ">= 1.6"\n}\n\n${LB_TF}`);
  commitAt(repo, 'Pin the Terraform version', '2026-01-10T10:00:00Z');
  // Uncommitted: two more lines on top, so the work tree is read too.
  writeFileSync(path.join(repo, 'infra/lb.tf'), `# Owner: platform\n\nterraform {\n  required_version = ">= 1.6"\n}\n\n${LB_TF}`);
}

function commitAt(repo: string, subject: string, date: string): void {
  git(repo, ['add', '-A']);
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--no-verify', '-m', subject], {
    cwd: repo,
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_CONFIG_NOSYSTEM: '1' },
    stdio: 'ignore',
  });
}

/** The repository with its history, and a maker of canary programs (kept outside the repository). */
function startCanaryRepo(base: string): { repo: string; markers: string; program: (name: string) => string } {
  const repo = path.join(base, 'repo');
  const markers = path.join(base, 'markers');
  const bin = path.join(base, 'bin');
  mkdirSync(repo, { recursive: true });
  mkdirSync(bin, { recursive: true });
  writeHistory(repo);
  return { repo, markers, program: (name) => canaryProgram(bin, markers, name) };
}

/** Set up and armed: no marker left yet. */
function finishCanaryRepo(repo: string, markers: string): CanaryRepo {
  const canaries = { repo, markers };
  resetMarkers(canaries);
  return canaries;
}

/**
 * A repository whose `.git/config` names a canary for every key, hooks in
 * `.git/hooks` (and `core.hooksPath` pointing at more), and a
 * `.gitattributes` that routes every file through the diff and filter
 * drivers. Written after the history, so setting it up trips nothing.
 */
export function writeDirectCanaryRepo(base: string): CanaryRepo {
  const { repo, markers, program } = startCanaryRepo(base);
  writeFileSync(path.join(repo, '.gitattributes'), '*.tf diff=canary filter=canary\n*.md diff=canary filter=proc\n');
  const hooks = path.join(repo, '.git/hooks');
  const hooksElsewhere = path.join(base, 'hooks');
  mkdirSync(hooks, { recursive: true });
  mkdirSync(hooksElsewhere, { recursive: true });
  for (const hook of HOOKS) {
    canaryProgram(hooks, markers, hook);
    canaryProgram(hooksElsewhere, markers, hook);
  }
  const config = `
[core]
\tfsmonitor = ${program('fsmonitor')}
\tpager = ${program('pager')}
\tsshCommand = ${program('ssh')}
\taskPass = ${program('askpass')}
\teditor = ${program('editor')}
\talternateRefsCommand = ${program('alternate-refs')}
\thooksPath = ${hooksElsewhere}
[pager]
\tlog = ${program('pager-log')}
\tdiff = ${program('pager-log')}
[diff]
\texternal = ${program('diff-external')}
[diff "canary"]
\tcommand = ${program('diff-driver')}
\ttextconv = ${program('textconv')}
[filter "canary"]
\tclean = ${program('filter-clean')}
\tsmudge = ${program('filter-smudge')}
\trequired = true
[filter "proc"]
\tprocess = ${program('filter-process')}
\trequired = true
[uploadpack]
\tpackObjectsHook = ${program('uploadpack')}
[credential]
\thelper = !${program('credential')}
[gpg]
\tprogram = ${program('gpg')}
[log]
\tshowSignature = true
[remote "origin"]
\turl = ssh://git@github.com/acme/infra.git
\tuploadpack = ${program('upload-pack-remote')}
\tfetch = +refs/heads/*:refs/remotes/origin/*
`;
  appendConfig(repo, config);
  return finishCanaryRepo(repo, markers);
}

/** The same programs, reachable only through `include` and `includeIf` in `.git/config`. */
export function writeIncludedCanaryRepo(base: string): CanaryRepo {
  const { repo, markers, program } = startCanaryRepo(base);
  writeFileSync(path.join(repo, '.gitattributes'), '*.tf diff=inc filter=inc\n');
  const included = path.join(repo, '.git/included.cfg');
  writeFileSync(
    included,
    `[core]\n\tfsmonitor = ${program('include-fsmonitor')}\n[diff]\n\texternal = ${program('include-diff-external')}\n[diff "inc"]\n\ttextconv = ${program('include-textconv')}\n[filter "inc"]\n\tclean = ${program('include-filter-clean')}\n`,
  );
  const conditional = path.join(base, 'conditional.cfg');
  writeFileSync(conditional, `[core]\n\tpager = ${program('includeif-pager')}\n\tfsmonitor = ${program('includeif-fsmonitor')}\n`);
  appendConfig(repo, `[include]\n\tpath = included.cfg\n[includeIf "gitdir:${base}/"]\n\tpath = ${conditional}\n`);
  return finishCanaryRepo(repo, markers);
}

function appendConfig(repo: string, text: string): void {
  appendFileSync(path.join(repo, '.git/config'), text);
}
