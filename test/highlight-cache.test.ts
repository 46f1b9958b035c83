/**
 * File colours made once per build and kept between builds
 * (`src/astro/highlight-cache.ts`): the short code the file page reads back
 * gives exactly Shiki's tokens, a second build tokenises nothing it has seen,
 * a cache file that is not ours is not believed, and a build with the cache
 * writes the same site as one without.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, PACKAGE_ROOT } from '../src/astro/build-site.ts';
import { HighlightCache } from '../src/astro/highlight-cache.ts';
import { decodeColours, encodeColours, PLAIN } from '../src/site/colour-encoding.ts';
import { colourLines } from '../src/site/highlight.ts';
import { splitSourceLines } from '../src/site/model.ts';
import { projectRoot } from './helpers.ts';

const fixture = path.join(projectRoot, 'test', 'fixtures', 'highlight-cache');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-highlight-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const linesOf = (file: string) => splitSourceLines(readFileSync(path.join(fixture, file), 'utf8'));

describe('colour codes', () => {
  it.each([
    ['app/render.ts', 'typescript'],
    ['deploy/values.yaml', 'yaml'],
  ])('%s: decoding the code gives Shiki\'s tokens back', async (file, language) => {
    const lines = linesOf(file);
    const tokens = await colourLines(file, language, lines);
    expect(tokens?.flat().some((t) => t.kind)).toBe(true);
    const code = encodeColours(lines, tokens);
    expect(code).toBeDefined();
    expect(decodeColours(lines, code!)).toEqual(tokens);
  });

  it('a file shown plain stays plain; tokens that do not spell the lines are not encoded', () => {
    expect(encodeColours(['a'], undefined)).toBe(PLAIN);
    expect(decodeColours(['a'], PLAIN)).toBeUndefined();
    expect(encodeColours(['let a'], [[{ text: 'let', kind: 'k' }, { text: ' b' }]])).toBeUndefined();
    expect(encodeColours(['let a'], [[{ text: 'let', kind: 'k' }]])).toBeUndefined();
    expect(encodeColours(['let a'], [[{ text: 'let a', kind: 'K' }]])).toBeUndefined();
    expect(encodeColours(['a', 'b'], [[{ text: 'a' }]])).toBeUndefined();
  });
});

describe('the highlight cache', () => {
  const root = path.join(scratch, 'cache-root');
  const repo = path.join(scratch, 'repo');
  cpSync(fixture, repo, { recursive: true });
  const ts = linesOf('app/render.ts');
  const yaml = linesOf('deploy/values.yaml');

  it('a second build finds what the first coloured and tokenises nothing; a file no build showed is dropped', async () => {
    const first = await HighlightCache.open(repo, root);
    const tsCode = await first.colours('app/render.ts', 'typescript', ts);
    const yamlCode = await first.colours('deploy/values.yaml', 'yaml', yaml);
    expect(tsCode).toBe(encodeColours(ts, await colourLines('app/render.ts', 'typescript', ts)));
    expect(first.tokenised).toBe(2);
    expect(await first.save()).toBe(true);

    const second = await HighlightCache.open(repo, root);
    // The digest is of grammar and text: a copy under another name is found too.
    expect(await second.colours('lib/render-copy.ts', 'typescript', ts)).toBe(tsCode);
    expect(second.tokenised).toBe(0);
    expect(await second.save()).toBe(true);

    const third = await HighlightCache.open(repo, root);
    expect(await third.colours('deploy/values.yaml', 'yaml', yaml)).toBe(yamlCode);
    expect(third.tokenised).toBe(1);
  });

  it('a cache file changed outside Waymark is not believed', async () => {
    const [folder] = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory());
    const file = path.join(root, folder.name, 'highlight.cache');
    const forged = readFileSync(file, 'utf8').replace(/k\d+/, 'c1');
    expect(forged).not.toBe(readFileSync(file, 'utf8'));
    writeFileSync(file, forged);
    const reopened = await HighlightCache.open(repo, root);
    expect(await reopened.colours('app/render.ts', 'typescript', ts)).toBe(encodeColours(ts, await colourLines('app/render.ts', 'typescript', ts)));
    expect(reopened.tokenised).toBe(1);
  });

  it('without a cache folder, nothing is written and every file is coloured', async () => {
    const memory = await HighlightCache.open(repo, false);
    await memory.colours('app/render.ts', 'typescript', ts);
    expect(memory.tokenised).toBe(1);
    expect(await memory.save()).toBe(true);
  });
});

describe('a build with the cache', () => {
  it('writes the same file pages cold, warm, and with no cache', async () => {
    const repo = path.join(scratch, 'example-infra');
    cpSync(path.join(PACKAGE_ROOT, 'content', 'example-infra'), repo, { recursive: true });
    const cache = { root: path.join(scratch, 'build-cache') };
    const pages = (out: string) =>
      readdirSync(path.join(out, 'files'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.html'))
        .sort()
        .map((f) => [f, readFileSync(path.join(out, 'files', f), 'utf8')]);
    const sites: Array<Array<string[]>> = [];
    for (const [name, withCache] of [['cold', true], ['warm', true], ['none', false]] as const) {
      const out = path.join(scratch, `site-${name}`);
      const result = await buildSite({ repo, out, strict: false, quiet: true, ...(withCache ? { cache } : {}) });
      expect(result.failed).toBe(false);
      sites.push(pages(out));
    }
    expect(sites[0].some(([, html]) => html.includes('<pre class="source coloured"'))).toBe(true);
    expect(sites[1]).toEqual(sites[0]);
    expect(sites[2]).toEqual(sites[0]);
    expect(readdirSync(cache.root, { recursive: true }).map(String).some((f) => f.endsWith('highlight.cache'))).toBe(true);
  }, 300_000);
});
