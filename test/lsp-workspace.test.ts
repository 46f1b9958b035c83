/**
 * `waymark lsp` and the workspace around the open documents, driven through
 * the protocol on test/fixtures/lsp-editor (committed into a scratch git
 * repository): a new file never saved is checked as the work-tree version of
 * its file (and forgotten when closed unsaved, never checked when git ignores
 * it); edits to `waymark.config.json` and `.gitignore` are read without a
 * restart, while an untrusted workspace still never runs
 * `waymark.config.mjs`; the server registers its file watcher when the
 * client allows it; a request cancelled while it waits gets
 * `RequestCancelled`.
 */
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancellationTokenSource,
  CompletionRequest,
  DefinitionRequest,
  DidChangeWatchedFilesNotification,
  DidSaveTextDocumentNotification,
  FileChangeType,
  HoverRequest,
  LSPErrorCodes,
  type CompletionItem,
  type Location,
} from 'vscode-languageserver-protocol/node';
import { removeRepos, Repo } from './git-repo.ts';
import { fixturesDir } from './helpers.ts';
import { LspClient } from './lsp-client.ts';

const DOC = 'docs/processes/blue-green-rollout.md';
const MIGRATION = 'docs/processes/database-migration.md';
/** Written after the commit, untracked: it cites a runbook nobody wrote yet. */
const NOTES = 'docs/notes.md';
const CACHE = 'docs/runbooks/cache.md';

function committedFixture(): Repo {
  const repo = new Repo();
  cpSync(path.join(fixturesDir, 'lsp-editor/repo'), repo.dir, { recursive: true });
  repo.write('.gitignore', 'scratch/\n');
  repo.commit('2026-11-01', 'Platform repository');
  repo.write(NOTES, '# Notes\n\nWarm the cache first (`docs/runbooks/cache.md#warm-up`).\n');
  return repo;
}

afterAll(removeRepos);

describe('waymark lsp with a new file never saved', () => {
  let repo: Repo;
  let client: LspClient;

  beforeAll(async () => {
    repo = committedFixture();
    ({ client } = await LspClient.start(repo.dir));
    await client.until('the first check', () => client.diagnostics.has(NOTES));
  }, 120_000);

  afterAll(async () => {
    expect(await client?.stop()).toBe(0);
  });

  it('checks the unsaved buffer as the file, for its own problems and for the documents citing it', async () => {
    expect(client.lines(NOTES)).toEqual(['3:24 missing-file']);
    const text = '# Cache Runbook\n\n## Warm up\n\nRun `scripts/warm-cache.sh` before the switch. Tracked as TASK-002.\n';
    await client.open(CACHE, text);
    await client.until('the new buffer checked', () => client.lines(CACHE).includes('5:6 missing-file'));
    // The citing document now finds the file and its heading.
    await client.until('the citation resolved', () => client.lines(NOTES).length === 0);

    // Requests answer inside the buffer as in any file.
    const definition = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: client.uri(CACHE) }, position: { line: 4, character: 63 } })) as Location[];
    expect(definition.map((location) => `${client.fileOf(location.uri)}:${location.range.start.line + 1}`)).toEqual(['docs/plans/improvement-plan.md:16']);
    await client.change(CACHE, `${text}Tracked as TASK-\n`);
    const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(CACHE) }, position: { line: 5, character: 16 } })) as CompletionItem[];
    expect(items.map((item) => item.label)).toEqual(['TASK-001', 'TASK-002']);
    await client.change(CACHE, text.replace('## Warm up', '## Warm-up steps'));
    await client.until('the heading gone again', () => client.lines(NOTES).includes('3:24 missing-anchor'));

    // Closed unsaved: forgotten, its problems cleared, the citation broken again.
    await client.close(CACHE);
    await client.until('the buffer forgotten', () => client.lines(NOTES).includes('3:24 missing-file'));
    expect(client.lines(CACHE)).toEqual([]);
  });

  it('checks a file created on disk since the last listing, with no watcher to say so, once it is opened', async () => {
    const created = 'docs/runbooks/created.md';
    repo.write(created, '# Created\n\n');
    await client.open(created, '# Created\n\nSee `infra/missing.tf`.\n');
    await client.until('the created file checked', () => client.lines(created).includes('3:6 missing-file'));
    await client.close(created);
    // Closed: the disk's text, which cites nothing.
    await client.until('back to the disk', () => client.lines(created).length === 0);
    rmSync(path.join(repo.dir, created));
  });

  it('does not check a new buffer git ignores', async () => {
    await client.open('scratch/draft.md', '# Draft\n\nSee `infra/nowhere.tf`.\n');
    // A file checked after it, so the ignored one had its chance.
    await client.open('docs/later.md', '# Later\n\nSee `infra/elsewhere.tf`.\n');
    await client.until('the later buffer checked', () => client.lines('docs/later.md').includes('3:6 missing-file'));
    expect(client.lines('scratch/draft.md')).toEqual([]);
    await client.close('docs/later.md');
    await client.until('the later buffer forgotten', () => client.lines('docs/later.md').length === 0);
  });

  it('keeps checking the file once it is saved and closed', async () => {
    const text = '# Cache Runbook\n\n## Warm up\n\nNothing to run.\n';
    await client.open(CACHE, text);
    await client.until('the citation resolved', () => client.lines(NOTES).length === 0);
    repo.write(CACHE, text);
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: client.uri(CACHE) } });
    await client.close(CACHE);
    // A request answers once every edit so far is checked.
    await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(NOTES) }, position: { line: 0, character: 0 } });
    expect(client.lines(NOTES)).toEqual([]);
    rmSync(path.join(repo.dir, CACHE));
  });
});

