/**
 * The site's one URL rule (`safeUrl`), the base rule, the `_redirects` file
 * that no value can split, and the Pagefind filter text that no decoding
 * turns into markup.
 */
import { describe, expect, test } from 'vitest';
import { baseProblem, encodeControlAndSpace, safeUrl } from '../src/core/urls/safe-url.ts';
import { buildLinkTable, redirectsFile } from '../src/core/urls/link-table.ts';
import { createUrls, normalizeBase, repoSourceUrl } from '../src/core/urls/urls.ts';
import { inertText } from '../src/site/escape.ts';
import { commitHref } from '../src/site/staleness.ts';
import { sampleGraph } from './site/sample-graph.ts';

describe('safeUrl', () => {
  test.each([
    '/',
    '/docs/processes/blue-green/',
    '/files/infra/lb.tf/#L12',
    '#wm-problems',
    '?process=x',
    'relative/page/',
    'https://git.example.com/infra/blob/main/a%20b.tf#L3',
    'http://example.com',
    'HTTPS://EXAMPLE.COM/',
    'mailto:ops@example.com',
  ])('keeps %j', (url) => {
    expect(safeUrl(url)).toBe(url);
  });

  test.each([
    ['a script URL', 'javascript:alert(1)'],
    ['mixed case', 'JaVaScRiPt:alert(1)'],
    ['a leading blank', ' javascript:alert(1)'],
    ['a leading control character', '\u0001javascript:alert(1)'],
    ['a tab inside the scheme', 'java\tscript:alert(1)'],
    ['a newline inside the scheme', 'java\nscript:alert(1)'],
    ['a numeric character reference', '&#106;avascript:alert(1)'],
    ['a hex character reference', '&#x6A;avascript:alert(1)'],
    ['a named character reference for the colon', 'javascript&colon;alert(1)'],
    ['a data URL', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['vbscript', 'vbscript:msgbox(1)'],
    ['a file URL', 'file:///etc/passwd'],
    ['protocol-relative', '//evil.example/x'],
    ['backslashes', '\\\\evil.example/x'],
    ['slash and backslash', '/\\evil.example/x'],
    ['backslash and slash', '\\/evil.example/x'],
    ['a blank inside', '/docs/a b/'],
    ['a line separator', '/docs/\u2028/'],
    ['a non-breaking space before the scheme', '\u00a0javascript:alert(1)'],
    ['a byte-order mark before the scheme', '\ufeffjavascript:alert(1)'],
    ['an unparseable http URL', 'http://[::1/'],
    ['empty', ''],
  ])('refuses %s', (_, url) => {
    expect(safeUrl(url)).toBeUndefined();
  });

  test('every refused form is one a browser would run or send elsewhere (checked with the URL parser)', () => {
    // The same forms a browser resolves against a page of the site: none stays an http(s) URL on the site.
    for (const url of ['JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', '//evil.example/x', '\\\\evil.example/x', '/\\evil.example/x']) {
      const resolved = new URL(url, 'https://site.example/docs/');
      expect(resolved.origin === 'https://site.example' && resolved.protocol === 'https:', url).toBe(false);
      expect(safeUrl(url)).toBeUndefined();
    }
  });

  test('the sources of page URLs apply it: repository templates and commit links', () => {
    expect(repoSourceUrl('https://git.example/{path}#L{line}', 'a/b c.tf', 3)).toBe('https://git.example/a/b%20c.tf#L3');
    expect(repoSourceUrl('javascript:alert(1)//{path}', 'a.tf')).toBeUndefined();
    expect(commitHref('https://git.example/commit/{hash}', { hash: 'abcdef1', uncommitted: false })).toBe('https://git.example/commit/abcdef1');
    expect(commitHref('https://git.example/\t/{hash}', { hash: 'abcdef1', uncommitted: false })).toBeUndefined();
  });
});

describe('the site base', () => {
  test.each(['/', '', '/docs/', 'docs', '/a-b/c_d/', '/v1.2/~user/'])('accepts %j', (base) => {
    expect(baseProblem(base)).toBeUndefined();
    expect(normalizeBase(base)).toMatch(/^\/([A-Za-z0-9._~-]+\/)*$/);
  });

  test.each(['\\evil.example', '/\\evil.example/', '/docs/\t/evil.example', '\t//evil.example', '/a b/', '/a\n/* https://evil.example/:splat 200!', '/../', '/a/./b/', '/a//b/', 'https://evil.example/', '/%2e%2e/', '/a?b/', '/a#b/', '/é/'])(
    'refuses %j, and normalizeBase will not use it either',
    (base) => {
      expect(baseProblem(base)).toMatch(/must be a path of letters, digits and `-._~` segments/);
      expect(() => normalizeBase(base)).toThrow(/must be a path of letters/);
    },
  );

  test('every asset URL of a valid base stays on the site', () => {
    const urls = createUrls('/a-b/c_d/');
    for (const asset of ['waymark.js', 'pagefind/pagefind-ui.js', 'pagefind/']) {
      expect(new URL(urls.asset(asset), 'https://site.example/').origin).toBe('https://site.example');
    }
  });
});

describe('_redirects', () => {
  test('a blank or line break in a redirect cannot split a rule or add one', () => {
    const table = buildLinkTable(sampleGraph(), { base: '/docs/' });
    // A table from a tampered cache: the paths were never checked.
    const tampered = {
      ...table,
      redirects: [
        { from: '/docs/a\n/* https://evil.example/:splat 200!\n/x/', to: '/docs/processes/', reason: 'config' as const },
        { from: '/docs/b/', to: '/docs/ x\t\r\u2028/', reason: 'config' as const },
      ],
    };
    const lines = redirectsFile(tampered).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(['/docs/a%0A/*%20https://evil.example/:splat%20200!%0A/x/ /docs/processes/ 301', '/docs/b/ /docs/%20x%09%0D%E2%80%A8/ 301']);
  });

  test('encodeControlAndSpace leaves ordinary paths alone', () => {
    expect(encodeControlAndSpace('/docs/files/infra/lb.tf/')).toBe('/docs/files/infra/lb.tf/');
    expect(encodeControlAndSpace('/a\u0000b\u007f c/')).toBe('/a%00b%7F%20c/');
  });
});

describe('Pagefind filter values', () => {
  test('hold no character that any number of HTML decodings turns into markup', () => {
    const value = inertText(`<img src=x onerror="window.__pwned=1"> & 'x'`);
    expect(value).toBe('‹img src=x onerror=＂window.__pwned=1＂› ＆ ’x’');
    expect(value).not.toMatch(/[&<>"']/);
    expect(inertText('production-eu')).toBe('production-eu');
  });
});
