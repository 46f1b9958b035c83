/**
 * Extraction on worker threads gives exactly what extraction in this thread
 * gives: the same records, in the same order, and the same facts.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/core/config/config.ts';
import { collectFacts } from '../src/node/collect-facts.ts';
import { batches, extractInWorkers } from '../src/node/extract-pool.ts';
import { extractRecord, extractSetup } from '../src/node/file-record.ts';
import { isBinaryByName } from '../src/node/read-files.ts';
import { fixturesDir, projectRoot } from './helpers.ts';

/** Every file of the example repository and of the fixtures, as one repository rooted at the project. */
function sampleFiles(): string[] {
  const roots = ['content/example-infra', path.relative(projectRoot, fixturesDir)];
  return roots
    .flatMap((root) =>
      readdirSync(path.join(projectRoot, root), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(projectRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')),
    )
    .filter((file) => !file.split('/').includes('node_modules') && !isBinaryByName(file))
    .sort();
}

describe('extraction on worker threads', () => {
  const config = resolveConfig({}, 'waymark');
  const files = sampleFiles();

  it('returns the records extraction in this thread returns, in order', async () => {
    expect(files.length).toBeGreaterThan(100);
    const setup = extractSetup(projectRoot, config);
    const inThread = files.map((file) => extractRecord(file, setup, config.tags, new Map()));
    const inWorkers = await extractInWorkers(files.map((file) => ({ file })), setup, 2);
    expect(inWorkers).toEqual(inThread);
  });

  it('parses markdown with satteri, a native addon, on a worker thread', async () => {
    const file = 'content/example-infra/docs/processes/health-checks.md';
    const [record] = await extractInWorkers([{ file }], extractSetup(projectRoot, config), 1);
    const facts = JSON.parse(record.facts as string) as { document?: { headings: Array<{ text: string }> } };
    expect(facts.document?.headings.map((heading) => heading.text)).toContain('Deployment Process: Health Checks');
  });

  it('gives collectFacts the same facts either way', async () => {
    const inThread = await collectFacts(projectRoot, files, config, { workers: 0 });
    const inWorkers = await collectFacts(projectRoot, files, config, { workers: 2 });
    expect(inWorkers.facts).toEqual(inThread.facts);
    expect(inWorkers.skipped).toEqual(inThread.skipped);
  });

  it('rejects when a worker fails, so the caller can fall back', async () => {
    const broken = { ...extractSetup(projectRoot, config), tags: 42 as never };
    await expect(extractInWorkers([{ file: 'README.md' }], broken, 1)).rejects.toThrow();
  });

  it('cuts jobs into contiguous batches that cover every job once', () => {
    const jobs = files.map((file) => ({ file }));
    const cut = batches(jobs);
    expect(cut.flatMap((batch) => batch.jobs)).toEqual(jobs);
    for (const batch of cut) expect(jobs[batch.start]).toBe(batch.jobs[0]);
  });
});
