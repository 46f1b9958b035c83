/**
 * Markdown links and anchors exactly as GitHub resolves them, held against a
 * respected peer: every expectation of remark-validate-links' test suite that
 * does not depend on its options (repository, URL config), plus lychee's
 * fragment fixtures, recreated as small repositories of our own (their text is
 * not ours; the shapes are). Each link line ends with `<!-- broken -->` or
 * `<!-- fine -->` (a definition: its title `"broken"` or `"fine"`): a broken line must get a missing-file or missing-anchor
 * error at that line, a fine line none.
 */
import { describe, expect, test } from 'vitest';
import { resolveConfig } from '../src/core/config/config.ts';
import { extractFacts } from '../src/core/extract/extract.ts';
import { linkFacts } from '../src/core/graph/linked-repository.ts';
import { githubClimb, githubRepository } from '../src/core/graph/link-resolve.ts';
import { checkGraph } from '../src/core/rules/run-checks.ts';
import type { Diagnostic } from '../src/core/schema.ts';

function check(files: Record<string, string>, user: { github?: string } = {}): Diagnostic[] {
  const config = resolveConfig(user, 'handbook');
  const paths = Object.keys(files).sort();
  const facts = paths.map((path) => extractFacts(path, files[path], config));
  return checkGraph(linkFacts(paths, facts, [], config), config).diagnostics;
}

/** Lines of `file` that say `<!-- broken -->` / `<!-- fine -->`. */
function marked(text: string, word: 'broken' | 'fine'): number[] {
  return text
    .split('\n')
    .flatMap((line, index) => (line.trimEnd().endsWith(`<!-- ${word} -->`) || line.trimEnd().endsWith(`"${word}"`) ? [index + 1] : []));
}

interface Case {
  name: string;
  /** The document whose marked lines are checked, and every other file of the repository. */
  document: string;
  files: Record<string, string>;
}

const LINK_RULES = new Set(['missing-file', 'missing-anchor']);

