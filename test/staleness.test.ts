/**
 * The history rules against real git repositories built in temporary folders,
 * with fixed commit dates so every hash-free part of a message is exact.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/core/config/config.ts';
import { extractFacts } from '../src/core/extract/extract.ts';
import { UNCOMMITTED, type RepositoryHistory } from '../src/core/history/history.ts';
import { linkGraph } from '../src/core/graph/link-graph.ts';
import { changeAfterUpdate } from '../src/core/rules/change-after-update.ts';
import { movedLines } from '../src/core/rules/moved-lines.ts';
import { processNeedsRevalidation } from '../src/core/rules/process-needs-revalidation.ts';
import type { Finding, Rule } from '../src/core/rules/rule.ts';
import { staleReference } from '../src/core/rules/stale-reference.ts';
import { validationOverdue } from '../src/core/rules/validation-overdue.ts';
import { discoverFiles } from '../src/node/discover.ts';
import { applyFixes, fixRepository, formatFixReport } from '../src/node/fix-files.ts';
import { readHistory, resolveToday } from '../src/node/history-scan.ts';
import { code, removeRepos, Repo } from './git-repo.ts';
import { readRepositoryFiles } from '../src/node/read-files.ts';

const historyRules: Rule[] = [staleReference, movedLines, changeAfterUpdate, processNeedsRevalidation, validationOverdue];
afterAll(removeRepos);

function processDocument(references: string, { updated = '2026-01-05', validated = '2026-01-05', extra = '' } = {}): string {
  return [
    '# Deployment Process: Load Balancer',
    '',
    '## Status',
    '- **Status**: current_implementation',
    `- **Last Updated**: ${updated}`,
    `- **Last Validated**: ${validated}`,
    `- **Code Reference**: ${references}`,
    extra,
  ].join('\n');
}

const DOC = 'docs/processes/lb.md';

interface Engine {
  history: RepositoryHistory | undefined;
  findings: string[];
  suggestions: string[];
}

/** The scan pipeline's pieces, then the history rules with history and today passed in. */
async function run(dir: string, today = '2026-03-01'): Promise<Engine> {
  const config = resolveConfig({}, path.basename(dir));
  const { paths } = await discoverFiles(dir, [], []);
  const outcomes = await readRepositoryFiles(dir, paths, config.maxFileSize);
  const facts = outcomes.flatMap((outcome) => ('text' in outcome ? [extractFacts(outcome.path, outcome.text, config)] : []));
  const { graph, findings } = linkGraph(config.name, paths, facts, config);
  const history = await readHistory(dir, graph);
  const context = { graph, findings, facts, skipped: [], config, history, today };
  const found: Array<Finding & { rule: string }> = historyRules.flatMap((rule) => rule.check(context).map((finding) => ({ ...finding, rule: rule.id })));
  found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : 1)));
  return {
    history,
    findings: found.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.rule} ${finding.message}`),
    suggestions: found.map((finding) => `${finding.rule}: ${finding.suggestion ?? ''}`),
  };
}

/** Code on 2026-01-01, the document citing it validated on 2026-01-05. */
function baseRepository(references = '`infra/lb.tf:12-48`, `infra/lb.tf#L2-L3`, `infra/lb.tf (lines 50-52)`'): { repo: Repo; docCommit: string } {
  const repo = new Repo();
  repo.write('infra/lb.tf', code(60));
  repo.commit('2026-01-01', 'Add load balancer');
  repo.write(DOC, processDocument(references));
  const docCommit = repo.commit('2026-01-05', 'Document the load balancer');
  return { repo, docCommit };
}

