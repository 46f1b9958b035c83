import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import type { Reference } from '../src/core/schema.ts';
import { renderMarkdown, resolveHref, type MarkdownContext } from '../src/site/markdown.ts';

const ctx = (extra: Partial<MarkdownContext> = {}): MarkdownContext => ({
  path: 'docs/processes/a.md',
  linkFor: (t) => (t.path === 'missing.md' ? undefined : `/files/${t.path}/${t.line ? `#L${t.line}` : t.anchor ? `#${t.anchor}` : ''}`),
  ...extra,
});

function ref(raw: string, line: number, column: number, extra: Partial<Reference> = {}): Reference {
  return {
    raw,
    kind: 'path',
    offset: 0,
    id: `docs/processes/a.md:${line}:${column}`,
    source: { file: 'docs/processes/a.md', line, column },
    origin: 'code-reference',
    status: 'ok',
    targets: [raw.replace(/:.*$/, '')],
    candidates: [],
    ...extra,
  } as Reference;
}

describe('resolveHref', () => {
  test.each([
    ['../../infra/lb.tf', { path: 'infra/lb.tf' }],
    ['../../infra/lb.tf#L12-L20', { path: 'infra/lb.tf', line: 12, endLine: 20 }],
    ['b.md#roll-back', { path: 'docs/processes/b.md', anchor: 'roll-back' }],
    ['/README.md', { path: 'README.md' }],
    ['./my%20file.md?x=1', { path: 'docs/processes/my file.md' }],
  ])('%s', (href, expected) => {
    expect(resolveHref('docs/processes/a.md', href)).toEqual(expected);
  });

  test.each(['https://example.com/a.md', '#local', 'mailto:a@b', '//cdn/x.js', ''])('leaves %j alone', (href) => {
    expect(resolveHref('docs/a.md', href)).toBeUndefined();
  });

  test('refuses paths that climb out of the repository', () => {
    expect(resolveHref('docs/a.md', '../../../etc/passwd')).toBeNull();
  });
});

describe('renderMarkdown', () => {
  test('renders GFM tables, task lists and strikethrough', () => {
    const { html } = renderMarkdown('| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n~~old~~\n', ctx());
    // Tables and code blocks take focus (they scroll sideways on a phone); checkboxes say whether they are ticked.
    expect(html).toContain('<table tabindex="0">');
    expect(html).toContain('<input type="checkbox" checked disabled aria-label="done">');
    expect(html).toContain('<input type="checkbox" disabled aria-label="not done">');
    expect(html).toContain('<del>old</del>');
  });

  test('rewrites relative links to site URLs and drops links with no page', () => {
    const { html } = renderMarkdown('[lb](../../infra/lb.tf#L3) [gone](../../missing.md) [ext](https://x.org)', ctx());
    expect(html).toContain('<a href="/files/infra/lb.tf/#L3">lb</a>');
    expect(html).toContain('<span class="wm-link-broken"');
    expect(html).not.toContain('missing.md"');
    expect(html).toContain('<a href="https://x.org">ext</a>');
  });

  test('raw HTML and script URLs never reach the page', () => {
    const { html } = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <b onclick="x()">b</b>', ctx());
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<img/);
  });

  test('fenced code is left alone', () => {
    const { html } = renderMarkdown('```hcl\n# Reference: infra/lb.tf:3-10\n```\n', ctx({ references: [ref('infra/lb.tf:3-10', 2, 14)] }));
    expect(html).toBe('<pre tabindex="0"><code class="language-hcl"># Reference: infra/lb.tf:3-10\n</code></pre>');
  });

  test('code references become links to the file line with an ok or broken badge', () => {
    const text = '**Code Reference**: `infra/lb.tf:3-10`, `gone.sh:1-2`\n';
    const refs = [
      ref('infra/lb.tf:3-10', 1, 22, { lines: { start: 3, end: 10 } }),
      ref('gone.sh:1-2', 1, 42, { status: 'missing', targets: [], candidates: ['gone2.sh'] }),
    ];
    const { html } = renderMarkdown(text, ctx({ references: refs, referenceHref: (r) => `/files/${r.targets[0]}/#L${r.lines?.start}` }));
    expect(html).toContain('<a href="/files/infra/lb.tf/#L3" class="wm-ref wm-ref-ok"><code>infra/lb.tf:3-10</code></a><span class="wm-badge wm-badge-ok"');
    expect(html).toContain('<span class="wm-ref wm-ref-broken" title="not found; did you mean gone2.sh?"><code>gone.sh:1-2</code></span>');
    expect(html).toContain('>broken</span>');
  });

  test('references in plain text are linked too, several per node', () => {
    const text = 'See infra/a.tf:1 and infra/b.tf:2 now.\n';
    const refs = [ref('infra/a.tf:1', 1, 5), ref('infra/b.tf:2', 1, 22)];
    const { html } = renderMarkdown(text, ctx({ references: refs, referenceHref: (r) => `/f/${r.targets[0]}/` }));
    expect(html).toBe(
      '<p>See <a href="/f/infra/a.tf/" class="wm-ref wm-ref-ok">infra/a.tf:1</a><span class="wm-badge wm-badge-ok" data-pagefind-ignore="" title="reference resolves">ok</span> and ' +
        '<a href="/f/infra/b.tf/" class="wm-ref wm-ref-ok">infra/b.tf:2</a><span class="wm-badge wm-badge-ok" data-pagefind-ignore="" title="reference resolves">ok</span> now.</p>',
    );
  });

  test('headings get the engine slugs, or GitHub slugs, and can be demoted', () => {
    expect(renderMarkdown('# A B\n\n## Roll-back!\n', ctx()).html).toBe('<h1 id="a-b">A B</h1>\n<h2 id="roll-back">Roll-back!</h2>');
    expect(renderMarkdown('# A\n\n## B\n', ctx({ headingSlugs: ['x', 'y'], headingOffset: 1 })).html).toBe('<h2 id="x">A</h2>\n<h3 id="y">B</h3>');
    expect(renderMarkdown('###### deep\n', ctx({ headingOffset: 1 })).html).toBe('<h6 id="deep">deep</h6>');
  });
});

