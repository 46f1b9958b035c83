/**
 * A build's entries leave each file's text out of Astro's content store
 * (`BuildEntryOptions.textOnDisk`: the store is inlined into one JavaScript
 * module, and compiling the text there cost seconds and the build's memory
 * peak) and say where the file page reads it instead.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildEntries } from '../src/astro/entries.ts';
import { readRepoFile } from '../src/astro/read-repo-file.ts';
import { SiteMetaSchema } from '../src/astro/schemas.ts';
import { scanRepository } from '../src/node/scan.ts';
import { projectRoot } from './helpers.ts';

const repo = path.join(projectRoot, 'test', 'fixtures', 'highlight-cache');

describe('build entries', () => {
  test('without the text, with where to read it; the page reads the same text the entry had', async () => {
    const scan = await scanRepository(repo);
    const read = (file: string) => readRepoFile(scan.root, file, scan.config.maxFileSize);
    const dev = await buildEntries(scan, read, '/');
    const build = await buildEntries(scan, read, '/', {}, { textOnDisk: true });
    const meta = SiteMetaSchema.parse(build.site[0].data);
    expect(meta.source).toEqual({ root: scan.root, maxFileSize: scan.config.maxFileSize });
    expect(SiteMetaSchema.parse(dev.site[0].data).source).toBeUndefined();
    expect(build.files.map((f) => f.id)).toEqual(dev.files.map((f) => f.id));
    expect(build.files.length).toBeGreaterThan(1);
    for (const [i, file] of build.files.entries()) {
      expect(file.body).toBeUndefined();
      expect(dev.files[i].body).toBeDefined();
      expect((await readRepoFile(meta.source!.root, file.id, meta.source!.maxFileSize)).text).toBe(dev.files[i].body);
    }
  });

  test('colours ride with the file entry; no colour function, no colours', async () => {
    const scan = await scanRepository(repo);
    const read = (file: string) => readRepoFile(scan.root, file, scan.config.maxFileSize);
    const seen: string[] = [];
    const build = await buildEntries(scan, read, '/', {}, {
      colour: async (file, _language, lines) => {
        seen.push(`${file}:${lines.length}`);
        return `code-${file}`;
      },
    });
    expect(seen.sort()).toEqual(['app/render.ts:10', 'deploy/values.yaml:4']);
    expect(build.files.find((f) => f.id === 'app/render.ts')?.data.colours).toBe('code-app/render.ts');
    expect((await buildEntries(scan, read, '/')).files.every((f) => f.data.colours === undefined)).toBe(true);
  });
});