/** The peer's expectations, recreated: one case per fixture of theirs that does not depend on an option. */
const cases: Case[] = [
  {
    name: 'headings, files and their combinations (relative, ./, /absolute)',
    document: 'guide.md',
    files: {
      'guide.md': [
        '# Overview',
        '',
        'Own heading [a](#overview). <!-- fine -->',
        'Own heading [b](#nowhere). <!-- broken -->',
        '',
        '## Links',
        '',
        '[c](/manual/setup.md) <!-- fine -->',
        '[d](./manual/setup.md) <!-- fine -->',
        '[e](manual/setup.md) <!-- fine -->',
        '[f](tool/run.js) <!-- fine -->',
        '[g](/manual/absent.md) <!-- broken -->',
        '[h](./manual/absent.md) <!-- broken -->',
        '[i](manual/absent.md) <!-- broken -->',
        '[j](./manual/setup.md#setup) <!-- fine -->',
        '[k](manual/setup.md#setup) <!-- fine -->',
        '[l](./manual/setup.md#elsewhere) <!-- broken -->',
        '[m](manual/setup.md#elsewhere) <!-- broken -->',
        '[n](./manual/absent.md#setup) <!-- broken -->',
        '[o](manual/absent.md#setup) <!-- broken -->',
        '[p](irc://chat.example) <!-- fine -->',
        '[q](http://example.com/a/b) <!-- fine -->',
        '',
      ].join('\n'),
      'manual/setup.md': '# Setup\n\n[back](../guide.md#overview) <!-- fine -->\n',
      'tool/run.js': 'export {};\n',
    },
  },
  {
    name: 'links from a sub-folder climb with ../',
    document: 'manual/setup.md',
    files: {
      'guide.md': '# Overview\n',
      'manual/setup.md': [
        '# Setup',
        '',
        '[a](../guide.md) <!-- fine -->',
        '[b](../absent.md) <!-- broken -->',
        '[c](../guide.md#overview) <!-- fine -->',
        '[d](../guide.md#elsewhere) <!-- broken -->',
        '[e](../absent.md#overview) <!-- broken -->',
        '[f](#setup) <!-- fine -->',
        '[g](#elsewhere) <!-- broken -->',
        '',
      ].join('\n'),
    },
  },
  {
    name: 'headings named like object prototype members',
    document: 'proto.md',
    files: { 'proto.md': '# \\_\\_proto__\n# constructor\n# toString\n\n[a](#__proto__) <!-- fine -->\n[b](#constructor) <!-- fine -->\n[c](#tostring) <!-- fine -->\n' },
  },
  {
    name: 'headings with inline HTML keep the space before it',
    document: 'html.md',
    files: { 'html.md': '# x <!-- note --> y\n# x <!-- note -->\n# x\n\n[a](#x--y) <!-- fine -->\n[b](#x-) <!-- fine -->\n[c](#x) <!-- fine -->\n' },
  },
  {
    name: 'definitions',
    document: 'defs.md',
    files: { 'defs.md': '# Start\n\nSee [one][] and [two][].\n\n[one]: #start "fine"\n[two]: #finish "broken"\n' },
  },
  {
    name: 'suggestions for near headings',
    document: 'near.md',
    files: { 'near.md': '# Install\n\n[a](#instal) <!-- broken -->\n[b](other.md#usagee) <!-- broken -->\n', 'other.md': '# Usage\n' },
  },
  {
    name: 'links to lines',
    document: 'lines.md',
    files: { 'lines.md': '# Lines\n\n[a](tool/run.js#L1) <!-- fine -->\n[b](tool/gone.js#L1) <!-- broken -->\n[c](tool/gone.js#L1-L2) <!-- broken -->\n', 'tool/run.js': 'a\nb\n' },
  },
  {
    name: 'encoded characters in file names',
    document: 'odd.md',
    files: {
      'odd.md': [
        '# Odd',
        '',
        '[a](notes/odd%23name.md) <!-- fine -->',
        '[b](notes/gone%23name.md) <!-- broken -->',
        '[c](notes/odd%23name.md#odd) <!-- fine -->',
        '[d](notes/odd%23name.md#even) <!-- broken -->',
        '',
      ].join('\n'),
      'notes/odd#name.md': '# Odd\n',
    },
  },
  {
    name: "folders: the anchor is checked against the folder's README",
    document: 'folders.md',
    files: {
      'folders.md': [
        '# Folders',
        '',
        '[a](./box/readme.markdown#first) <!-- fine -->',
        '[b](./box/readme.markdown#absent) <!-- broken -->',
        '[c](./box#first) <!-- fine -->',
        '[d](./box#second) <!-- fine -->',
        '[e](./box#absent) <!-- broken -->',
        '[f](./nothing#absent) <!-- broken -->',
        '[g](./bare#absent) <!-- broken -->',
        '[h](./bare) <!-- fine -->',
        '',
      ].join('\n'),
      'box/readme.markdown': '# First\n\n## Second\n',
      'bare/notes.txt': 'x\n',
    },
  },
  {
    name: 'a file used as a folder',
    document: 'solid.md',
    files: { 'solid.md': '# Solid\n\n[a](solid.md/inner) <!-- broken -->\n' },
  },
  {
    name: 'images',
    document: 'pictures.md',
    files: {
      'pictures.md': '# Pictures\n\n![a](art/logo.png) <!-- fine -->\n![b](art/lost.png) <!-- broken -->\n\n![c][logo] <!-- fine -->\n\n[logo]: art/logo.png "fine"\n[lost]: art/lost.png "broken"\n',
      'art/logo.png': 'png',
    },
  },
  {
    name: 'image alt text is not part of the slug',
    document: 'badges.md',
    files: {
      'badges.md': [
        '# toolkit [![Build](https://ci.example/b.svg)](https://ci.example) [![Chat](https://chat.example/c.svg)](https://chat.example)',
        '',
        '# hi [![Build](https://ci.example/b.svg)](https://ci.example)',
        '',
        '# hi2 ![Build](https://ci.example/b.svg)',
        '',
        '[a](#toolkit--) <!-- fine -->',
        '[b](#hi-) <!-- fine -->',
        '[c](#hi2-) <!-- fine -->',
        '[d](#hi-build) <!-- broken -->',
        '',
      ].join('\n'),
    },
  },
  {
    name: 'query parameters',
    document: 'query.md',
    files: { 'query.md': '# Query form\n\n[a](query.md?plain=1) <!-- fine -->\n[a2](?plain=1) <!-- fine -->\n[b](#query-form) <!-- fine -->\n[c](#query-form?) <!-- broken -->\n' },
  },
  {
    name: 'headings match whatever the case',
    document: 'case.md',
    files: { 'case.md': '# Greeting\n\n[a](#GREETING) <!-- fine -->\n[b](#FAREWELL) <!-- broken -->\n[c](other.md#USAGE) <!-- fine -->\n[d](other.md#NONE) <!-- broken -->\n', 'other.md': '# Usage\n' },
  },
  {
    name: 'external links are not checked',
    document: 'out.md',
    files: { 'out.md': '# Out\n\n[a](https://example.com/x.md#y) <!-- fine -->\n[b](mailto:ops@example.com) <!-- fine -->\n[c](//cdn.example/x.js) <!-- fine -->\n' },
  },
  // lychee's fragment fixtures.
  {
    name: 'fragments: headings, code, explicit anchors, duplicates, case, non-ASCII, top',
    document: 'frag.md',
    files: {
      'frag.md': [
        '# Fragments',
        '',
        '## Part 1',
        '',
        '[a](#part-2) <!-- fine -->',
        '',
        '## Part 2',
        '',
        '[b](frag2.md#part-1) <!-- fine -->',
        '[c](#absent-part) <!-- broken -->',
        '[d](frag2.md#absent-part) <!-- broken -->',
        '',
        '### `Code` ``Title',
        '[e](#code-title) <!-- fine -->',
        '',
        '<a id="pinned-spot"></a>',
        '',
        '[f](#pinned-spot) <!-- fine -->',
        '[f2](#user-content-pinned-spot) <!-- fine -->',
        '[f3](#user-content-moved-spot) <!-- broken -->',
        '[g](frag2.md#named-spot) <!-- fine -->',
        '',
        '# Twin Title',
        '',
        '[h](#twin-title) <!-- fine -->',
        '[i](#twin-title-1) <!-- fine -->',
        '[j](#twin-title-2) <!-- broken -->',
        '',
        '# Twin Title',
        '',
        '# Mixed casing',
        '',
        '[k](#MIXED-CASING) <!-- fine -->',
        '',
        '# Grüße aus Köln',
        '',
        '[l](#grüße-aus-köln) <!-- fine -->',
        '[m](#GRÜSSE-aus-köln) <!-- broken -->',
        '[n](#gr%C3%BC%C3%9Fe-aus-k%C3%B6ln) <!-- fine -->',
        '',
        '[o](frag2.md#) <!-- fine -->',
        '[p](frag2.md#top) <!-- fine -->',
        '[q](empty/) <!-- fine -->',
        '[r](blob.bin) <!-- fine -->',
        '[s](blob.bin#) <!-- fine -->',
        '[t](blob.bin#inside) <!-- fine -->',
        '',
      ].join('\n'),
      'frag2.md': '# Part 1\n\n<a name="named-spot">here</a>\n',
      'empty/.keep': '',
      'blob.bin': 'bin',
    },
  },
];

