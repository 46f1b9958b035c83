import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildEntries, COLLECTIONS, problemIds, sourceDateEpoch } from '../src/astro/entries.ts';
import { waymarkLoader } from '../src/astro/loader.ts';
import { readRepoFile } from '../src/astro/read-repo-file.ts';
import { readScanFile, writeScanFile } from '../src/node/scan-file.ts';
import { FIXTURE_REPO, sampleScan } from './site/sample-graph.ts';

describe('readRepoFile', () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'waymark-repo-'));
    outside = await mkdtemp(join(tmpdir(), 'waymark-outside-'));
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await mkdir(join(root, 'a'));
    await writeFile(join(root, 'a', 'ok.tf'), 'resource {}\n');
    await writeFile(join(root, 'bin.dat'), Buffer.from([1, 0, 2]));
    await writeFile(join(root, 'big.txt'), 'x'.repeat(100));
    await symlink(join(outside, 'secret.txt'), join(root, 'link.txt'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  test('reads files inside the repository', async () => {
    expect(await readRepoFile(root, 'a/ok.tf', 1000)).toEqual({ text: 'resource {}\n' });
  });
  test.each([['../secret.txt'], ['a/../../secret.txt'], ['/etc/passwd'], ['']])('refuses %j', async (path) => {
    expect((await readRepoFile(root, path, 1000)).text).toBeUndefined();
  });
  test('never follows a symlink out of the repository', async () => {
    expect(await readRepoFile(root, 'link.txt', 1000)).toEqual({ reason: 'outside' });
  });
  test('reports binary, too large and missing files', async () => {
    expect(await readRepoFile(root, 'bin.dat', 1000)).toEqual({ reason: 'binary' });
    expect(await readRepoFile(root, 'big.txt', 10)).toEqual({ reason: 'too-large' });
    expect(await readRepoFile(root, 'nope.txt', 10)).toEqual({ reason: 'missing' });
  });
});

describe('collection entries', () => {
  test('problem ids are stable and unique', () => {
    const d = { rule: 'r', file: 'f', line: 1, column: 2 };
    expect(problemIds([d, d, { ...d, line: 2 }])).toEqual(['r/f:1:2', 'r/f:1:2~1', 'r/f:2:2']);
  });

  test('SOURCE_DATE_EPOCH sets the reference date', () => {
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: '1767225600' })).toBe('2026-01-01');
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: 'x' })).toBeUndefined();
  });

  test('one scan fills every collection; documents come rendered', async () => {
    const scan = sampleScan();
    const entries = await buildEntries(scan, (path) => readRepoFile(scan.root, path, 1 << 20), '/b/');
    expect(Object.keys(entries).sort()).toEqual([...COLLECTIONS].sort());
    expect(entries.site[0].data).toMatchObject({ name: 'fixture-repo', title: 'Example <Infra>', base: '/b/', referenceDate: '2026-02-01' });
    expect(entries.processes.map((e) => e.id)).toEqual(['blue-green-rollout', 'database-backup']);
    const process = entries.documents.find((e) => e.id === 'docs/processes/blue-green-rollout.md')!;
    // Process documents sit under the page's own h1.
    expect(process.html).toMatch(/^<h2 id="deployment-process-bluegreen-rollout">/);
    expect(process.html).toContain('href="/b/files/infra/lb.tf/#L3-L10"');
    const readme = entries.documents.find((e) => e.id === 'README.md')!;
    expect(readme.html).toMatch(/^<h1 id="example-infra">/);
    const file = entries.files.find((e) => e.id === 'infra/lb.tf')!;
    expect(file.body).toContain('aws_lb_listener_rule');
    expect(entries.problems.map((e) => e.id)).toEqual([
      'missing-file/docs/processes/backup.md:6:24',
      'never-validated/docs/processes/backup.md:5:1',
      'line-out-of-range/docs/processes/blue-green-rollout.md:19:22',
    ]);
  });
});

describe('waymarkLoader', () => {
  function fakeContext(collection: string) {
    const store = new Map<string, { id: string; data: Record<string, unknown>; digest?: string | number; body?: string; rendered?: { html: string } }>();
    const sets: string[] = [];
    const ctx = {
      collection,
      config: { base: '/' },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      parseData: async ({ data }: { data: Record<string, unknown> }) => data,
      generateDigest: (data: unknown) => JSON.stringify(data).length.toString(36) + JSON.stringify(data).slice(0, 40),
      store: {
        get: (id: string) => store.get(id),
        set: (entry: { id: string; data: Record<string, unknown> }) => {
          sets.push(entry.id);
          store.set(entry.id, entry);
          return true;
        },
        keys: () => [...store.keys()],
        delete: (id: string) => void store.delete(id),
      },
    };
    return { ctx, store, sets };
  }

  // The build hands its scan over as a file in a private folder; the loader reads it instead of scanning.
  let work: string;
  let input: { repo: string; scanFile: string };
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'waymark-scan-'));
    input = { repo: FIXTURE_REPO, scanFile: join(work, 'scan.json') };
    await writeScanFile(input.scanFile, sampleScan());
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  test('the scan file gives back the scan, the tag map of the config included', async () => {
    const scan = sampleScan();
    const read = await readScanFile(input.scanFile);
    expect(read.config.tags).toBeInstanceOf(Map);
    expect([...read.config.tags]).toEqual([...scan.config.tags]);
    expect(read.graph).toEqual(JSON.parse(JSON.stringify(scan.graph)));
  });

  test('validates its collection name up front', () => {
    expect(() => waymarkLoader('nope' as never)).toThrow(/unknown collection `nope`/);
  });

  test('stores entries, skips unchanged digests, deletes entries no longer seen', async () => {
    const loader = waymarkLoader('documents', input);
    const { ctx, store, sets } = fakeContext('documents');
    await loader.load(ctx as never);
    expect([...store.keys()]).toContain('README.md');
    expect(store.get('README.md')?.rendered?.html).toContain('<h1 id="example-infra">');
    const first = sets.length;
    expect(first).toBe(6);
    store.set('stale.md', { id: 'stale.md', data: {} });
    await loader.load(ctx as never);
    expect(sets.length).toBe(first);
    expect(store.has('stale.md')).toBe(false);
  });

  test('files keep their source as the entry body', async () => {
    const { ctx, store } = fakeContext('files');
    await waymarkLoader('files', input).load(ctx as never);
    expect(store.get('infra/lb.tf')?.body).toContain('resource "aws_lb_listener_rule"');
  });
});

describe('Pagefind step', () => {
  test('an index with no pages fails loudly', async () => {
    const { indexWithPagefind } = await import('../src/astro/build-site.ts');
    const empty = await mkdtemp(join(tmpdir(), 'waymark-empty-'));
    try {
      await expect(indexWithPagefind(empty)).rejects.toThrow(/Pagefind addDirectory failed: no pages were indexed/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