describe('stale-reference', () => {
  it('names the commit that changed cited lines after the document was validated', async () => {
    const { repo } = baseRepository();
    repo.write('infra/lb.tf', code(60).replace('line 20\n', 'line 20 tightened\n'));
    const hash = repo.commit('2026-02-03', 'Tighten listener rule');
    const { findings, suggestions } = await run(repo.dir);
    expect(findings).toEqual([
      `${DOC}:7:24 stale-reference \`infra/lb.tf:12-48\` changed after this document was last validated (2026-01-05): ${hash} 2026-02-03 "Tighten listener rule"`,
    ]);
    expect(suggestions).toEqual(['stale-reference: review the document against the code, then update `Last Validated`']);
  });

  it('says nothing when the change came before the validation date', async () => {
    const repo = new Repo();
    repo.write('infra/lb.tf', code(60));
    repo.commit('2026-01-01', 'Add load balancer');
    repo.write(DOC, processDocument('`infra/lb.tf:12-48`', { validated: '2026-02-10', updated: '2026-01-05' }));
    repo.commit('2026-01-05', 'Document the load balancer');
    repo.write('infra/lb.tf', code(60).replace('line 20\n', 'line 20 tightened\n'));
    repo.commit('2026-02-03', 'Tighten listener rule');
    expect((await run(repo.dir)).findings).toEqual([]);
  });

  it('falls back to Last Updated, then to the commit that wrote the reference', async () => {
    const repo = new Repo();
    repo.write('infra/lb.tf', code(60));
    repo.commit('2026-01-01', 'Add load balancer');
    repo.write('README.md', '# Notes\n\nThe listener lives in `infra/lb.tf:12-48`.\n');
    const written = repo.commit('2026-01-05', 'Notes');
    repo.write('infra/lb.tf', code(60).replace('line 30\n', 'line 30 changed\n'));
    const hash = repo.commit('2026-02-03', 'Change listener');
    expect((await run(repo.dir)).findings).toEqual([
      `README.md:3:24 stale-reference \`infra/lb.tf:12-48\` changed after the reference was written in ${written} (2026-01-05): ${hash} 2026-02-03 "Change listener"`,
    ]);
  });

  it('counts from the commit that wrote the reference when it is later than Last Validated', async () => {
    const { repo } = baseRepository('`infra/lb.tf#L2-L3`');
    repo.write('infra/lb.tf', code(60).replace('line 20\n', 'line 20 tightened\n'));
    repo.commit('2026-01-20', 'Tighten listener rule');
    // The reference is added after the change, against the code as it stands; the validation date stays.
    repo.write(DOC, repo.read(DOC).replace('`infra/lb.tf#L2-L3`', '`infra/lb.tf#L2-L3`, `infra/lb.tf:12-48`'));
    const written = repo.commit('2026-02-01', 'Cite the listener');
    expect((await run(repo.dir)).findings).toEqual([]);
    // Near miss: a change after the reference was written is news to it.
    repo.write('infra/lb.tf', repo.read('infra/lb.tf').replace('line 30\n', 'line 30 changed\n'));
    const hash = repo.commit('2026-02-10', 'Change listener');
    expect((await run(repo.dir)).findings).toEqual([
      `${DOC}:7:45 stale-reference \`infra/lb.tf:12-48\` changed after the reference was written in ${written} (2026-02-01): ${hash} 2026-02-10 "Change listener"`,
    ]);
  });

  it('lists several commits newest first and counts uncommitted work as today', async () => {
    const { repo } = baseRepository('`infra/lb.tf:12-48`');
    repo.write('infra/lb.tf', code(60).replace('line 13\n', 'line 13 a\n'));
    const first = repo.commit('2026-02-01', 'First change');
    repo.write('infra/lb.tf', repo.read('infra/lb.tf').replace('line 14\n', 'line 14 b\n'));
    const second = repo.commit('2026-02-02', 'Second change');
    repo.write('infra/lb.tf', repo.read('infra/lb.tf').replace('line 15\n', 'line 15 c\n'));
    expect((await run(repo.dir)).findings).toEqual([
      `${DOC}:7:24 stale-reference \`infra/lb.tf:12-48\` changed after this document was last validated (2026-01-05): uncommitted changes; ${second} 2026-02-02 "Second change"; ${first} 2026-02-01 "First change"`,
    ]);
    // Validated today: the uncommitted edit is not later than that.
    repo.write(DOC, repo.read(DOC).replace('Last Validated**: 2026-01-05', 'Last Validated**: 2026-03-01'));
    expect((await run(repo.dir, '2026-03-01')).findings).toEqual([]);
  });

  it('does not count a commit that changed the document along with the code', async () => {
    // One import of code and documents dated after their validation date, then a change to both together.
    const repo = new Repo();
    repo.write('infra/lb.tf', code(60)).write(DOC, processDocument('`infra/lb.tf:12-48`'));
    repo.commit('2026-03-01', 'Import');
    expect((await run(repo.dir)).findings).toEqual([]);
    repo.write('infra/lb.tf', code(60).replace('line 20\n', 'line 20 tightened\n'));
    repo.write(DOC, `${repo.read(DOC)}\nThe rule is tighter now.\n`);
    repo.commit('2026-03-02', 'Tighten the rule and say so');
    expect((await run(repo.dir)).findings).toEqual([]);
  });

  it('names the merge that brought a branch change in, dated when it landed', async () => {
    const { repo } = baseRepository('`infra/lb.tf:12-48`');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('infra/lb.tf', code(60).replace('line 20\n', 'line 20 tightened\n'));
    repo.commit('2026-01-03', 'Tighten on a branch');
    repo.git('checkout', '-q', '-');
    repo.write('infra/lb.tf', `header\n${code(60)}`);
    repo.commit('2026-01-04', 'Header on main');
    repo.gitAt('2026-02-10', 'merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature');
    const merge = repo.git('rev-parse', '--short', 'HEAD').trim();
    const { findings } = await run(repo.dir);
    expect(findings).toEqual([
      expect.stringContaining('moved-lines lines 12-48 of `infra/lb.tf` are now 13-49, with edits inside, since'),
      `${DOC}:7:24 stale-reference \`infra/lb.tf:12-48\` (now \`infra/lb.tf:13-49\`) changed after this document was last validated (2026-01-05): ${merge} 2026-02-10 "Merge feature"`,
    ]);
  });

  it('checks the lines where they are now when they moved', async () => {
    const { repo } = baseRepository('`infra/lb.tf:12-48`');
    const lines = code(60).split('\n');
    lines.splice(3, 0, ...code(8, 'new').trimEnd().split('\n'));
    repo.write('infra/lb.tf', lines.join('\n'));
    repo.commit('2026-02-01', 'Add provider block');
    repo.write('infra/lb.tf', repo.read('infra/lb.tf').replace('line 40\n', 'line 40 changed\n'));
    const hash = repo.commit('2026-02-05', 'Change line 40');
    expect((await run(repo.dir)).findings).toEqual([
      `${DOC}:7:24 moved-lines lines 12-48 of \`infra/lb.tf\` are now 20-56, with edits inside, since the reference was written in ${repo.git('rev-parse', '--short', 'HEAD~2').trim()} (2026-01-05)`,
      `${DOC}:7:24 stale-reference \`infra/lb.tf:12-48\` (now \`infra/lb.tf:20-56\`) changed after this document was last validated (2026-01-05): ${hash} 2026-02-05 "Change line 40"`,
    ]);
  });

  it('warns on a marker when its process document changed after the marked code', async () => {
    const repo = new Repo();
    repo.write('infra/lb.tf', `# Deployment Process: Load Balancer\n# Environment: staging\n${code(10)}`);
    const codeCommit = repo.commit('2026-01-01', 'Add load balancer');
    repo.write(DOC, processDocument('`infra/lb.tf:3-12`', { updated: '2026-01-02', validated: '2026-01-02' }));
    repo.commit('2026-01-02', 'Document the load balancer');
    expect((await run(repo.dir)).findings).toEqual([]);
    repo.write(DOC, processDocument('`infra/lb.tf:3-12`', { updated: '2026-02-01', validated: '2026-01-02', extra: '\nRollback: switch back.\n' }));
    const docCommit = repo.commit('2026-02-01', 'Add rollback step');
    expect((await run(repo.dir)).findings).toEqual([
      `infra/lb.tf:1:3 stale-reference the process \`Load Balancer\` (\`${DOC}\`) changed after this code was last changed (${codeCommit} 2026-01-01 "Add load balancer"): ${docCommit} 2026-02-01 "Add rollback step"`,
    ]);
  });

  it('ignores commits to the document that did not move Last Updated past the code', async () => {
    const repo = new Repo();
    repo.write('infra/lb.tf', `# Deployment Process: Load Balancer\n${code(10)}`);
    repo.commit('2026-01-01', 'Add load balancer');
    repo.write(DOC, processDocument('`infra/lb.tf:2-11`', { updated: '2025-12-30', validated: '2025-12-30' }));
    repo.commit('2026-01-02', 'Document the load balancer');
    repo.write(DOC, `${repo.read(DOC)}\nTypo fixed.\n`);
    repo.commit('2026-01-03', 'Typo');
    expect((await run(repo.dir)).findings.filter((line) => line.includes('stale-reference the process'))).toEqual([]);
  });
});

