/**
 * A running check stops when a newer edit arrives while it waits. The one
 * wait of a check is reading the file list again (a new buffer, a file
 * created or deleted); the test holds that read (`git ls-files`, through a
 * `git` on the server's PATH that waits for a file the test writes), types
 * into the buffer meanwhile, then lets git answer: the check stops there
 * (logged) instead of reading, linking and checking text already out of
 * date, and the next check publishes the problems of the newest text.
 * On test/fixtures/lsp-interrupt, committed into a scratch git repository.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CompletionRequest } from 'vscode-languageserver-protocol/node';
import { removeRepos } from './git-repo.ts';
import { committedFixture, LspClient } from './lsp-client.ts';

const GUIDE = 'docs/guide.md';
const SETUP = 'docs/setup.md';

afterAll(removeRepos);

describe('waymark lsp interrupting a check', () => {
  it('stops a check waiting for the file list when a newer edit arrives, and publishes the newest text', async () => {
    const repo = committedFixture('lsp-interrupt', '2026-11-03', 'Onboarding');
    // Outside the repository: the held git and the files that steer it.
    const control = `${repo.dir}-control`;
    mkdirSync(path.join(control, 'bin'), { recursive: true });
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      path.join(control, 'bin/git'),
      `#!/bin/sh
# The listing of discover.ts (ls-files --others) waits while "hold" exists, until "release" does.
case " $* " in *" ls-files "*" --others "*)
  if [ -e "${control}/hold" ]; then
    touch "${control}/started"
    while [ ! -e "${control}/release" ]; do sleep 0.02; done
  fi;;
esac
exec ${JSON.stringify(realGit)} "$@"
`,
    );
    chmodSync(path.join(control, 'bin/git'), 0o755);
    const { client } = await LspClient.start(repo.dir, { trusted: false }, {}, { ...process.env, PATH: `${path.join(control, 'bin')}:${process.env.PATH}` });
    try {
      await client.until('the first check', () => client.lines(GUIDE).includes('3:34 missing-file'));

      // A buffer for a file not on disk: the file list is read again, and held.
      writeFileSync(path.join(control, 'hold'), '');
      await client.open(SETUP, '# Setup\n\n## Tools\n\nRun `scripts/bootstrap-old.sh` and `scripts/install.sh`.\n');
      await client.until('the listing held', () => existsSync(path.join(control, 'started')));
      // Typed meanwhile; a request's answer says the server has read the edit.
      const typed = '# Setup\n\n## Tools\n\nRun `scripts/bootstrap.sh`, then `scripts/install.sh`.\n';
      await client.change(SETUP, typed);
      await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(SETUP) }, position: { line: 0, character: 0 } });
      rmSync(path.join(control, 'hold'));
      writeFileSync(path.join(control, 'release'), '');

      await client.until('the newest text checked', () => client.lines(SETUP).length === 1 && client.lines(GUIDE).length === 0);
      expect(client.diagnostics.get(SETUP)!.map((d) => d.message)).toEqual(['`scripts/install.sh` does not exist']);
      // Stopped after the listing; the old text's check was never finished, nor published.
      expect(client.logs.filter((message) => /interrupted|dropped/.test(message))).toEqual(['waymark: check interrupted after listing the files; a newer edit came']);
      expect(client.publishes.filter((publish) => publish.startsWith(SETUP))).toEqual([`${SETUP} (1)`]);
    } finally {
      expect(await client.stop()).toBe(0);
      rmSync(control, { recursive: true, force: true });
    }
  }, 120_000);
});