describe('agreement with the peer suite (GitHub behaviour)', () => {
  const totals = { broken: 0, fine: 0 };
  test.each(cases)('$name', ({ document, files }) => {
    const text = files[document];
    const reported = new Set(
      check(files)
        .filter((diagnostic) => diagnostic.file === document && LINK_RULES.has(diagnostic.rule) && diagnostic.severity === 'error')
        .map((diagnostic) => diagnostic.line),
    );
    const broken = marked(text, 'broken');
    const fine = marked(text, 'fine');
    totals.broken += broken.length;
    totals.fine += fine.length;
    expect({ broken: broken.filter((line) => !reported.has(line)), fine: fine.filter((line) => reported.has(line)) }).toEqual({ broken: [], fine: [] });
  });

  test('covers the suite: dozens of expectations both ways', () => {
    expect(totals.broken).toBeGreaterThanOrEqual(30);
    expect(totals.fine).toBeGreaterThanOrEqual(45);
  });
});

const lines = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.file}:${d.line} ${d.rule} ${d.severity} ${d.message}${d.suggestion ? ` | ${d.suggestion}` : ''}`).sort();

describe('a link is explicit: no suffix or bare-name guessing', () => {
  test('a link that only a guess would resolve is broken, and the guess is the suggestion', () => {
    const files = {
      'docs/intro.md': '# Intro\n\n[tips](tips.md)\n[ex](/samples/a.md)\n[ok](../guides/tips.md)\n[ok2](/fixtures/samples/a.md)\n',
      'guides/tips.md': '# Tips\n',
      'fixtures/samples/a.md': '# A\n',
    };
    expect(lines(check(files))).toEqual([
      'docs/intro.md:3 missing-file error `tips.md` does not exist: from `docs/intro.md` it is `docs/tips.md` | did you mean `../guides/tips.md` (`guides/tips.md`)?',
      'docs/intro.md:4 missing-file error `/samples/a.md` does not exist | did you mean `/fixtures/samples/a.md` (`fixtures/samples/a.md`)?',
    ]);
  });

  test('a backticked mention of the same names still resolves by suffix', () => {
    const files = { 'docs/intro.md': '# Intro\n\nSee `guides/tips.md` and `samples/a.md:1`.\n', 'x/guides/tips.md': '# Tips\n', 'fixtures/samples/a.md': '# A\n' };
    expect(lines(check(files))).toEqual([]);
  });
});

describe('anchors GitHub provides', () => {
  test('a heading swallowed by a code fence never closed: the message says so and points at the fence; a closed one is a plain missing heading', () => {
    const open = '# Guide\n\n- [Setup](#setup)\n- [Teardown](#teardown)\n\n```bash\nmake up\n\n## Setup\n\nRun it.\n';
    const closed = '# Guide\n\n- [Setup](#setup)\n\n```bash\nmake up\n```\n\n## Install\n';
    const found = check({ 'docs/open.md': open, 'docs/closed.md': closed }).filter((d) => d.rule === 'missing-anchor');
    expect(found.map((d) => `${d.file}:${d.line} ${d.message} | ${d.suggestion ?? ''}`).sort()).toEqual([
      'docs/closed.md:3 `docs/closed.md` has no heading `#setup` | ',
      'docs/open.md:3 `docs/open.md` has no heading `#setup`: its code fence opened on line 6 is never closed, so every heading after it reads as code | close the code fence opened on line 6',
      'docs/open.md:4 `docs/open.md` has no heading `#teardown`: its code fence opened on line 6 is never closed, so every heading after it reads as code | close the code fence opened on line 6',
    ]);
  });


  test('#readme works in a README, not elsewhere; #top works everywhere', () => {
    const files = { 'README.md': '# Kit\n\n[a](#readme) [b](#top) [c](notes.md#top)\n', 'notes.md': '# Notes\n\n[d](#readme)\n' };
    expect(lines(check(files))).toEqual(['notes.md:3 missing-anchor error `notes.md` has no heading `#readme`']);
  });

  test('the empty slug of an empty heading is never suggested', () => {
    const files = { 'a.md': '# Alpha\n\n#\n\n[x](#omega)\n' };
    expect(lines(check(files))).toEqual(['a.md:5 missing-anchor error `a.md` has no heading `#omega`']);
  });

  test('a folder without a README has no anchors; a folder with one has its headings', () => {
    const files = { 'a.md': '# A\n\n[x](box#install) [y](box#usage)\n', 'box/README.md': '# Install\n' };
    expect(lines(check(files))).toEqual(['a.md:3 missing-anchor error `box/README.md` has no heading `#usage`']);
  });
});