describe('moved-lines', () => {
  it('gives the exact new range when lines were inserted above', async () => {
    const { repo, docCommit } = baseRepository();
    const lines = code(60).split('\n');
    lines.splice(3, 0, ...code(8, 'new').trimEnd().split('\n'));
    repo.write('infra/lb.tf', lines.join('\n'));
    repo.commit('2026-02-03', 'Add provider block');
    const { findings, suggestions } = await run(repo.dir);
    expect(findings).toEqual([
      `${DOC}:7:24 moved-lines lines 12-48 of \`infra/lb.tf\` moved to 20-56 since the reference was written in ${docCommit} (2026-01-05)`,
      `${DOC}:7:66 moved-lines lines 50-52 of \`infra/lb.tf\` moved to 58-60 since the reference was written in ${docCommit} (2026-01-05)`,
    ]);
    expect(suggestions).toEqual([
      'moved-lines: `infra/lb.tf:20-56` (run `waymark fix`)',
      'moved-lines: `infra/lb.tf (lines 58-60)` (run `waymark fix`)',
    ]);
  });

  it('follows a renamed file to its new path', async () => {
    const { repo, docCommit } = baseRepository('`infra/lb.tf:12-48`, `infra/lb.tf`');
    repo.move('infra/lb.tf', 'net/lb.tf');
    repo.commit('2026-02-03', 'Move networking');
    const { findings, suggestions } = await run(repo.dir);
    // The path-only reference (column 45) is `missing-file`'s, class `renamed` (test/missing-file-git.test.ts).
    expect(findings).toEqual([
      `${DOC}:7:24 moved-lines \`infra/lb.tf\` was renamed to \`net/lb.tf\` since the reference was written in ${docCommit} (2026-01-05)`,
    ]);
    expect(suggestions).toEqual(['moved-lines: `net/lb.tf:12-48` (run `waymark fix`)']);
  });

  it('follows a rename that also moved the lines', async () => {
    const { repo, docCommit } = baseRepository('`infra/lb.tf:12-48`');
    repo.move('infra/lb.tf', 'net/lb.tf');
    repo.write('net/lb.tf', code(60).replace('line 1\n', ''));
    repo.commit('2026-02-03', 'Move networking');
    const { findings, suggestions } = await run(repo.dir);
    expect(findings).toEqual([
      `${DOC}:7:24 moved-lines \`infra/lb.tf\` was renamed to \`net/lb.tf\` since the reference was written in ${docCommit} (2026-01-05); lines 12-48 are now 11-47`,
    ]);
    expect(suggestions).toEqual(['moved-lines: `net/lb.tf:11-47` (run `waymark fix`)']);
  });

  it('follows a rename that is staged but not committed', async () => {
    const { repo } = baseRepository('`infra/lb.tf:12-48`');
    repo.move('infra/lb.tf', 'net/lb.tf');
    const { suggestions } = await run(repo.dir);
    expect(suggestions).toEqual(['moved-lines: `net/lb.tf:12-48` (run `waymark fix`)']);
  });

  it('says when the lines were deleted', async () => {
    const { repo, docCommit } = baseRepository('`infra/lb.tf:12-48`');
    repo.write('infra/lb.tf', code(60).split('\n').filter((_, index) => index < 9 || index > 49).join('\n'));
    repo.commit('2026-02-03', 'Remove listener rules');
    const { findings, suggestions } = await run(repo.dir);
    expect(findings).toEqual([
      `${DOC}:7:24 moved-lines lines 12-48 of \`infra/lb.tf\` were deleted since the reference was written in ${docCommit} (2026-01-05)`,
    ]);
    expect(suggestions).toEqual(['moved-lines: point the reference at the code that replaced them, or remove it']);
  });

  it('follows a range whose inside was edited, and only guesses when an end line went', async () => {
    const { repo, docCommit } = baseRepository('`infra/lb.tf:12-48`');
    repo.write('infra/lb.tf', code(60).replace('line 30\n', 'line 30\nline 30b\nline 30c\n'));
    const hash = repo.commit('2026-02-03', 'Grow the rule');
    const grown = await run(repo.dir);
    expect(grown.findings).toEqual([
      `${DOC}:7:24 moved-lines lines 12-48 of \`infra/lb.tf\` are now 12-50, with edits inside, since the reference was written in ${docCommit} (2026-01-05)`,
      `${DOC}:7:24 stale-reference \`infra/lb.tf:12-48\` (now \`infra/lb.tf:12-50\`) changed after this document was last validated (2026-01-05): ${hash} 2026-02-03 "Grow the rule"`,
    ]);
    expect(grown.suggestions[0]).toBe('moved-lines: `infra/lb.tf:12-50` (run `waymark fix`)');
    repo.write('infra/lb.tf', repo.read('infra/lb.tf').replace('line 48\n', ''));
    repo.commit('2026-02-04', 'Drop the last line');
    const clipped = await run(repo.dir);
    expect(clipped.findings[0]).toBe(
      `${DOC}:7:24 moved-lines lines 12-48 of \`infra/lb.tf\` were rewritten since the reference was written in ${docCommit} (2026-01-05); now about lines 12-49`,
    );
    expect(clipped.suggestions[0]).toBe('moved-lines: check the code and the range, perhaps `infra/lb.tf:12-49`');
  });

  it('says a range was rewritten without guessing where when the new lines are not the same code', async () => {
    const { repo, docCommit } = baseRepository('`infra/lb.tf:12-21`');
    // The cited block replaced but for its last two lines: nothing says the new lines are the same code.
    repo.write('infra/lb.tf', code(60).replace(code(19).split('\n').slice(11).join('\n'), code(14, 'new').trimEnd()));
    repo.commit('2026-02-03', 'Replace the listener');
    const { findings, suggestions } = await run(repo.dir);
    expect(findings[0]).toBe(`${DOC}:7:24 moved-lines lines 12-21 of \`infra/lb.tf\` were rewritten since the reference was written in ${docCommit} (2026-01-05)`);
    expect(suggestions[0]).toBe('moved-lines: check the code and update the range');
  });

  it('leaves a range that was already past the end of its file when written to line-out-of-range', async () => {
    const repo = new Repo();
    repo.write('infra/lb.tf', code(40));
    repo.commit('2026-01-01', 'Add load balancer');
    repo.write(DOC, processDocument('`infra/lb.tf:45-50`, `infra/lb.tf:30-40`'));
    const docCommit = repo.commit('2026-01-05', 'Document the load balancer');
    repo.write('infra/lb.tf', `header 1\nheader 2\n${code(40)}`);
    repo.commit('2026-02-03', 'Add a header');
    // Near miss: the range that was inside the file moved; the one past the end did not "move to 47-52".
    expect((await run(repo.dir)).findings).toEqual([
      `${DOC}:7:45 moved-lines lines 30-40 of \`infra/lb.tf\` moved to 32-42 since the reference was written in ${docCommit} (2026-01-05)`,
    ]);
  });

  /**
   * A branch puts two lines on top of the code and writes a reference against that version;
   * main changes the code too (`mainTouchesCode`) or only another file; the branch is merged,
   * then a line goes on top. Returns the findings on the reference's line and the merge.
   */
  async function mergedReference(mainTouchesCode: boolean): Promise<{ findings: string[]; merge: string }> {
    const repo = new Repo();
    repo.write('infra/lb.tf', code(60));
    repo.write(DOC, processDocument('`infra/lb.tf#L2-L3`'));
    repo.commit('2026-01-01', 'Start');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('infra/lb.tf', `branch 1\nbranch 2\n${code(60)}`);
    repo.write(DOC, `${repo.read(DOC)}See \`infra/lb.tf:14-50\`.\n`);
    repo.commit('2026-01-10', 'Feature with its reference');
    repo.git('checkout', '-q', 'main');
    if (mainTouchesCode) repo.write('infra/lb.tf', `${code(60)}main end\n`);
    else repo.write('README.md', '# Readme\n');
    repo.commit('2026-01-11', 'Main change');
    repo.gitAt('2026-01-12', 'merge', '-q', '--no-edit', 'feature');
    const merge = repo.git('rev-parse', '--short', 'HEAD').trim();
    repo.write('infra/lb.tf', `top\n${repo.read('infra/lb.tf')}`);
    repo.commit('2026-01-20', 'Another line on top');
    const { findings } = await run(repo.dir, '2026-01-02');
    return { findings: findings.filter((line) => line.includes(':8:6 moved-lines')), merge };
  }

  it('does not trace a reference from a merge whose parents disagree on the cited file', async () => {
    // Main changed the file too: the merge holds neither side's version.
    expect((await mergedReference(true)).findings).toEqual([]);
  });

  it('near miss: a merge whose parents agree on the cited file traces the reference from the merge', async () => {
    const { findings, merge } = await mergedReference(false);
    expect(findings).toEqual([
      `${DOC}:8:6 moved-lines lines 14-50 of \`infra/lb.tf\` moved to 15-51 since the reference was written in ${merge} (2026-01-12)`,
    ]);
  });

  it('maps uncommitted moves too, and trusts a reference whose line is not committed', async () => {
    const { repo } = baseRepository('`infra/lb.tf:12-48`');
    repo.write('infra/lb.tf', `header\n${code(60)}`);
    const { findings } = await run(repo.dir);
    expect(findings).toEqual([expect.stringContaining('moved-lines lines 12-48 of `infra/lb.tf` moved to 13-49 since')]);
    repo.write(DOC, repo.read(DOC).replace('12-48', '13-49'));
    expect((await run(repo.dir)).findings).toEqual([]);
  });
});

