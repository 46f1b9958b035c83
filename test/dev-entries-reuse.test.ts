/**
 * `waymark dev` keeps each file's text and each document's rendered HTML from
 * one refresh to the next (`EntryReuse` in `src/astro/entries.ts`): only the
 * saved files are read again, and a document is rendered again only when its
 * text, its references or what its links resolve against changed. The entries
 * must be the ones a fresh build makes, before and after a save that adds a
 * broken reference to one document. On a copy of
 * test/fixtures/resident-moved-lines.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildEntries, type EntryReuse } from '../src/astro/entries.ts';
import { readRepoFile } from '../src/astro/read-repo-file.ts';
import { scanRepository } from '../src/node/scan.ts';
import { fixturesDir } from './helpers.ts';

const DOC = 'docs/processes/cache-warmup.md';
const copy = mkdtempSync(path.join(os.tmpdir(), 'waymark-dev-entries-'));
cpSync(path.join(fixturesDir, 'resident-moved-lines', 'repo'), copy, { recursive: true });
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** A scan of the copy, and a reader that records what it read. */
async function scanned() {
  const scan = await scanRepository(copy);
  const reads: string[] = [];
  const read = (file: string) => {
    reads.push(file);
    return readRepoFile(scan.root, file, scan.config.maxFileSize);
  };
  return { scan, read, reads };
}

describe('dev entries kept between refreshes', () => {
  test('only the saved file is read again; the entries equal a fresh build’s, before and after the save', async () => {
    const reuse: EntryReuse = { texts: new Map(), html: new Map() };
    const first = await scanned();
    const kept = await buildEntries(first.scan, first.read, '/', {}, { reuse });
    expect(kept).toEqual(await buildEntries(first.scan, first.read, '/'));
    expect(first.reads.length).toBeGreaterThan(4);

    // Nothing saved: nothing read, the same entries.
    const again = await scanned();
    expect(await buildEntries(again.scan, again.read, '/', {}, { reuse, changed: new Set() })).toEqual(kept);
    expect(again.reads).toEqual([]);

    // A save that adds a broken reference to one document: that file read again, its HTML shows the new reference.
    const text = readFileSync(path.join(copy, DOC), 'utf8');
    writeFileSync(path.join(copy, DOC), text.replace('## Overview\n', '## Overview\n\nApply `infra/nowhere.tf:1-5` first.\n'));
    const saved = await scanned();
    const after = await buildEntries(saved.scan, saved.read, '/', {}, { reuse, changed: new Set([DOC]) });
    expect(saved.reads).toEqual([DOC]);
    const fresh = await scanned();
    expect(after).toEqual(await buildEntries(fresh.scan, fresh.read, '/'));
    expect(after.documents.find((d) => d.id === DOC)?.html).toContain('infra/nowhere.tf');
    expect(after.problems.some((p) => String(p.data.message).includes('infra/nowhere.tf'))).toBe(true);
  });
});
