/**
 * Property tests over the config values that reach the built site: `site.base`,
 * `site.url`, `site.repoUrl`, `site.commitUrl`, tag labels and `redirects`.
 * Whatever a repository writes there, either config refuses it with an error
 * naming the field, or everything made from it (asset URLs in every page's
 * head, the link table, `_redirects`, source and commit links, filter text)
 * stays on the site or goes to an http(s) address, and holds no control
 * character. Inputs mix hostile pieces (backslashes, hosts, schemes, blanks,
 * line breaks, escape codes, markup) with arbitrary text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUserConfig, resolveConfig } from '../src/core/config/config.ts';
import { buildLinkTable, redirectsFile } from '../src/core/urls/link-table.ts';
import { safeUrl } from '../src/core/urls/safe-url.ts';
import { createUrls, repoSourceUrl } from '../src/core/urls/urls.ts';
import { inertText } from '../src/site/escape.ts';
import { commitHref } from '../src/site/staleness.ts';
import { sampleGraph } from './site/sample-graph.ts';

const FILE = 'waymark.config.json';
const ORIGIN = 'https://site.example';
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Text glued from pieces an attacker would try, and anything else. */
function hostile(pieces: string[]): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pieces) }, { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) });
  return fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
}

const PATH_PIECES = ['/', '/', 'docs', 'a-b', 'c_d', '~', '.', '..', '\\', '//', 'evil.example', ' ', '\t', '\n', '\r', '\u2028', '\u001b[31m', '%0A', '?', '#', ':', '@', 'é', '<', '"'];
const URL_PIECES = ['https://', 'http://', 'HTTPS://', 'javascript:', 'JaVaScRiPt:', 'data:', 'vbscript:', 'mailto:', '//', '\\\\', 'evil.example', 'git.example', '/', '{path}', '{line}', '{hash}', '#L{line}', ' ', '\t', '\n', '\u0000', '\u001b', '%0a', '?', '<', '"', "'", '&#106;'];

/** Errors of a config, or its resolved form. */
function parse(data: unknown) {
  const { config, errors } = parseUserConfig(data, FILE);
  return { resolved: config ? resolveConfig(config, 'repo') : undefined, errors };
}

function expectNamed(errors: string[], field: string): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) expect(error.startsWith(`\`${FILE}\`: \`${field}`), error).toBe(true);
}

/** A URL the site emits: on the site (resolved against a page of it), or an http(s) address, never with a control character. */
function expectSiteOrWeb(url: string, onSiteOnly = false): void {
  expect(url).not.toMatch(CONTROL);
  expect(safeUrl(url), url).toBe(url);
  const resolved = new URL(url, `${ORIGIN}/docs/page/`);
  if (onSiteOnly) expect(resolved.origin, url).toBe(ORIGIN);
  else expect(['http:', 'https:', 'mailto:']).toContain(resolved.protocol);
}

describe('config values that reach the site', () => {
  it('site.base: accepted bases keep every asset, page and redirect on the site; the rest are refused by name', () => {
    fc.assert(
      fc.property(hostile(PATH_PIECES), (base) => {
        const { resolved, errors } = parse({ site: { base } });
        if (!resolved) return expectNamed(errors, 'site.base');
        const urls = createUrls(resolved.site.base);
        for (const asset of ['waymark.js', 'waymark.css', 'favicon.svg', 'pagefind/pagefind-ui.js', 'pagefind/pagefind-ui.css', 'pagefind/']) {
          expectSiteOrWeb(urls.asset(asset), true);
        }
        const table = buildLinkTable(sampleGraph(), { base: resolved.site.base });
        for (const entry of table.entries) expectSiteOrWeb(entry.url, true);
        for (const line of redirectsFile(table).trimEnd().split('\n')) {
          const [from, to, code, ...rest] = line.split(' ');
          expect(rest).toEqual([]);
          expect(code).toBe('301');
          expect(from.startsWith(urls.base)).toBe(true);
          expectSiteOrWeb(from, true);
          expectSiteOrWeb(to, true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('site.url, repoUrl, commitUrl: accepted templates give http(s) links with no control character; the rest are refused by name', () => {
    fc.assert(
      fc.property(fc.oneof(hostile(URL_PIECES), fc.webUrl()), fc.constantFrom('url', 'repoUrl', 'commitUrl'), (value, field) => {
        const { resolved, errors } = parse({ site: { [field]: value } });
        if (!resolved) return expectNamed(errors, `site.${field}`);
        const template = resolved.site[field as 'url' | 'repoUrl' | 'commitUrl']!;
        const links = [
          repoSourceUrl(template, 'docs/a b/<img src=x>.md', 3, 5),
          repoSourceUrl(template, 'infra/lb.tf'),
          commitHref(template, { hash: 'abcdef1234567', uncommitted: false }),
          // The canonical link of a page.
          safeUrl(new URL('/docs/page/', template).href),
        ];
        for (const link of links) if (link !== undefined) expectSiteOrWeb(link);
        expect(links.every((link) => link === undefined || /^https?:/i.test(link))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('tag labels: accepted labels hold no control character and show as inert text; the rest are refused by name', () => {
    fc.assert(
      fc.property(hostile(['Process', 'Env', ' ', '<img src=x onerror=alert(1)>', '<script>', '&lt;', '"', "'", '\n', '\u001b[2J', '\u0085']), (label) => {
        const { resolved, errors } = parse({ tags: { process: [label] } });
        if (!resolved) return expectNamed(errors, 'tags.process.0');
        for (const { canonical } of resolved.tags.values()) {
          expect(canonical).not.toMatch(CONTROL);
          expect(inertText(canonical)).not.toMatch(/[<>&"']/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('redirects: every _redirects line is one rule of three fields, from the site to the site or an http(s) address', () => {
    const entry = fc.tuple(hostile(PATH_PIECES), fc.oneof(hostile([...URL_PIECES, 'processes/', 'infra/lb.tf:12', 'blue-green-rollout'])));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), fc.constantFrom('/', '/docs/'), (pairs, base) => {
        const redirects = Object.fromEntries(pairs);
        const { resolved, errors } = parse({ redirects });
        if (!resolved) {
          for (const error of errors) expect(error).toMatch(/^`waymark\.config\.json`: `redirects\./);
          return;
        }
        const table = buildLinkTable(sampleGraph(), { base, redirects: resolved.redirects });
        for (const line of redirectsFile(table).trimEnd().split('\n')) {
          const [from, to, code, ...rest] = line.split(' ');
          expect(rest).toEqual([]);
          expect(code).toBe('301');
          expect(from.startsWith(base)).toBe(true);
          expectSiteOrWeb(from, true);
          expectSiteOrWeb(to);
        }
        // Whatever was refused is named by its key.
        for (const problem of table.problems) expect(problem).toMatch(/^`redirects\./);
      }),
      { numRuns: 300 },
    );
  });
});