describe('renderMarkdown on the text the engine reads', () => {
  const fixtures = new URL('./render-fixtures/', import.meta.url);
  const render = (name: string) => renderMarkdown(readFileSync(new URL(name, fixtures), 'utf8'), ctx()).html;

  test('leaves YAML front matter out of the page, after a BOM and with CRLF line ends', () => {
    const html = render('bom-crlf-front-matter.md');
    expect(html).not.toMatch(/title:|type: process|\uFEFF|<hr>/);
    expect(html).toContain('<h1 id="health-checks">Health Checks</h1>');
    expect(html.match(/<p>/g)).toHaveLength(2);
  });

  test('leaves plain front matter out of the page', () => {
    const html = render('front-matter.md');
    expect(html).not.toMatch(/title:|owner:|<hr>|<h2/);
    expect(html).toContain('<p>Body text.</p>');
  });

  test('keeps the paragraph breaks of a CRLF document', () => {
    const html = render('crlf.md');
    expect(html).toContain('<p>Intro line one\nstill the intro.</p>');
    expect(html).toContain('<p>Next paragraph.</p>');
    expect(html).not.toContain('\r');
  });

  test('reads a lone-CR document as lines, not as one heading', () => {
    const html = render('lone-cr.md');
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).toContain('<h1 id="rollout">Rollout</h1>');
    expect(html.match(/<p>/g)).toHaveLength(2);
    expect(html.match(/<li>/g)).toHaveLength(2);
  });

  test('shows no front matter on any document of the example repository', () => {
    const root = new URL('../content/example-infra/', import.meta.url);
    const documents = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.md'));
    const withFrontMatter = documents.filter((file) => readFileSync(new URL(file, root), 'utf8').startsWith('---\n'));
    expect(withFrontMatter.length).toBeGreaterThanOrEqual(2);
    for (const file of withFrontMatter) {
      const text = readFileSync(new URL(file, root), 'utf8');
      const keys = text.split('\n---\n')[0].split('\n').slice(1).map((line) => line.split(':')[0]).filter((key) => /^\w+$/.test(key));
      const html = renderMarkdown(text, ctx({ path: file })).html;
      for (const key of keys) expect(html, `${file} shows its front matter key ${key}`).not.toMatch(new RegExp(`(^|>|\\n)${key}:`));
    }
  });
});
