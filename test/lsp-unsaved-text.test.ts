/**
 * `waymark lsp` on unsaved text, driven through the protocol on
 * test/fixtures/lsp-editor with a `waymark.config.json`: the config's
 * severities and an inline `waymark-ignore-next-line` typed in the buffer
 * apply as they do in `waymark check`; a hover on a reference names the other
 * documents citing lines of its range; paths complete after `Reference:` with no
 * backtick.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionRequest, HoverRequest, type CompletionItem, type Hover } from 'vscode-languageserver-protocol/node';
import { removeRepos, Repo } from './git-repo.ts';
import { fixturesDir } from './helpers.ts';
import { LspClient } from './lsp-client.ts';

const DOC = 'docs/processes/blue-green-rollout.md';

afterAll(removeRepos);

describe('waymark lsp on unsaved text with a config', () => {
  let repo: Repo;
  let client: LspClient;
  let text: string;

  beforeAll(async () => {
    repo = new Repo();
    cpSync(path.join(fixturesDir, 'lsp-editor/repo'), repo.dir, { recursive: true });
    // A missing file is a warning here, not the default error.
    repo.write('waymark.config.json', '{ "rules": { "missing-file": "warning" } }\n');
    // Cites lines inside the range the process cites.
    repo.write('docs/runbooks/listener-rule.md', '# Listener Rule\n\nThe condition (`infra/lb.tf:8-12`) picks the host.\n');
    repo.commit('2026-11-01', 'Platform repository');
    text = repo.read(DOC);
    ({ client } = await LspClient.start(repo.dir));
    await client.until('the first check', () => client.diagnostics.has('docs/processes/database-migration.md'));
    await client.open(DOC, text);
  }, 120_000);

  afterAll(async () => {
    expect(await client?.stop()).toBe(0);
  });

  it('reports with the severities of waymark.config.json and honours a suppression typed in the buffer', async () => {
    const edited = `${text}\nSee \`scripts/gone.sh\`.\n\n<!-- waymark-ignore-next-line missing-file -->\nSee \`scripts/also-gone.sh\`.\n`;
    await client.change(DOC, edited);
    await client.until('the new problem', () => client.lines(DOC).some((line) => line.endsWith('missing-file')));
    const lines = edited.split('\n');
    expect(client.lines(DOC)).toEqual([`${lines.indexOf('See `scripts/gone.sh`.') + 1}:6 missing-file`]);
    expect(client.diagnostics.get(DOC)!.map((d) => d.severity)).toEqual([2]);
    await client.change(DOC, text);
    await client.until('the problem cleared', () => client.lines(DOC).length === 0);
  });

  it('names the other documents citing the same lines in a hover', async () => {
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(DOC) }, position: { line: 13, character: 24 } })) as Hover;
    const value = (hover.contents as { value: string }).value;
    // Lines that overlap, not the plan naming the whole file.
    expect(value.split('\n').filter((line) => line.startsWith('Also cited by:'))).toEqual(['Also cited by: `docs/runbooks/listener-rule.md:3`']);
  });

  it('completes a path after `Reference:` with no backtick', async () => {
    const line = '**Code Reference**: scripts/dep';
    await client.change(DOC, `${text}${line}\n`);
    const items = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: client.uri(DOC) },
      position: { line: text.split('\n').length - 1, character: line.length },
    })) as CompletionItem[];
    expect(items.map((item) => item.label)).toContain('scripts/deploy.sh');
    await client.change(DOC, text);
  });
});
