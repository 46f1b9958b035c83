/**
 * `waymark lsp` reads the config again when any file of its `extends` chain
 * changes, not only `waymark.config.json`: on test/fixtures/lsp-config-extends
 * (`waymark.config.json` → `config/team.json` → `config/org.json`), the
 * deepest base is edited, deleted (the problem is shown, the last good config
 * stays), created again (the chain read up to the missing file is still
 * watched), and the middle one saved in the editor without its `extends`
 * (then the old base no longer counts). In a trusted workspace an edited
 * `waymark.config.mjs` is run again (Node keeps one module per URL), and
 * the bases it extends are watched as well. A sub-project opened on its own
 * (test/fixtures/lsp-config-monorepo) has the server watch the monorepo's
 * base above the workspace folder, which the client would not report.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DidChangeWatchedFilesNotification, DidSaveTextDocumentNotification, FileChangeType, HoverRequest } from 'vscode-languageserver-protocol/node';
import { removeRepos } from './git-repo.ts';
import { committedFixture, LspClient } from './lsp-client.ts';

const RUNBOOK = 'docs/runbook.md';
const ORG = 'config/org.json';
const TEAM = 'config/team.json';

afterAll(removeRepos);

describe('waymark lsp and a config that extends others', () => {
  it('reads the config again when a base in its extends chain is edited, deleted, created or dropped', async () => {
    const repo = committedFixture('lsp-config-extends', '2026-11-02', 'Release tooling');
    const { client } = await LspClient.start(repo.dir, { trusted: false }, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    const severity = () => client.diagnostics.get(RUNBOOK)?.find((d) => d.code === 'missing-file')?.severity;
    await client.until('the first check', () => severity() === 2);
    const changed = (file: string, type: FileChangeType) => client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri(file), type }] });

    // The organisation lowers it to info: two files away from waymark.config.json.
    repo.write(ORG, '{ "rules": { "missing-file": "info" } }\n');
    await changed(ORG, FileChangeType.Changed);
    await client.until('the base edit read', () => severity() === 3);

    // Gone: said so, and the last good config stays.
    rmSync(path.join(repo.dir, ORG));
    await changed(ORG, FileChangeType.Deleted);
    await client.until('the missing base reported', () => client.shown.some((message) => message.includes('`./org.json` does not exist')));
    expect(severity()).toBe(3);

    // Back, turning the rule off: the file the broken chain stopped at is watched too.
    repo.write(ORG, '{ "rules": { "missing-file": "off" } }\n');
    await changed(ORG, FileChangeType.Created);
    await client.until('the recreated base read', () => client.diagnostics.get(RUNBOOK)?.length === 0);

    // The team drops the organisation's base (saved in the editor, no watcher event): the default severity.
    const team = '{}\n';
    await client.open(TEAM, team, 'jsonc');
    repo.write(TEAM, team);
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: client.uri(TEAM) } });
    await client.until('the chain without the base', () => severity() === 2);
    await client.close(TEAM);

    // No longer in the chain: an edit to it reads nothing again. A request answers once every edit is handled (and after the log of the last read).
    const hover = () => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(RUNBOOK) }, position: { line: 0, character: 0 } });
    const reads = () => client.logs.filter((message) => / files in /.test(message)).length;
    await hover();
    const before = reads();
    repo.write(ORG, '{ "rules": { "missing-file": "info" } }\n');
    await changed(ORG, FileChangeType.Changed);
    await hover();
    expect(severity()).toBe(2);
    expect(reads()).toBe(before);
    expect(await client.stop()).toBe(0);
  }, 120_000);

  it('runs an edited waymark.config.mjs again in a trusted workspace, and reads the bases it extends', async () => {
    const repo = committedFixture('lsp-config-extends', '2026-11-02', 'Release tooling');
    rmSync(path.join(repo.dir, 'waymark.config.json'));
    const config = (setting: string) => `export default { extends: 'config/team.json', rules: { 'missing-file': '${setting}' } };\n`;
    repo.write('waymark.config.mjs', config('info'));
    const { client } = await LspClient.start(repo.dir, { trusted: true });
    const severity = () => client.diagnostics.get(RUNBOOK)?.find((d) => d.code === 'missing-file')?.severity;
    await client.until('the first check', () => severity() === 3);
    const changed = (file: string) => client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri(file), type: FileChangeType.Changed }] });

    repo.write('waymark.config.mjs', config('off'));
    await changed('waymark.config.mjs');
    await client.until('the edited module run', () => client.diagnostics.get(RUNBOOK)?.length === 0);

    // Its own setting gone, the organisation's base decides.
    repo.write('waymark.config.mjs', "export default { extends: 'config/team.json' };\n");
    await changed('waymark.config.mjs');
    await client.until('the base setting', () => severity() === 2);
    repo.write(ORG, '{ "rules": { "missing-file": "info" } }\n');
    await changed(ORG);
    await client.until('the base edit read', () => severity() === 3);
    expect(await client.stop()).toBe(0);
  }, 120_000);

  it('watches a base above the workspace folder, and stops once the chain drops it', async () => {
    const repo = committedFixture('lsp-config-monorepo', '2026-11-05', 'Billing service');
    const service = path.join(repo.dir, 'services/billing');
    const { client } = await LspClient.start(service, { trusted: false }, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } });
    const severity = () => client.diagnostics.get('docs/invoicing.md')?.find((d) => d.code === 'missing-file')?.severity;
    await client.until('the first check', () => severity() === 2);
    const base = { baseUri: pathToFileURL(repo.dir).href, pattern: 'waymark.base.json' };
    const watchers = () => client.registrations.map((registration) => JSON.stringify((registration.registerOptions as { watchers: unknown[] }).watchers)).sort();
    await client.until('both watchers registered', () => client.registrations.length === 2);
    expect(watchers()).toEqual([JSON.stringify([{ globPattern: '**/*' }]), JSON.stringify([{ globPattern: base }])]);

    // What that watcher reports.
    repo.write('waymark.base.json', '{ "rules": { "missing-file": "info" } }\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: `${base.baseUri}/waymark.base.json`, type: FileChangeType.Changed }] });
    await client.until('the base edit read', () => severity() === 3);

    // The service stands alone now: the base is no longer watched.
    repo.write('services/billing/waymark.config.json', '{}\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: client.uri('waymark.config.json'), type: FileChangeType.Changed }] });
    await client.until('the default severity', () => severity() === 2);
    const outside = client.registrations.find((registration) => JSON.stringify(registration.registerOptions).includes('waymark.base.json'))!;
    await client.until('the base watcher withdrawn', () => client.unregistered.includes(outside.id));
    expect(await client.stop()).toBe(0);
  }, 120_000);
});