describe('waymark fix', () => {
  function movedRepository() {
    const { repo } = baseRepository();
    const lines = code(60).split('\n');
    lines.splice(3, 0, ...code(8, 'new').trimEnd().split('\n'));
    repo.write('infra/lb.tf', lines.join('\n'));
    repo.commit('2026-02-03', 'Add provider block');
    return repo;
  }

  it('prints a unified diff with --dry-run and writes nothing', async () => {
    const repo = movedRepository();
    const before = repo.read(DOC);
    const report = await fixRepository(repo.dir, { dryRun: true });
    const printed = formatFixReport(report, { dryRun: true });
    expect(printed.stdout).toBe(
      [
        `--- a/${DOC}`,
        `+++ b/${DOC}`,
        '@@ -4,4 +4,4 @@',
        ' - **Status**: current_implementation',
        ' - **Last Updated**: 2026-01-05',
        ' - **Last Validated**: 2026-01-05',
        '-- **Code Reference**: `infra/lb.tf:12-48`, `infra/lb.tf#L2-L3`, `infra/lb.tf (lines 50-52)`',
        '+- **Code Reference**: `infra/lb.tf:20-56`, `infra/lb.tf#L2-L3`, `infra/lb.tf (lines 58-60)`',
        '',
      ].join('\n'),
    );
    expect(printed.stderr).toBe('waymark: would rewrite 2 references in 1 file (dry run, nothing written)\n');
    expect(printed.exitCode).toBe(0);
    expect(repo.read(DOC)).toBe(before);
  });

  it('rewrites only the reference text, then has nothing left to fix', async () => {
    const repo = movedRepository();
    const before = repo.read(DOC);
    const printed = formatFixReport(await fixRepository(repo.dir), {});
    expect(printed.stdout).toBe(`fixed ${DOC} (2 references)\n`);
    expect(repo.read(DOC)).toBe(
      before.replace('`infra/lb.tf:12-48`', '`infra/lb.tf:20-56`').replace('`infra/lb.tf (lines 50-52)`', '`infra/lb.tf (lines 58-60)`'),
    );
    expect((await run(repo.dir)).findings).toEqual([]);
    expect(formatFixReport(await fixRepository(repo.dir), {}).stderr).toBe('waymark: no references to fix\n');
  });

  it('rewrites renamed paths, relative paths included', async () => {
    const repo = new Repo();
    repo.write('infra/lb.tf', code(60));
    repo.commit('2026-01-01', 'Add load balancer');
    repo.write(DOC, processDocument('`../../infra/lb.tf:12-48`, `infra/lb.tf`'));
    repo.commit('2026-01-05', 'Document');
    repo.move('infra/lb.tf', 'net/lb.tf');
    repo.commit('2026-02-03', 'Move networking');
    await fixRepository(repo.dir);
    expect(repo.read(DOC)).toContain('- **Code Reference**: `../../net/lb.tf:12-48`, `net/lb.tf`\n');
  });

  it('never touches an untracked file', async () => {
    const repo = movedRepository();
    repo.write('docs/draft.md', 'see `infra/lb.tf:12-48`\n');
    const [result] = await applyFixes(repo.dir, new Map([['docs/draft.md', [{ line: 1, column: 6, oldText: 'infra/lb.tf:12-48', newText: 'infra/lb.tf:20-56' }]]]));
    expect(result).toMatchObject({ file: 'docs/draft.md', status: 'refused', reason: 'it is not tracked by git' });
    expect(repo.read('docs/draft.md')).toBe('see `infra/lb.tf:12-48`\n');
  });
});

