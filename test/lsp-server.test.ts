/**
 * `waymark lsp` driven through the protocol, as an editor drives it, on
 * test/fixtures/lsp-editor (committed into a scratch git repository, then
 * changed): diagnostics from unsaved text, cleared when fixed; git rules
 * reading an unsaved buffer as the work tree; definition, hover, completion,
 * code actions and references; and no `waymark.config.mjs` run unless the
 * client says the workspace is trusted.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  HoverRequest,
  ReferencesRequest,
  type CodeAction,
  type CompletionItem,
  type Hover,
  type Location,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { removeRepos, Repo } from './git-repo.ts';
import { binPath, fixturesDir } from './helpers.ts';
import { LspClient } from './lsp-client.ts';

const DOC = 'docs/processes/blue-green-rollout.md';
const MIGRATION = 'docs/processes/database-migration.md';
const LB = 'infra/lb.tf';
const DEPLOY = 'scripts/deploy.sh';

/** The fixture, committed on 2026-11-01; then the listener rule changes on 2026-11-10, after the process was validated. */
function committedFixture(): Repo {
  const repo = new Repo();
  cpSync(path.join(fixturesDir, 'lsp-editor/repo'), repo.dir, { recursive: true });
  repo.commit('2026-11-01', 'Platform repository');
  repo.write(LB, repo.read(LB).replace('priority     = 100', 'priority     = 200'));
  repo.commit('2026-11-10', 'Raise the listener rule priority');
  return repo;
}

