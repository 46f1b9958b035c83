/**
 * The language server's work per keystroke does not grow with the
 * repository: at n and 4n documents, an edit re-reads one file and publishes
 * one file's diagnostics (the server logs both after every check). Counts,
 * not times: the latency is the bench's (scripts/bench-lsp.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LspClient } from './lsp-client.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-lsp-growth-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `count` runbooks, each citing its own script. */
function repository(count: number): string {
  const dir = path.join(scratch, `repo-${count}`);
  for (let index = 0; index < count; index++) {
    mkdirSync(path.join(dir, 'docs/runbooks'), { recursive: true });
    mkdirSync(path.join(dir, 'scripts'), { recursive: true });
    writeFileSync(path.join(dir, `scripts/task-${index}.sh`), `#!/bin/sh\necho "task ${index}"\nexit 0\n`);
    writeFileSync(path.join(dir, `docs/runbooks/task-${index}.md`), `# Task ${index}\n\nRun \`scripts/task-${index}.sh:2-3\` on the bastion.\n`);
  }
  return dir;
}

/** What the server did for each of three edits: break a reference, fix it, break it again. */
async function workPerEdit(count: number): Promise<string[]> {
  const { client } = await LspClient.start(repository(count));
  const document = 'docs/runbooks/task-0.md';
  const clean = '# Task 0\n\nRun `scripts/task-0.sh:2-3` on the bastion.\n';
  await client.open(document, clean);
  await client.until('the document checked', () => client.diagnostics.has(document));
  const work: string[] = [];
  for (const [text, broken] of [
    [clean.replace('task-0.sh', 'task-x.sh'), true],
    [clean, false],
    [clean.replace('2-3', '2-9'), true],
  ] as const) {
    const before = client.logs.length;
    await client.change(document, text);
    await client.until('the edit checked', () => (client.diagnostics.get(document)!.length > 0) === broken && client.logs.slice(before).find((log) => log.startsWith('waymark: checked')));
    work.push(...client.logs.slice(before).filter((log) => log.startsWith('waymark: checked')).map((log) => log.replace(/ in \d+ ms/g, '')));
  }
  expect(await client.stop()).toBe(0);
  return work;
}

describe('waymark lsp, work per edit', () => {
  it('re-reads and publishes one file per edit at n and at 4n files', async () => {
    const small = await workPerEdit(10);
    expect(small).toEqual(Array(3).fill('waymark: checked 1 changed file(s); published 1 file(s)'));
    expect(await workPerEdit(40)).toEqual(small);
  }, 180_000);
});