describe('sections in words: bold labels and lists (class 12)', () => {
  const process = (reference: string) =>
    `# Deployment Process: Web\n\n## Status\n- **Status**: draft\n- **Code Reference**: ${reference}\n`;
  const runbook = '# Runbook\n\n## 3. Deploy\n\n## 4. Verify\n\n**Rollback:**\n\nUndo the release.\n\n**Note** this is prose, not a label.\n';

  test('a bold label standing as a heading is a section; a list of sections is checked item by item', () => {
    const files = { 'docs/web.md': process('docs/runbook.md (Rollback section), docs/runbook.md (§3, §4)'), 'docs/runbook.md': runbook };
    expect(lines(check(files)).filter((line) => line.includes('missing-anchor'))).toEqual([]);
  });

  test('near miss: a label nobody wrote, and one missing item of a list, stay errors', () => {
    const files = { 'docs/web.md': process('docs/runbook.md (Recovery section), docs/runbook.md (§3, §7)'), 'docs/runbook.md': runbook };
    expect(lines(check(files)).filter((line) => line.includes('missing-anchor'))).toEqual([
      'docs/web.md:5 missing-anchor error `docs/runbook.md` has no section `7`',
      'docs/web.md:5 missing-anchor error `docs/runbook.md` has no section `Recovery`',
    ]);
  });

  test('bold prose that is not a label is not a section', () => {
    const files = { 'docs/web.md': process('docs/runbook.md (Note section)'), 'docs/runbook.md': runbook.replace('## 3. Deploy', '## Deploy') };
    expect(lines(check(files)).filter((line) => line.includes('missing-anchor'))).toEqual([
      'docs/web.md:5 missing-anchor error `docs/runbook.md` has no section `Note`',
    ]);
  });

  test("a backticked path's anchor may spell the heading its own way, not by its first words; a link's may not, and a heading nobody wrote stays missing", () => {
    const blueprint = '# Blueprint\n\n## Phase 1 – Select Requirements\n\n## Phase 3 – Review & Iterate / JIRA Update\n';
    const files = {
      'rules/blueprint.md': blueprint,
      'rules/phase1.md': '# Phase 1\n\nFollow `rules/blueprint.md#phase-1-%E2%80%93-select-requirements`.\n',
      'rules/phase3.md': '# Phase 3\n\nFollow `rules/blueprint.md#phase-3-–-review-&-iterate--jira-update`.\n',
      'rules/phase5.md': '# Phase 5\n\nFollow `rules/blueprint.md#phase-5-–-release`.\n',
      'rules/linked.md': '# Linked\n\n[Phase 1](blueprint.md#phase-1-%E2%80%93-select-requirements)\n',
      // Not by its first words: `#phase-1` is no spelling of `## Phase 1 – Select Requirements`.
      'rules/short.md': '# Short\n\nSee `rules/blueprint.md#phase-1`.\n',
      'rules/short-link.md': '# Short link\n\n[Phase 1](blueprint.md#phase-1)\n',
    };
    expect(lines(check(files)).filter((line) => line.includes('missing-anchor'))).toEqual([
      'rules/linked.md:3 missing-anchor error `rules/blueprint.md` has no heading `#phase-1-–-select-requirements` | did you mean `#phase-1--select-requirements`?',
      'rules/phase5.md:3 missing-anchor error `rules/blueprint.md` has no heading `#phase-5-–-release`',
      'rules/short-link.md:3 missing-anchor error `rules/blueprint.md` has no heading `#phase-1` | did you mean `#phase-1--select-requirements`?',
      'rules/short.md:3 missing-anchor error `rules/blueprint.md` has no heading `#phase-1` | did you mean `#phase-1--select-requirements`?',
    ]);
  });

  test('a markdown link to a bold label is broken: GitHub makes no anchor for bold text', () => {
    const files = { 'docs/web.md': '# Web\n\n[r](runbook.md#rollback)\n', 'docs/runbook.md': runbook };
    expect(lines(check(files))).toEqual(['docs/web.md:3 missing-anchor error `docs/runbook.md` has no heading `#rollback`']);
  });
});