/** The 0-based position of the `nth` occurrence of `needle` in `text`, `offset` characters into it. */
function positionOf(text: string, needle: string, offset = 1, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`\`${needle}\` is not in the text`);
  const before = text.slice(0, at + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

const where = (location: Location, root: LspClient) => `${root.fileOf(location.uri)}:${location.range.start.line + 1}-${location.range.end.line + 1}`;

describe('waymark lsp', () => {
  let repo: Repo;
  let client: LspClient;
  let docText: string;

  beforeAll(async () => {
    repo = committedFixture();
    docText = repo.read(DOC);
    ({ client } = await LspClient.start(repo.dir));
    await client.until('the first check', () => client.diagnostics.has(MIGRATION));
  }, 120_000);

  afterAll(async () => {
    expect(await client?.stop()).toBe(0);
    removeRepos();
  });

  it('publishes the problems `waymark check` finds, each linked to its rule page', () => {
    expect(client.lines(MIGRATION)).toEqual(['1:1 orphan-process', '1:1 unvalidated-process']);
    expect(client.lines(DOC)).toEqual(['14:22 stale-reference']);
    const [stale] = client.diagnostics.get(DOC)!;
    expect(stale).toMatchObject({
      source: 'waymark',
      severity: 2,
      code: 'stale-reference',
      codeDescription: { href: expect.stringMatching(/\/docs\/rules\/stale-reference\.md$/) },
      // The reference's own span: `infra/lb.tf:4-18`.
      range: { start: { line: 13, character: 21 }, end: { line: 13, character: 37 } },
    });
    // Only the protocol on stdout: the client read every message and nothing else.
    expect(client.stderr).not.toMatch(/Header must provide a Content-Length/);
  });

  it('checks unsaved text as the user types, and clears the problem once fixed', async () => {
    await client.open(DOC, docText);
    const broken = docText.replace('Run `scripts/deploy.sh`', 'Run `scripts/deploy-all.sh`');
    await client.change(DOC, broken);
    await client.until('missing-file on the unsaved document', () => client.lines(DOC).some((line) => line.endsWith('missing-file')));
    expect(client.lines(DOC)).toContain('16:6 missing-file');
    expect(client.diagnostics.get(DOC)!.find((d) => d.code === 'missing-file')!.message).toMatch(/`scripts\/deploy-all\.sh` does not exist/);

    await client.change(DOC, docText);
    await client.until('the fix to clear missing-file', () => !client.lines(DOC).some((line) => line.endsWith('missing-file')));
  });

  it('publishes an opened document once, an empty list when it has no problems', async () => {
    const runbook = 'docs/runbooks/incident.md';
    expect(client.diagnostics.has(runbook)).toBe(false);
    await client.open(runbook, repo.read(runbook));
    await client.until('the runbook checked', () => client.diagnostics.has(runbook));
    expect(client.diagnostics.get(runbook)).toEqual([]);
    await client.close(runbook);
  });

  it('reads files changed outside the editor when the client reports them', async () => {
    const notes = 'docs/notes.md';
    repo.write(notes, '# Notes\n\nThe old script was `scripts/switch.sh`.\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri(notes), type: FileChangeType.Created }] });
    await client.until('the new file checked', () => client.lines(notes).includes('3:21 missing-file'));
    rmSync(path.join(repo.dir, notes));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri(notes), type: FileChangeType.Deleted }] });
    await client.until('the deleted file cleared', () => client.lines(notes).length === 0);
  });

  it('checks a code file as the user types its markers', async () => {
    const text = repo.read(DEPLOY);
    await client.open(DEPLOY, text, 'shellscript');
    await client.change(DEPLOY, text.replace('# Deployment Process: Blue/Green Rollout', '# Deployment Process: Blue Green Rolout'));
    await client.until('unknown-process in the code file', () => client.lines(DEPLOY).some((line) => line.endsWith('unknown-process')));
    await client.change(DEPLOY, text);
    await client.until('unknown-process cleared', () => !client.lines(DEPLOY).some((line) => line.endsWith('unknown-process')));
    await client.close(DEPLOY);
  });

  it('goes to the cited range, heading, symbol, process and task', async () => {
    const definition = async (file: string, text: string, needle: string, offset = 1) => {
      const found = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: client.uri(file) }, position: positionOf(text, needle, offset) })) as Location[];
      return (found ?? []).map((location) => where(location, client));
    };
    expect(await definition(DOC, docText, 'infra/lb.tf:4-18')).toEqual(['infra/lb.tf:4-18']);
    expect(await definition(DOC, docText, 'docs/runbooks/incident.md#paging', 5)).toEqual(['docs/runbooks/incident.md:3-3']);
    expect(await definition(DOC, docText, 'scripts/deploy.sh#rollback', 20)).toEqual(['scripts/deploy.sh:11-15']);
    expect(await definition(DOC, docText, 'TASK-002', 3)).toEqual(['docs/plans/improvement-plan.md:16-16']);
    expect(await definition(LB, repo.read(LB), 'Blue/Green', 2)).toEqual(['docs/processes/blue-green-rollout.md:1-1']);
    // Plain words are not a target.
    expect(await definition(DOC, docText, 'Traffic moves')).toEqual([]);
  });

  it('hovers with the cited lines, their state and other citers; on a process, its status and owner', async () => {
    const hover = async (file: string, text: string, needle: string, offset = 1) =>
      ((await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(file) }, position: positionOf(text, needle, offset) })) as Hover | null)?.contents as
        | { value: string }
        | undefined;
    const cited = (await hover(DOC, docText, 'infra/lb.tf:4-18'))!.value;
    expect(cited).toContain('resource "aws_lb_listener_rule" "switch" {');
    expect(cited).toContain('priority     = 200');
    expect(cited).toMatch(/State: stale since [0-9a-f]{7} 2026-11-10 "Raise the listener rule priority"/);
    // All 15 lines of the range: the limit is 15.
    expect(cited).toContain('target_group_arn = local.live_group_arn');
    expect(cited).not.toContain('moved to');

    const process = (await hover(LB, repo.read(LB), 'Blue/Green', 2))!.value;
    expect(process).toContain('Status: validated');
    expect(process).toContain('Last validated: 2026-11-02');
    expect(process).toContain('Owner: Platform team');

    const migration = repo.read(MIGRATION);
    expect((await hover(MIGRATION, migration, 'infra/lb.tf:20-24'))!.value).toMatch(/State: ok/);
  });

  it('completes paths, line ranges, anchors, process names and task ids', async () => {
    const complete = async (file: string, text: string, line: string) => {
      await client.change(file, `${text}${line}\n`);
      const position = { line: text.split('\n').length - 1, character: line.length };
      const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(file) }, position })) as CompletionItem[];
      return items.map((item) => item.label);
    };
    expect(await complete(DOC, docText, '**Code Reference**: `infra/l')).toContain('infra/lb.tf');
    expect(await complete(DOC, docText, 'See `docs/runbooks/incident.md#')).toEqual(['incident-runbook', 'paging', 'status-page']);
    const ranges = await complete(DOC, docText, 'See `infra/lb.tf:');
    expect(ranges).toContain('4-18');
    expect(ranges).toContain('1-30');
    expect(await complete(DOC, docText, 'See `scripts/deploy.sh#')).toEqual(['switch_traffic', 'rollback']);
    expect(await complete(DOC, docText, 'Tracked as TASK-')).toEqual(['TASK-001', 'TASK-002']);
    await client.change(DOC, docText);

    const deploy = repo.read(DEPLOY);
    await client.open(DEPLOY, deploy, 'shellscript');
    expect(await complete(DEPLOY, deploy, '# Deployment Process: ')).toEqual(['Blue/Green Rollout', 'Database Migration']);
    await client.close(DEPLOY);
  });

  it('finds the documents citing a line of code', async () => {
    const lb = repo.read(LB);
    const cite = async (needle: string) =>
      ((await client.connection.sendRequest(ReferencesRequest.type, {
        textDocument: { uri: client.uri(LB) },
        position: positionOf(lb, needle),
        context: { includeDeclaration: false },
      })) as Location[]).map((location) => `${client.fileOf(location.uri)}:${location.range.start.line + 1}`);
    expect(await cite('priority     = 200')).toEqual([`${DOC}:14`, 'docs/plans/improvement-plan.md:14']);
    expect(await cite('name        = "shop-blue"')).toEqual([`${MIGRATION}:12`, 'docs/plans/improvement-plan.md:14']);
  });

  it('offers "Last Validated: today" on a process document and a symbol reference for a line range', async () => {
    const actions = async (file: string, line: number) =>
      (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: client.uri(file) },
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        context: { diagnostics: [] },
      })) as CodeAction[];
    const migration = await actions(MIGRATION, 0);
    const validate = migration.find((action) => action.title === 'Add `Last Validated: 2026-11-26`')!;
    expect(validate.edit!.changes![client.uri(MIGRATION)]).toEqual([{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '**Last Validated**: 2026-11-26\n' }]);

    const onRange = await actions(DOC, 13);
    const symbol = onRange.find((action) => action.kind === 'refactor.rewrite')!;
    expect(symbol.title).toBe('Turn `infra/lb.tf:4-18` into the symbol reference `infra/lb.tf#aws_lb_listener_rule.switch`');
    expect(symbol.edit!.changes![client.uri(DOC)]).toEqual([{ range: { start: { line: 13, character: 21 }, end: { line: 13, character: 37 } }, newText: 'infra/lb.tf#aws_lb_listener_rule.switch' }]);
    expect((await actions(DOC, 13)).find((action) => action.title.startsWith('Set `Last Validated'))).toBeDefined();
  });

  it('reads an unsaved code buffer as the work tree: moved lines show, and are fixed by a code action', async () => {
    const lb = repo.read(LB);
    // Three lines above the cited block, in the editor only.
    await client.open(LB, `# Owned by the platform team.\n#\n${lb.replace('\n\nresource "aws_lb_listener_rule"', '\n\n\nresource "aws_lb_listener_rule"')}`, 'terraform');
    await client.until('moved-lines from the unsaved buffer', () => client.lines(DOC).some((line) => line.endsWith('moved-lines')));
    const fixes = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri(DOC) },
      range: { start: { line: 13, character: 22 }, end: { line: 13, character: 22 } },
      context: { diagnostics: client.diagnostics.get(DOC)!.filter((d) => d.code === 'moved-lines') },
    })) as CodeAction[];
    const fix = fixes.find((action) => action.kind === 'quickfix')!;
    expect(fix.title).toBe('Update `infra/lb.tf:4-18` to the moved lines: `infra/lb.tf:7-21`');
    expect(fix.isPreferred).toBe(true);
    expect(fix.diagnostics!.map((d) => d.code)).toEqual(['moved-lines']);
    expect(fix.edit!.changes![client.uri(DOC)]).toEqual([{ range: { start: { line: 13, character: 21 }, end: { line: 13, character: 37 } }, newText: 'infra/lb.tf:7-21' }]);

    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(DOC) }, position: { line: 13, character: 24 } })) as Hover;
    expect((hover.contents as { value: string }).value).toContain('State: moved to 7-21 (fix: `infra/lb.tf:7-21`)');

    // Closing the buffer goes back to the disk's text, where nothing moved.
    await client.close(LB);
    await client.until('moved-lines cleared', () => !client.lines(DOC).some((line) => line.endsWith('moved-lines')));
    expect(repo.read(LB)).toBe(lb);
  });
});