describe('without usable history', () => {
  it('returns no history outside git and before the first commit, and the rules stay quiet', async () => {
    const plain = new Repo(false);
    plain.write('infra/lb.tf', code(60)).write(DOC, processDocument('`infra/lb.tf:12-48`'));
    expect((await run(plain.dir)).history).toBeUndefined();
    const empty = new Repo();
    empty.write('infra/lb.tf', code(60)).write(DOC, processDocument('`infra/lb.tf:12-48`'));
    const result = await run(empty.dir);
    expect(result.history).toBeUndefined();
    expect(result.findings).toEqual([]);
  });

  it('degrades on a shallow clone: the boundary commit proves nothing', async () => {
    const { repo } = baseRepository('`infra/lb.tf:12-48`');
    repo.write('infra/lb.tf', code(60).replace('line 20\n', 'line 20 tightened\n'));
    repo.commit('2026-02-03', 'Tighten listener rule');
    const clone = new Repo(false);
    repo.git('clone', '-q', '--depth', '1', `file://${repo.dir}`, clone.dir);
    const result = await run(clone.dir);
    expect(result.history?.shallow).toBe(true);
    expect(result.findings).toEqual([]);
  });

  it('reads history for a folder inside a larger work tree, with paths relative to that folder', async () => {
    const repo = new Repo();
    repo.write('site/infra/lb.tf', code(60));
    repo.commit('2026-01-01', 'Add load balancer');
    repo.write(`site/${DOC}`, processDocument('`infra/lb.tf:12-48`'));
    repo.commit('2026-01-05', 'Document');
    repo.write('site/infra/lb.tf', `header\n${code(60)}`);
    repo.commit('2026-02-03', 'Header');
    const result = await run(path.join(repo.dir, 'site'));
    expect(result.findings).toEqual([expect.stringMatching(/^docs\/processes\/lb\.md:7:24 moved-lines lines 12-48 of `infra\/lb\.tf` moved to 13-49/)]);
  });

  it('records uncommitted changes under the uncommitted pseudo-commit', async () => {
    const { repo } = baseRepository('`infra/lb.tf:12-48`');
    repo.write('infra/lb.tf', code(60).replace('line 20\n', 'line 20 edited\n'));
    const { history } = await run(repo.dir);
    expect(history?.dirty).toEqual(['infra/lb.tf']);
    expect(history?.files['infra/lb.tf'].patches[0]).toEqual({ commit: UNCOMMITTED, hunks: [{ oldStart: 20, oldCount: 1, newStart: 20, newCount: 1 }] });
  });
});

