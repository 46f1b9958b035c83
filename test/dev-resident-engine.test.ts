/**
 * `waymark dev` refreshes the site from the resident engine (the one behind
 * `check --watch` and the language server, `src/astro/dev-engine.ts`): a
 * saved document is checked alone ("checked 1 changed file") and its new
 * problem shows on the next request; an edit to the config opens the engine
 * again with it, and the problem goes when the config turns its rule off.
 * The executable runs in a child process on a copy of
 * test/fixtures/resident-moved-lines, as in `test/dev.test.ts`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { devOnCopy, type DevOnCopy } from './dev-server-helpers.ts';
import { fixturesDir } from './helpers.ts';

const DOC = 'docs/processes/cache-warmup.md';
let dev: DevOnCopy;

const page = async (path: string) => (await fetch(dev.url + path)).text();

beforeAll(async () => {
  dev = await devOnCopy(join(fixturesDir, 'resident-moved-lines', 'repo'), 'waymark-dev-resident-');
}, 90_000);

afterAll(() => dev?.stop());

describe('waymark dev on the resident engine', () => {
  test('checks a saved document alone and shows its new problem; a config edit opens the engine again with it', async () => {
    // Edits come once the site is up and indexed, as a writer's do.
    await dev.until('the search index', async () => (dev.output().includes('search index ready') ? true : undefined));
    expect(await page('processes/cache-warmup/')).not.toContain('infra/nowhere.tf');
    const text = await readFile(join(dev.repo, DOC), 'utf8');
    let from = dev.output().length;
    await writeFile(join(dev.repo, DOC), text.replace('## Overview\n', '## Overview\n\nApply `infra/nowhere.tf:1-5` first.\n'));
    from = await dev.synced(from);
    expect(dev.output().slice(0, from)).toMatch(/checked 1 changed file in \d+ ms/);
    await dev.until('the new problem on the problems page', async () => ((await page('problems/')).includes('infra/nowhere.tf') ? true : undefined));

    // The config turns the rule off: a new engine, and the problem is gone.
    await writeFile(join(dev.repo, 'waymark.config.json'), '{ "rules": { "missing-file": "off" } }\n');
    await dev.synced(from);
    await dev.until('the problem gone with the new config', async () => ((await page('problems/')).includes('infra/nowhere.tf') ? undefined : true));
    // Near miss: the document still cites the file (the page shows the reference); only the problem went.
    expect(await page('processes/cache-warmup/')).toContain('infra/nowhere.tf');
  }, 200_000);
});