describe('waymark lsp after a commit that renames a cited file', () => {
  it('offers the rename `waymark fix` would make', async () => {
    const repo = committedFixture();
    const { client } = await LspClient.start(repo.dir);
    await client.until('the first check', () => client.diagnostics.has(MIGRATION));
    repo.move('docs/runbooks/incident.md', 'docs/runbooks/on-call.md');
    repo.commit('2026-11-20', 'Rename the incident runbook');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [
        { uri: client.uri('docs/runbooks/incident.md'), type: FileChangeType.Deleted },
        { uri: client.uri('docs/runbooks/on-call.md'), type: FileChangeType.Created },
        { uri: client.uri('.git/HEAD'), type: FileChangeType.Changed },
      ],
    });
    await client.until('the reference to the old name', () => client.lines(DOC).includes('22:59 missing-file'));
    const line = repo.read(DOC).split('\n')[21];
    let fix: CodeAction | undefined;
    // The rename is known once git history is read again, just after the check.
    for (let attempt = 0; attempt < 60 && !fix; attempt++) {
      const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: client.uri(DOC) },
        range: { start: { line: 21, character: 0 }, end: { line: 21, character: line.length } },
        context: { diagnostics: client.diagnostics.get(DOC)! },
      })) as CodeAction[];
      fix = actions.find((action) => action.kind === 'quickfix');
      if (!fix) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(fix!.title).toBe('Update `docs/runbooks/incident.md#paging` to the renamed file: `docs/runbooks/on-call.md#paging`');
    expect(fix!.diagnostics!.map((d) => d.code)).toEqual(['missing-file']);
    expect(await client.stop()).toBe(0);
  }, 120_000);
});

