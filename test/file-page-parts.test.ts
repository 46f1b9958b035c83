/**
 * The parts of the file page below the browser: range URLs in GitHub's form,
 * "view at this commit", a file's commits from the scan's history, the source
 * listing's escaping (coloured or not), the grammar chosen per file, and
 * front matter kept out of every rendered document of the example.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fileCommits } from '../src/core/history/file-commits.ts';
import type { RepositoryHistory } from '../src/core/history/history.ts';
import { findFrontMatter } from '../src/core/extract/markdown-parse.ts';
import { createUrls, lineRangeAnchor, repoSourceUrlAt } from '../src/core/urls/urls.ts';
import { sourceHtml } from '../src/site/format.ts';
import { colourLines, shikiLanguage } from '../src/site/highlight.ts';
import { renderMarkdown, resolveHref } from '../src/site/markdown.ts';
import { sourceLines } from '../src/site/model.ts';
import { scanRepository } from '../src/node/scan.ts';
import { projectRoot } from './helpers.ts';

describe('range URLs', () => {
  test('a file link carries the whole range, GitHub\'s form; one line stays `#L12`', () => {
    const urls = createUrls('/sub/');
    expect(urls.file('infra/lb.tf', 12, 20)).toBe('/sub/files/infra/lb.tf/#L12-L20');
    expect(urls.file('infra/lb.tf', 12)).toBe('/sub/files/infra/lb.tf/#L12');
    expect(urls.file('infra/lb.tf', 12, 12)).toBe('/sub/files/infra/lb.tf/#L12');
    expect(urls.file('infra/lb.tf', 12, 3)).toBe('/sub/files/infra/lb.tf/#L12');
    expect(lineRangeAnchor(31, 40)).toBe('L31-L40');
  });

  test('a markdown link to a range keeps its end', () => {
    expect(resolveHref('docs/a.md', '../infra/lb.tf#L31-L40')).toEqual({ path: 'infra/lb.tf', line: 31, endLine: 40 });
    expect(resolveHref('docs/a.md', '../infra/lb.tf#L31-40')).toEqual({ path: 'infra/lb.tf', line: 31, endLine: 40 });
    expect(resolveHref('docs/a.md', '../infra/lb.tf#L31')).toEqual({ path: 'infra/lb.tf', line: 31 });
  });

  test('"view at this commit" pins a GitHub or GitLab blob template, or fills `{commit}`', () => {
    const hash = 'a'.repeat(40);
    expect(repoSourceUrlAt('https://github.com/a/b/blob/HEAD/{path}#L{line}-L{endLine}', hash, 'infra/lb tf')).toBe(`https://github.com/a/b/blob/${hash}/infra/lb%20tf`);
    expect(repoSourceUrlAt('https://github.com/a/b/blob/main/{path}#L{line}-L{endLine}', hash, 'x.tf', 3, 9)).toBe(`https://github.com/a/b/blob/${hash}/x.tf#L3-L9`);
    expect(repoSourceUrlAt('https://gitlab.com/a/b/-/blob/main/{path}', hash, 'x.tf')).toBe(`https://gitlab.com/a/b/-/blob/${hash}/x.tf`);
    expect(repoSourceUrlAt('https://git.example.com/view?rev={commit}&file={path}', hash, 'x.tf')).toBe(`https://git.example.com/view?rev=${hash}&file=x.tf`);
    // Nothing to pin, no commit, or a commit that is not a hash: no "at this commit" link.
    expect(repoSourceUrlAt('https://git.example.com/{path}', hash, 'x.tf')).toBeUndefined();
    expect(repoSourceUrlAt('https://github.com/a/b/blob/HEAD/{path}', undefined, 'x.tf')).toBeUndefined();
    expect(repoSourceUrlAt('https://github.com/a/b/blob/HEAD/{path}', 'HEAD"><script>', 'x.tf')).toBeUndefined();
    expect(repoSourceUrlAt('javascript:alert(1)//blob/HEAD/{path}', hash, 'x.tf')).toBeUndefined();
  });
});

describe("a file's commits from the scan's history", () => {
  const commit = (hash: string, date: string, subject: string, boundary = false) => ({ hash, short: hash.slice(0, 7), date, subject, ...(boundary ? { boundary } : {}) });
  const history = {
    head: 'c'.repeat(40),
    shallow: false,
    commits: {
      ['a'.repeat(40)]: commit('a'.repeat(40), '2026-01-10T12:00:00+00:00', 'first'),
      ['b'.repeat(40)]: commit('b'.repeat(40), '2026-03-02T12:00:00+00:00', 'second'),
      ['d'.repeat(40)]: commit('d'.repeat(40), '2025-01-01T12:00:00+00:00', 'cut-off', true),
    },
    files: { 'lb.tf': { patches: [{ commit: 'b'.repeat(40), hunks: [] }, { commit: 'b'.repeat(40), hunks: [] }], since: '2026-01-31T00:00:00Z' } },
    fileCommits: { 'doc.md': ['b'.repeat(40), 'a'.repeat(40), 'd'.repeat(40)] },
    bases: {},
    worktree: [],
    dirty: [],
  } as unknown as RepositoryHistory;

  test('the full list where the scan kept one, newest first, without a shallow cut-off', () => {
    expect(fileCommits(history, 'doc.md')?.commits.map((c) => c.subject)).toEqual(['second', 'first']);
    expect(fileCommits(history, 'doc.md')?.since).toBeUndefined();
  });

  test('else the commits of the patches read, once each, and from when', () => {
    const found = fileCommits(history, 'lb.tf');
    expect(found?.commits.map((c) => c.subject)).toEqual(['second']);
    expect(found?.since).toBe('2026-01-31');
  });

  test('nothing read: no history rather than an empty one', () => {
    expect(fileCommits(history, 'other.tf')).toBeUndefined();
  });
});

describe('the source listing', () => {
  const hostile = ['</script><script>alert(1)</script>', '<img src=x onerror="alert(2)">', "x = '&amp;'"].join('\n');

  test('plain or coloured, every character of the file is escaped and every line keeps its anchor', async () => {
    const lines = sourceLines(hostile, [], []);
    const coloured = await colourLines('app/render.ts', 'typescript', lines.map((l) => l.text));
    expect(coloured).toBeDefined();
    for (const html of [sourceHtml(lines), sourceHtml(lines, coloured)]) {
      expect(html).not.toMatch(/<script|<img|onerror="/);
      // The text between the listing's own tags is the file, escaped (colour spans may split it).
      const text = html.replace(/<[^>]*>/g, '');
      expect(text).toContain('&lt;/script&gt;&lt;script&gt;');
      expect(text).toContain('&amp;amp;');
      expect([...html.matchAll(/ id="(L\d+)"/g)].map((m) => m[1])).toEqual(['L1', 'L2', 'L3']);
      // Only the listing's own elements: line spans, number links and token spans with a one-letter class.
      for (const tag of html.matchAll(/<(\w+)([^>]*)>/g)) {
        expect(['span', 'a']).toContain(tag[1]);
        expect(tag[2]).toMatch(/^( class="(line( cited| marker)*|ln|lt|[a-z])"| id="L\d+"| href="#L\d+"| aria-label="line \d+")*$/);
      }
    }
  });

  test('a range note sits right above its first line', () => {
    const lines = sourceLines('a\nb\nc\n', [], []);
    const html = sourceHtml(lines, undefined, new Map([[2, '<span class="cite-note">who</span>']]));
    expect(html.indexOf('cite-note')).toBeGreaterThan(html.indexOf('id="L1"'));
    expect(html.indexOf('cite-note')).toBeLessThan(html.indexOf('id="L2"'));
  });

  test.each([
    ['infra/lb.tf', 'hcl', 'terraform'],
    ['nginx/nginx.conf', 'unknown', 'nginx'],
    ['scripts/deploy.sh', 'shell', 'shellscript'],
    ['Dockerfile', 'dockerfile', 'dockerfile'],
    ['k8s/web.yaml', 'yaml', 'yaml'],
    ['docs/runbook.md', 'markdown', undefined],
    ['notes.xyz', 'unknown', undefined],
  ])('%s (%s) is coloured as %s', (path, language, expected) => {
    expect(shikiLanguage(path, language)).toBe(expected);
  });
});

describe('front matter', () => {
  test.each([
    ['---\na: 1\n---\nbody', ''],
    ['---   \na: 1\n---  \nbody', ''],
    ['---yaml\na: 1\n---\nbody', 'yaml'],
    ['+++\na = 1\n+++\nbody', 'toml'],
    ['+++  \na = 1\n+++\nbody', 'toml'],
  ])('%j is a block', (text, language) => {
    const block = findFrontMatter(text);
    expect(block?.language).toBe(language);
    expect(block?.body.trim()).toBe('body');
  });

  test.each([['----\na: 1\n----\n'], ['++++\na = 1\n++++\n'], ['+++a\nb\n+++\n'], ['---\nnever closed\n'], ['\n---\na: 1\n---\n']])('%j is not', (text) => {
    expect(findFrontMatter(text)).toBeUndefined();
  });

  test("no document of the example renders any of its front matter's lines", async () => {
    const root = join(projectRoot, 'content', 'example-infra');
    const { graph } = await scanRepository(root);
    let withFrontMatter = 0;
    for (const doc of graph.documents) {
      const text = readFileSync(join(root, doc.path), 'utf8');
      const block = findFrontMatter(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
      const html = renderMarkdown(text, { path: doc.path, linkFor: () => undefined }).html;
      expect(html.trimStart(), doc.path).not.toMatch(/^<(p|hr)\b/);
      if (!block) continue;
      withFrontMatter++;
      for (const line of block.lines.slice(1, block.closeIndex).filter((l) => /^\w+:/.test(l))) {
        expect(html, `${doc.path}: ${line}`).not.toContain(line.slice(0, line.indexOf(':') + 1));
      }
    }
    expect(withFrontMatter).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