describe("links above the repository root, in GitHub's URL space (class 11)", () => {
  test('where a climbing link lands', () => {
    expect(githubClimb('../../issues/12', 'README.md')).toEqual({ kind: 'page', page: 'issues', rest: 'issues/12' });
    expect(githubClimb('../../../../pulls', 'docs/adr/x.md')).toEqual({ kind: 'page', page: 'pulls', rest: 'pulls' });
    expect(githubClimb('../../issues/12', 'docs/adr/x.md')).toEqual({ kind: 'short', short: 2, rest: 'issues/12', page: true });
    expect(githubClimb('../../../issues/12', 'docs/adr/x.md')).toEqual({ kind: 'short', short: 1, rest: 'issues/12', page: true });
    expect(githubClimb('../../blob/main/docs/a.md', 'README.md')).toEqual({ kind: 'file', path: 'docs/a.md' });
    expect(githubClimb('../../LICENSE', 'README.md')).toEqual({ kind: 'not-a-page', rest: 'LICENSE', extra: 2 });
    expect(githubClimb('../../../tools', 'README.md')).toEqual({ kind: 'outside', rest: 'tools', owner: true });
    expect(githubClimb('../guide.md', 'docs/a.md')).toBeUndefined();
  });

  test('owner/repo from a remote URL', () => {
    expect(githubRepository('git@github.com:acme/infra.git')).toBe('acme/infra');
    expect(githubRepository('https://github.com/acme/infra')).toBe('acme/infra');
    expect(githubRepository('ssh://git@github.com/acme/infra.git')).toBe('acme/infra');
    expect(githubRepository('https://github.com/acme/infra/blob/main/{path}#L{line}')).toBe('acme/infra');
    expect(githubRepository('https://gitlab.com/acme/infra.git')).toBeUndefined();
    expect(githubRepository(undefined)).toBeUndefined();
  });

  test('pages of the repository are reached from the right depth; from the wrong one the fix is exact', () => {
    const files = {
      'README.md': '# Kit\n\n[bug](../../issues/12) [wiki](../../wiki/Home) [src](../../blob/main/docs/adr/x.md)\n',
      'docs/adr/x.md': '# ADR\n\n[ok](../../../../discussions/3) [ok](../../../../releases)\n[short](../../issues/12)\n[root](../../../LICENSE)\n',
    };
    expect(lines(check(files, { github: 'acme/kit' }))).toEqual([
      'docs/adr/x.md:4 missing-file error `../../issues/12` lands on `/acme/kit/blob/<branch>/issues/12` on GitHub, which is not a page | add two `../` (`../../../../issues/12`), or use the absolute URL `https://github.com/acme/kit/issues/12`',
      'docs/adr/x.md:5 missing-file error `../../../LICENSE` lands on `/acme/kit/blob/LICENSE` on GitHub, which is not a page | link a file of this repository as `../../LICENSE`, or anything else with its absolute URL',
    ]);
  });

  test('near miss: a page name that is not a GitHub page, and a file missing under blob/, stay errors', () => {
    const files = { 'README.md': '# Kit\n\n[x](../../tickets/12) [y](../../blob/main/docs/gone.md)\n' };
    expect(lines(check(files, { github: 'acme/kit' }))).toEqual([
      'README.md:3 missing-file error `../../blob/main/docs/gone.md` does not exist: from `README.md` it is `docs/gone.md`',
      'README.md:3 missing-file error `../../tickets/12` climbs above the repository root to `/acme/kit/tickets/12` on GitHub, which is not a page of the repository | link a file of this repository as `tickets/12`; a page of the repository (`issues`, `pulls`, `wiki`, …) is two `../` up',
    ]);
  });

  test('a link into another repository of the owner is information, not an error', () => {
    const files = { 'README.md': '# Kit\n\n[tools](../../../tools/blob/main/README.md)\n' };
    expect(lines(check(files, { github: 'acme/kit' }))).toEqual([
      'README.md:3 missing-file info `../../../tools/blob/main/README.md` climbs above the repository root and out of it, to `/acme/tools/blob/main/README.md` on GitHub | link another repository with its absolute URL (`https://github.com/…`)',
    ]);
  });
});