describe('waymark lsp on the command line', () => {
  it('is listed in the help and has its own usage', () => {
    const help = spawnSync(process.execPath, [binPath, '--help'], { encoding: 'utf8' });
    expect(help.stdout).toMatch(/^  lsp {2,}Language server for editors/m);
    const usage = spawnSync(process.execPath, [binPath, 'lsp', '--help'], { encoding: 'utf8' });
    expect(usage.status).toBe(0);
    expect(usage.stdout).toMatch(/^Usage: waymark lsp \[--stdio\]/);
  });
});

describe('waymark lsp in an untrusted workspace', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-lsp-trust-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function repositoryWithCodeConfig(name: string): string {
    const dir = path.join(scratch, name);
    cpSync(path.join(fixturesDir, 'lsp-editor/repo'), dir, { recursive: true });
    // Run, it makes a never-validated process an error.
    writeFileSync(path.join(dir, 'waymark.config.mjs'), "export default { rules: { 'unvalidated-process': 'error' } };\n");
    return dir;
  }

  it('runs no waymark.config.mjs unless the client says the workspace is trusted', async () => {
    const untrusted = await LspClient.start(repositoryWithCodeConfig('untrusted'), { trusted: false });
    await untrusted.client.until('a message that the config was not run', () => untrusted.client.shown.length > 0);
    expect(untrusted.client.shown.join('\n')).toMatch(/waymark\.config\.mjs` is code from the repository/);
    expect(untrusted.client.publishes).toEqual([]);
    expect(await untrusted.client.stop()).toBe(0);

    const trusted = await LspClient.start(repositoryWithCodeConfig('trusted'), { trusted: true });
    await trusted.client.until('the first check', () => trusted.client.diagnostics.has(MIGRATION));
    expect(trusted.client.diagnostics.get(MIGRATION)!.find((d) => d.code === 'unvalidated-process')!.severity).toBe(1);
    expect(await trusted.client.stop()).toBe(0);
  }, 120_000);

  it('honours waymark-suppressions.json: recorded problems stay quiet, new ones show', async () => {
    const root = repositoryWithCodeConfig('suppressed');
    rmSync(path.join(root, 'waymark.config.mjs'));
    const recorded = spawnSync(process.execPath, [binPath, 'check', '--repo', root, '--suppress-all'], { encoding: 'utf8' });
    expect(recorded.status).toBe(0);
    const { client } = await LspClient.start(root);
    const text = readFileSync(path.join(root, MIGRATION), 'utf8');
    await client.open(MIGRATION, text);
    await client.until('the suppressed document published', () => client.diagnostics.has(MIGRATION));
    expect(client.lines(MIGRATION)).toEqual([]);
    await client.change(MIGRATION, `${text}\nSee \`infra/dns.tf\`.\n`);
    await client.until('the new problem', () => client.lines(MIGRATION).length > 0);
    expect(client.lines(MIGRATION)).toEqual(['14:6 missing-file']);
    expect(await client.stop()).toBe(0);
  }, 120_000);

  it('never reads a document outside the repository', async () => {
    const root = repositoryWithCodeConfig('outside');
    rmSync(path.join(root, 'waymark.config.mjs'));
    const outside = path.join(scratch, 'secret.md');
    writeFileSync(outside, '# Secret\n\nSee `infra/nowhere.tf`.\n');
    const { client } = await LspClient.start(root);
    await client.until('the first check', () => client.diagnostics.has(MIGRATION));
    await client.open('../secret.md', '# Secret\n\nSee `infra/nowhere.tf`.\n');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri('../secret.md') }, position: { line: 2, character: 8 } });
    expect(hover).toBeNull();
    expect([...client.diagnostics.keys()].some((file) => file.startsWith('..'))).toBe(false);
    expect(await client.stop()).toBe(0);
  }, 120_000);
});