describe('waymark lsp when the config or .gitignore changes', () => {
  it('reads waymark.config.json again, and .gitignore, without a restart', async () => {
    const repo = committedFixture();
    const { client } = await LspClient.start(repo.dir, { trusted: false }, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    await client.until('the first check', () => client.diagnostics.has(MIGRATION));
    // It asked to be told about files changed outside the editor.
    await client.until('the watcher registered', () => client.registrations.length > 0);
    expect(client.registrations.map((registration) => registration.method)).toEqual(['workspace/didChangeWatchedFiles']);
    const severity = () => client.diagnostics.get(MIGRATION)?.find((d) => d.code === 'unvalidated-process')?.severity;
    expect(severity()).toBe(2);

    const changed = (file: string, type: FileChangeType = FileChangeType.Changed) =>
      client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri(file), type }] });
    repo.write('waymark.config.json', '{ "rules": { "unvalidated-process": "error" } }\n');
    await changed('waymark.config.json', FileChangeType.Created);
    await client.until('the rule made an error', () => severity() === 1);

    // Saved in the editor, with no watcher: the same.
    const off = '{ "rules": { "unvalidated-process": "off" } }\n';
    await client.open('waymark.config.json', off, 'json');
    repo.write('waymark.config.json', off);
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: client.uri('waymark.config.json') } });
    await client.until('the rule turned off', () => severity() === undefined);
    await client.close('waymark.config.json');

    // A broken config: said so, and the last good one stays.
    repo.write('waymark.config.json', '{ "rules": { "unvalidated-process": "loud" } }\n');
    await changed('waymark.config.json');
    await client.until('the broken config reported', () => client.shown.some((message) => message.includes('waymark.config.json')));
    expect(severity()).toBeUndefined();

    rmSync(path.join(repo.dir, 'waymark.config.json'));
    await changed('waymark.config.json', FileChangeType.Deleted);
    await client.until('the default back', () => severity() === 2);

    // Ignored now: its problem goes.
    expect(client.lines(NOTES)).toEqual(['3:24 missing-file']);
    repo.write('.gitignore', 'scratch/\ndocs/notes.md\n');
    await changed('.gitignore');
    await client.until('the ignored file cleared', () => client.lines(NOTES).length === 0);
    expect(await client.stop()).toBe(0);
  }, 120_000);

  it('never runs a waymark.config.mjs added to an untrusted workspace', async () => {
    const repo = committedFixture();
    const { client } = await LspClient.start(repo.dir, { trusted: false });
    await client.until('the first check', () => client.diagnostics.has(MIGRATION));
    const marker = path.join(repo.dir, 'ran.txt');
    repo.write('waymark.config.mjs', `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default { rules: { 'unvalidated-process': 'error' } };\n`);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri('waymark.config.mjs'), type: FileChangeType.Created }] });
    await client.until('the refusal shown', () => client.shown.some((message) => /waymark\.config\.mjs` is code from the repository/.test(message)));
    expect(client.diagnostics.get(MIGRATION)!.find((d) => d.code === 'unvalidated-process')!.severity).toBe(2);
    expect(() => repo.read('ran.txt')).toThrow();
    expect(await client.stop()).toBe(0);
  }, 120_000);
});

describe('waymark lsp cancellation', () => {
  it('answers RequestCancelled to a request cancelled while the repository is still being read', async () => {
    const repo = committedFixture();
    const { client } = await LspClient.start(repo.dir);
    const source = new CancellationTokenSource();
    const hover = client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(DOC) }, position: { line: 13, character: 24 } }, source.token);
    source.cancel();
    await expect(hover).rejects.toMatchObject({ code: LSPErrorCodes.RequestCancelled });
    // The next one is answered.
    const answered = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(DOC) }, position: { line: 13, character: 24 } });
    expect(answered).not.toBeNull();
    expect(await client.stop()).toBe(0);
  }, 120_000);
});
