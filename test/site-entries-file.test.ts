/**
 * A build hands its collections' entries to the pages as a file, past Astro's
 * content store (`src/astro/entries-file.ts`): Astro inlined the store into
 * one JavaScript module, whose bundling and compiling was the build's memory
 * peak. The pages must see what they saw through the store (same entries,
 * same order), and the loaders must leave the store empty.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildEntries, COLLECTIONS, type SiteEntries } from '../src/astro/entries.ts';
import { readEntriesFile, writeEntriesFile } from '../src/astro/entries-file.ts';
import { waymarkLoader } from '../src/astro/loader.ts';
import { readRepoFile } from '../src/astro/read-repo-file.ts';
import { sampleScan } from './site/sample-graph.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'waymark-entries-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function sampleEntries(): Promise<SiteEntries> {
  const scan = sampleScan();
  return buildEntries(scan, (path) => readRepoFile(scan.root, path, scan.config.maxFileSize), '/', {}, { textOnDisk: true });
}

describe('entries file', () => {
  test('gives back every collection with the same entries', async () => {
    const entries = await sampleEntries();
    const file = join(work, 'same.json');
    await writeEntriesFile(file, entries);
    const read = await readEntriesFile(file);
    expect(Object.keys(read).sort()).toEqual([...COLLECTIONS].sort());
    for (const name of COLLECTIONS) {
      const byId = (list: SiteEntries[typeof name]) => new Map(list.map((e) => [e.id, e]));
      expect(byId(read[name])).toEqual(byId(JSON.parse(JSON.stringify(entries[name])) as SiteEntries[typeof name]));
    }
    expect(read.documents.length).toBeGreaterThan(0);
    expect(read.documents.every((d) => typeof d.html === 'string')).toBe(true);
  });

  test('keeps each collection in the order the store listed it: by id, case folded, not by code unit', async () => {
    const entries = await sampleEntries();
    const shuffled = { ...entries, markers: ['b', 'C', 'a', 'B'].map((id) => ({ id, data: {} })) };
    const file = join(work, 'order.json');
    await writeEntriesFile(file, shuffled);
    const ids = (await readEntriesFile(file)).markers.map((e) => e.id);
    expect(ids).toEqual(['a', 'b', 'B', 'C']);
  });

  test('with an entries file the loaders store nothing; without one they fill the store', async () => {
    const file = join(work, 'loader.json');
    await writeEntriesFile(file, await sampleEntries());
    for (const [input, stored] of [[{ entriesFile: file }, false], [{ scanFile: undefined }, true]] as const) {
      const store = new Map<string, unknown>();
      const ctx = {
        config: { base: '/' },
        logger: { debug: () => {} },
        generateDigest: (value: unknown) => JSON.stringify(value).length.toString(36),
        parseData: async ({ data }: { data: unknown }) => data,
        store: { get: (id: string) => store.get(id), set: (e: { id: string }) => void store.set(e.id, e), keys: () => [...store.keys()], delete: (id: string) => void store.delete(id) },
      };
      await waymarkLoader('site', input).load(ctx as never);
      expect(store.size > 0).toBe(stored);
    }
  });
});