describe('graph consistency', () => {
  it('flags a change-history row dated after Last Updated', async () => {
    const repo = new Repo(false);
    repo.write(
      DOC,
      processDocument('none', {
        updated: '2026-01-05',
        extra: '\n## Change History\n\n| Version | Date | Change |\n| --- | --- | --- |\n| 1.1 | 2026-02-01 | Added rollback |\n| 1.0 | 2026-01-05 | First |\n',
      }),
    );
    const { findings, suggestions } = await run(repo.dir);
    expect(findings).toEqual([`${DOC}:13:1 change-after-update the change-history row dated 2026-02-01 is later than \`Last Updated\` (2026-01-05)`]);
    expect(suggestions).toEqual(["change-after-update: set `Last Updated` to 2026-02-01, or correct the row's date"]);
  });

  it('flags a process citing files a later completed task modified', async () => {
    const repo = new Repo(false);
    repo.write('infra/lb.tf', code(10)).write('infra/dns.tf', code(3));
    repo.write(DOC, processDocument('`infra/lb.tf:1-5`', { validated: '2026-01-05' }));
    repo.write(
      'docs/summaries/task-001.md',
      [
        '# Infrastructure Implementation Summary: TASK-001 - Harden listener',
        '',
        '**Date**: 2026-02-01',
        '**Task ID**: TASK-001',
        '**Status**: ✅ Complete',
        '',
        '## Files Created/Modified',
        '',
        '- `infra/lb.tf`: tightened rules',
        '- `infra/dns.tf`: new record',
        '',
      ].join('\n'),
    );
    const { findings } = await run(repo.dir);
    expect(findings).toEqual([
      `${DOC}:6:1 process-needs-revalidation \`TASK-001\` was completed on 2026-02-01, after this process was last validated (2026-01-05), and modified \`infra/lb.tf\`, which the process cites`,
    ]);
  });

  it('flags a production process not validated within validationMaxAgeDays of WAYMARK_TODAY', async () => {
    const repo = new Repo(false);
    repo.write('infra/lb.tf', `# Deployment Process: Load Balancer\n# Environment: production\n${code(3)}`);
    repo.write(DOC, processDocument('`infra/lb.tf:3-5`', { validated: '2025-11-01', updated: '2025-11-01' }));
    expect((await run(repo.dir, '2026-01-30')).findings).toEqual([]);
    expect((await run(repo.dir, '2026-01-31')).findings).toEqual([
      `${DOC}:6:1 validation-overdue the production process \`Load Balancer\` was last validated on 2025-11-01, 91 days ago (the limit is 90)`,
    ]);
  });

  it('takes today from WAYMARK_TODAY when set, else the clock', () => {
    expect(resolveToday({ WAYMARK_TODAY: '2026-03-01' })).toBe('2026-03-01');
    expect(resolveToday({}, new Date(2026, 0, 7, 23, 30))).toBe('2026-01-07');
    expect(() => resolveToday({ WAYMARK_TODAY: '2026-02-30' })).toThrow('`WAYMARK_TODAY` must be a date as YYYY-MM-DD, not `2026-02-30`');
  });
});

describe('the base diffs', () => {
  it('ask git only for the cited paths the log says changed since the reference was written', async () => {
    const repo = new Repo();
    repo.write('infra/lb.tf', code(60)).write('infra/dns.tf', code(30, 'record'));
    repo.commit('2026-01-01', 'Add load balancer and DNS');
    repo.write(DOC, processDocument('`infra/lb.tf:12-48`, `infra/dns.tf:5-9`'));
    repo.commit('2026-01-05', 'Document the load balancer');
    repo.write('infra/lb.tf', `# one\n# two\n# three\n${code(60)}`);
    repo.commit('2026-02-03', 'Header for the load balancer');

    // A git on PATH that writes down the paths each patch read lists (after `--`), then runs the real one.
    const shim = mkdtempSync(path.join(os.tmpdir(), 'waymark-git-shim-'));
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const listed = path.join(shim, 'listed');
    writeFileSync(listed, '');
    writeFileSync(path.join(shim, 'git'), `#!/bin/sh\ncase " $* " in *" diff-tree "*" -p "*) printf '%s\\n' "$*" | sed 's/.* -- //' >> ${JSON.stringify(listed)};; esac\nexec ${JSON.stringify(realGit)} "$@"\n`);
    chmodSync(path.join(shim, 'git'), 0o755);
    const realPath = process.env.PATH;
    process.env.PATH = `${shim}:${realPath}`;
    try {
      const { findings } = await run(repo.dir);
      expect(findings.filter((line) => line.includes(' moved-lines '))).toEqual([
        expect.stringMatching(/^docs\/processes\/lb\.md:7:24 moved-lines lines 12-48 of `infra\/lb\.tf` moved to 15-51 /),
      ]);
    } finally {
      process.env.PATH = realPath;
    }
    expect(readFileSync(listed, 'utf8').trim().split('\n')).toEqual(['infra/lb.tf']);
    rmSync(shim, { recursive: true, force: true });
  });

  it("still trace a base's references when another base's file lacks a blob (a partial clone, a damaged mirror)", async () => {
    const repo = new Repo();
    repo.write('infra/lb.tf', code(60)).write('infra/dns.tf', code(30, 'record'));
    repo.commit('2026-01-01', 'Add load balancer and DNS');
    repo.write(DOC, processDocument('`infra/lb.tf:12-48`'));
    repo.commit('2026-01-05', 'Document the load balancer');
    repo.write(DOC, processDocument('`infra/lb.tf:12-48`', { extra: '- **Implementation**: `infra/dns.tf:5-9`' }));
    repo.commit('2026-01-10', 'Document DNS');
    repo.write('infra/lb.tf', `# one\n# two\n# three\n${code(60)}`).write('infra/dns.tf', `# zone\n${code(30, 'record')}`);
    repo.commit('2026-02-03', 'Headers');
    const blob = repo.git('rev-parse', 'HEAD~1:infra/dns.tf').trim();
    rmSync(path.join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));

    const moved = (await run(repo.dir)).findings.filter((line) => line.includes(' moved-lines '));
    // The two bases share one diff read, which fails; each is then read for its own files.
    expect(moved).toEqual([expect.stringMatching(/^docs\/processes\/lb\.md:7:24 moved-lines lines 12-48 of `infra\/lb\.tf` moved to 15-51 /)]);
  });
});
