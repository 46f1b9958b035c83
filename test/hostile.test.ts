/**
 * Waymark against a repository it does not control (test/hostile/*): broken
 * markdown and metadata, binary and invalid UTF-8 behind text extensions,
 * every line ending, huge and empty files, 10,000 references, deep folders,
 * names with spaces, quotes, control characters and markup, symbolic links in
 * loops and out of the repository, traversal references, and script payloads
 * wherever a repository can put text; as a plain folder, a git work tree with
 * no commits and a shallow clone.
 *
 * For every case `check` and `build` finish with exit 0 or 1 and report the
 * bad input at its file and line; the rest of the repository is still read
 * and published; nothing outside the repository is read, listed, written or
 * published; and no injected script runs in the built site.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, Graph } from '../src/core/schema.ts';
import { buildSite, type BuildSiteResult } from '../src/astro/build-site.ts';
import { scanRepository } from '../src/node/scan.ts';
import { createUrls } from '../src/core/urls/urls.ts';
import { binPath, diagnosticLines } from './helpers.ts';
import { safeUrl } from '../src/core/urls/safe-url.ts';
import { inertText } from '../src/site/escape.ts';
import { exerciseSite, findInjections, sitePages } from './hostile/browser.ts';
import { commitAll, initWithoutCommits, shallowClone } from './hostile/git.ts';
import {
  CONTROL_TOKEN,
  DEEP_FILE,
  MANY_REFERENCES,
  ODD_NAMES,
  writeHostileRepo,
  writeHugeLineRepo,
  type HostileRepo,
} from './hostile/hostile-repo.ts';
import { LIVE_MARKUP, PAYLOADS, SCRIPT_URL, SEARCH_QUERIES, SECRET, TAG_LABEL } from './hostile/payloads.ts';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function freshBase(name: string): string {
  const base = path.join(scratch, name);
  mkdirSync(base, { recursive: true });
  return base;
}

/** Every file under `dir` (links not followed), relative, with its size: to prove nothing was added outside. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => path.join(entry.parentPath, entry.name))
    .map((file) => `${path.relative(dir, file)} ${statSync(file, { throwIfNoEntry: false })?.size ?? 'link'}`)
    .sort();
}

/** The bad inputs and where they must be reported: every one of these lines, whatever else is found. */
const EXPECTED = [
  // Malformed front matter, metadata, fences and tables.
  'docs/bad/yaml-invalid.md:3:1 invalid-metadata front matter is not valid YAML: missed comma between flow collection entries',
  'docs/bad/yaml-unclosed.md:1:1 invalid-metadata front matter opened on line 1 is never closed',
  'docs/bad/yaml-js-engine.md:1:4 invalid-metadata front matter in `js` is not read: only YAML front matter is supported',
  'docs/bad/yaml-scalar.md:2:1 invalid-metadata front matter is not a list of `key: value` pairs',
  'docs/bad/yaml-bad-date.md:2:15 invalid-metadata `last_updated` value `2025-13-45` is not a valid date',
  'docs/bad/unterminated-fence.md:3:1 malformed-markdown the code fence opened on line 3 is never closed, so everything after it is read as code',
  'docs/bad/unterminated-table.md:5:1 malformed-markdown this table has no delimiter row under its header, so it is read as text',
  'docs/bad/bold-keys.md:3:12 invalid-metadata `Status` has no value',
  'docs/bad/bold-keys.md:4:18 invalid-metadata `Last Updated` has no value',
  'docs/bad/bold-keys.md:5:20 invalid-metadata `Last Validated` has no value',
  'docs/bad/dates.md:4:19 invalid-metadata `Last Updated` value `2025-13-45` is not a valid date',
  'docs/bad/dates.md:5:21 invalid-metadata `Last Validated` value `2025-02-30` is not a valid date',
  'docs/bad/dates.md:11:3 invalid-metadata `Date` value `2025-13-45` in the change history is not a valid date',
  // Encodings and line endings: positions are those of the file as written.
  'docs/encoding/binary.md:1:1 unreadable-file skipped `docs/encoding/binary.md`: it is binary (NUL bytes)',
  'scripts/binary.sh:1:1 unreadable-file skipped `scripts/binary.sh`: it is binary (NUL bytes)',
  'docs/encoding/invalid-utf8.md:1:1 unreadable-file skipped `docs/encoding/invalid-utf8.md`: it is not valid UTF-8',
  'infra/invalid-utf8.tf:1:1 unreadable-file skipped `infra/invalid-utf8.tf`: it is not valid UTF-8',
  'docs/encoding/bom.md:4:19 invalid-metadata `Last Updated` value `2025-13-45` is not a valid date',
  'infra/bom.tf:2:14 missing-file `docs/missing-from-bom.md` does not exist',
  'docs/encoding/crlf.md:3:19 invalid-metadata `Last Updated` value `2025-13-45` is not a valid date',
  'docs/encoding/crlf.md:5:6 missing-file `docs/missing-from-crlf.md` does not exist',
  'infra/crlf.tf:2:14 missing-file `docs/missing-from-crlf.tf.md` does not exist',
  'docs/encoding/cr.md:3:19 invalid-metadata `Last Updated` value `2025-13-45` is not a valid date',
  'docs/encoding/cr.md:5:6 missing-file `docs/missing-from-cr.md` does not exist',
  'infra/cr.tf:2:14 missing-file `docs/missing-from-cr.tf.md` does not exist',
  'docs/encoding/mixed.md:4:19 invalid-metadata `Last Updated` value `2025-13-45` is not a valid date',
  `${ODD_NAMES.controls}:3:19 invalid-metadata \`Last Updated\` value \`2025-13-45\` is not a valid date`,
  // Symbolic links: out of the repository, in loops, dangling, to folders.
  '.gitignore:1:1 unreadable-file skipped `.gitignore`: it is a symbolic link to a file outside the repository',
  'linked-outside:1:1 unreadable-file skipped `linked-outside`: it is a symbolic link to a file outside the repository',
  'infra/outside.tf:1:1 unreadable-file skipped `infra/outside.tf`: it is a symbolic link to a file outside the repository',
  'docs/links/absolute-outside.md:1:1 unreadable-file skipped `docs/links/absolute-outside.md`: it is a symbolic link to a file outside the repository',
  'docs/links/relative-outside.md:1:1 unreadable-file skipped `docs/links/relative-outside.md`: it is a symbolic link to a file outside the repository',
  'docs/links/passwd.md:1:1 unreadable-file skipped `docs/links/passwd.md`: it is a symbolic link to a file outside the repository',
  'docs/links/loop-a.md:1:1 unreadable-file skipped `docs/links/loop-a.md`: it is a broken or looping symbolic link',
  'docs/links/loop-b.md:1:1 unreadable-file skipped `docs/links/loop-b.md`: it is a broken or looping symbolic link',
  'docs/links/dangling.md:1:1 unreadable-file skipped `docs/links/dangling.md`: it is a broken or looping symbolic link',
  'docs/links/self:1:1 unreadable-file skipped `docs/links/self`: it is not a regular file',
  'docs/links/parent:1:1 unreadable-file skipped `docs/links/parent`: it is not a regular file',
  // A link to another file of the repository (`docs/links/inside.md`) is an alias: read once, under the target's path, and counted, not reported.
  // References out of the repository resolve against its file list only: missing, said as GitHub or another repository would have them.
  'infra/traversal.tf:2:14 missing-file `../../etc/passwd` is in another repository, which Waymark cannot check',
  'infra/traversal.tf:3:14 missing-file `/etc/ssl/openssl.cnf` is in another repository, which Waymark cannot check',
  'infra/traversal.tf:4:14 missing-file `../outside/secret.md` is in another repository, which Waymark cannot check',
  'infra/traversal.tf:5:14 missing-file `../../outside/secret.md` is in another repository, which Waymark cannot check',
  'infra/traversal.tf:6:14 missing-file `docs/../../outside/secret.md` does not exist',
  'infra/traversal.tf:7:14 missing-file `linked-outside/secret.md` does not exist',
  'infra/traversal.tf:8:14 missing-file `docs/esc\u001bc-reset\u0007bell.md` does not exist',
  'docs/traversal.md:3:41 missing-file `/etc/passwd` is in another repository, which Waymark cannot check',
  'docs/traversal.md:3:6 missing-file `../../../../etc/passwd` climbs above the repository root and out of it, to `/<owner>/etc/passwd` on GitHub',
  'docs/traversal.md:3:63 missing-file `../../outside/secret.md` is in another repository, which Waymark cannot check',
  'docs/traversal.md:4:47 missing-file `../linked-outside/secret.md` does not exist: from `docs/traversal.md` it is `linked-outside/secret.md`',
  'docs/traversal.md:6:23 missing-file `../outside/secret.md` is in another repository, which Waymark cannot check',
  // 10,000 references: the one broken reference, at the end.
  `docs/many-references.md:${MANY_REFERENCES + 2}:4 missing-file \`infra/missing-after-many.tf\` does not exist`,
];

/** Files that hold nothing wrong: no error may be reported in them. */
const CLEAN = ['docs/processes/good-rollout.md', 'infra/good.tf', DEEP_FILE, 'docs/links/inside.md', ...Object.values(ODD_NAMES).filter((name) => name !== ODD_NAMES.controls)];

function expectHostileGraph(graph: Graph): void {
  const lines = diagnosticLines(graph.diagnostics);
  expect(lines).toEqual(expect.arrayContaining(EXPECTED));
  expect(graph.diagnostics.filter((d) => CLEAN.includes(d.file) && d.severity === 'error')).toEqual([]);
  // Everything else is still read: the control process with all its implementations, odd names, deep folders.
  const good = graph.processes.find((p) => p.id === 'good-rollout');
  expect(good?.implementedBy).toEqual(
    expect.arrayContaining([`${DEEP_FILE}:1`, 'infra/good.tf:1', 'infra/crlf.tf:1', 'infra/cr.tf:1', expect.stringMatching(/^infra\/odd "name" <b onmouseover=.*\.tf:1$/)]),
  );
  expect(graph.processes.find((p) => p.name === 'Bom Process')?.implementedBy).toEqual(['infra/bom.tf:1']);
  expect(graph.processes.find((p) => p.name.startsWith('<script>'))?.implementedBy).toEqual(['infra/xss.tf:1']);
  const documents = graph.documents.map((d) => d.path);
  expect(documents).toEqual(expect.arrayContaining([...Object.values(ODD_NAMES), 'docs/empty/empty.md', 'docs/empty/only-bom.md', 'docs/component.mdx']));
  expect(documents).not.toContain('docs/links/inside.md');
  const many = graph.documents.find((d) => d.path === 'docs/many-references.md');
  expect(many?.references).toHaveLength(MANY_REFERENCES);
  // Nothing outside is listed or read.
  for (const file of graph.paths) expect(file.startsWith('../') || file.startsWith('/') || file.includes('/../')).toBe(false);
  expect(graph.paths.some((file) => file.startsWith('linked-outside/') || file.startsWith('node_modules/'))).toBe(false);
  expect(JSON.stringify(graph)).not.toContain(SECRET);
}

interface Variant {
  name: string;
  make(): HostileRepo;
}

const variants: Variant[] = [
  { name: 'a plain folder', make: () => writeHostileRepo(freshBase('plain')) },
  {
    name: 'a git work tree with no commits',
    make: () => {
      const hostile = writeHostileRepo(freshBase('no-commits'));
      initWithoutCommits(hostile.repo);
      return hostile;
    },
  },
  {
    name: 'a shallow clone',
    make: () => {
      const base = freshBase('shallow');
      const hostile = writeHostileRepo(base);
      initWithoutCommits(hostile.repo);
      commitAll(hostile.repo, 'first');
      writeFileSync(path.join(hostile.repo, 'docs/processes/good-rollout.md'), `${readFileSync(path.join(hostile.repo, 'docs/processes/good-rollout.md'), 'utf8')}\nMore.\n`);
      commitAll(hostile.repo, 'second');
      const clone = path.join(base, 'clone');
      shallowClone(hostile.repo, clone);
      return { repo: clone, outside: hostile.outside };
    },
  },
];

describe.each(variants)('check on a hostile repository: $name', ({ make }) => {
  let hostile: HostileRepo;
  let outsideBefore: string[];
  beforeAll(() => {
    hostile = make();
    outsideBefore = snapshot(hostile.outside);
  });

  it('reports every bad input at its file and line, and reads everything else', async () => {
    const { graph } = await scanRepository(hostile.repo);
    expectHostileGraph(graph);
    // No front matter engine or MDX ran while reading.
    expect((globalThis as { __pwnedNode?: unknown }).__pwnedNode).toBeUndefined();
  });

  it('through the bin: exit 1, the same diagnostics, nothing written or printed from outside', async () => {
    const result = await run(process.execPath, [binPath, 'check', '--repo', hostile.repo, '--format', 'json'], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain(SECRET);
    const diagnostics: Diagnostic[] = JSON.parse(result.stdout).problems;
    expect(diagnosticLines(diagnostics)).toEqual(expect.arrayContaining(EXPECTED));
    // The cache went nowhere through the `node_modules` link, and nothing else appeared outside.
    expect(snapshot(hostile.outside)).toEqual(outsideBefore);
  });
});

describe('check reports in every format', () => {
  let hostile: HostileRepo;
  beforeAll(() => {
    hostile = writeHostileRepo(freshBase('formats'));
  });

  const check = (format: string) =>
    run(process.execPath, [binPath, 'check', '--repo', hostile.repo, '--format', format, '--no-cache'], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );

  it('text: one line per problem, control characters in names and values made visible', async () => {
    const result = await check('text');
    expect('code' in result ? result.code : 0).toBe(1);
    // Only line breaks between problems: a name cannot split a line or send escape sequences to the terminal.
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(result.stdout).toContain('docs/names/new\\nline\\ttab\\x1b[31mred.md:3:19  error');
    expect(result.stdout).toContain('`docs/esc\\x1bc-reset\\x07bell.md` does not exist');
    expect(result.stdout).not.toContain(SECRET);
  });

  it('sarif and github: well-formed, one entry per problem', async () => {
    const [json, sarif, github] = await Promise.all(['json', 'sarif', 'github'].map(check));
    const diagnostics: Diagnostic[] = JSON.parse(json.stdout).problems;
    expect(JSON.parse(sarif.stdout).runs[0].results).toHaveLength(diagnostics.length);
    const lines = github.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(diagnostics.length);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) file=[^\n:,]*,line=\d+,col=\d+,title=[^\n]*::/);
  });

  it('build through the bin: strict mode stops on the errors with exit 1 and writes nothing', async () => {
    const out = path.join(scratch, 'strict-out');
    const result = await run(process.execPath, [binPath, 'build', '--repo', hostile.repo, '--out', out, '--no-cache']).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stderr).toContain('waymark: build stopped on the errors above');
    expect(result.stderr).not.toContain(SECRET);
    expect(existsSync(out)).toBe(false);
  });
});

describe('huge files', () => {
  const SIZE = 5 * 1024 * 1024;

  it('a 5 MB single-line file over the size limit is skipped and reported at line 1', async () => {
    const repo = writeHugeLineRepo(freshBase('huge-default'), SIZE);
    const { graph } = await scanRepository(repo);
    expect(diagnosticLines(graph.diagnostics)).toEqual([
      'docs/huge.md:1:1 unreadable-file skipped `docs/huge.md`: it is 5.0 MiB, over the 1.0 MiB limit',
      'docs/ok.md:3:6 missing-file `docs/missing-next-to-huge.md` does not exist',
      'infra/huge.tf:1:1 unreadable-file skipped `infra/huge.tf`: it is 5.0 MiB, over the 1.0 MiB limit',
      'k8s/huge.yaml:1:1 unreadable-file skipped `k8s/huge.yaml`: it is 5.0 MiB, over the 1.0 MiB limit',
    ]);
  });

  it('with the limit raised, 5 MB single lines are read to the end: markup-heavy markdown is reported, not parsed', async () => {
    const repo = writeHugeLineRepo(freshBase('huge-read'), SIZE, 8 * 1024 * 1024);
    const { graph } = await scanRepository(repo);
    expect(diagnosticLines(graph.diagnostics)).toEqual([
      expect.stringMatching(/^docs\/huge\.md:1:1 malformed-markdown the block on line 1 has \d+ markup characters/),
      'docs/ok.md:3:6 missing-file `docs/missing-next-to-huge.md` does not exist',
    ]);
    expect(graph.files.map((f) => f.path)).toEqual(expect.arrayContaining(['infra/huge.tf']));
  });
});

describe('config from a hostile repository', () => {
  it('a config linked from outside is refused without quoting it', async () => {
    const base = freshBase('config-link');
    const repo = path.join(base, 'repo');
    mkdirSync(path.join(repo, 'docs'), { recursive: true });
    writeFileSync(path.join(repo, 'docs/a.md'), '# A\n');
    writeFileSync(path.join(base, 'secret.json'), `{ "name": "${SECRET}" `);
    const { symlinkSync } = await import('node:fs');
    symlinkSync(path.join(base, 'secret.json'), path.join(repo, 'waymark.config.json'));
    const result = await run(process.execPath, [binPath, 'check', '--repo', repo]).catch((error: { stdout: string; stderr: string; code: number }) => error);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toMatch(/^waymark: invalid config\n/);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('a waymark.config.mjs is never run without --trust-config', async () => {
    const repo = path.join(freshBase('config-mjs'), 'repo');
    mkdirSync(repo, { recursive: true });
    const marker = path.join(repo, 'ran.txt');
    writeFileSync(path.join(repo, 'waymark.config.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default {};\n`);
    const result = await run(process.execPath, [binPath, 'check', '--repo', repo]).catch((error: { stdout: string; stderr: string; code: number }) => error);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain('pass `--trust-config` to run it');
    expect(existsSync(marker)).toBe(false);
  });

  it('a previous manifest outside the repository is neither read nor quoted', async () => {
    const base = freshBase('config-manifest');
    const repo = path.join(base, 'repo');
    mkdirSync(path.join(repo, 'docs'), { recursive: true });
    writeFileSync(path.join(repo, 'docs/a.md'), '# A\n');
    writeFileSync(path.join(base, 'secret.json'), `${SECRET} is not JSON`);
    writeFileSync(path.join(repo, 'waymark.config.json'), JSON.stringify({ previousManifest: '../secret.json' }));
    const out = path.join(base, 'out');
    const result = await run(process.execPath, [binPath, 'build', '--repo', repo, '--out', out, '--no-cache']).catch(
      (error: { stdout: string; stderr: string; code: number }) => error,
    );
    expect(result.stderr).toContain('`previousManifest` `../secret.json` leads out of the repository');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    expect(existsSync(out)).toBe(false);
  });

  it('URLs the site links to must be http(s)', async () => {
    const repo = path.join(freshBase('config-url'), 'repo');
    mkdirSync(repo, { recursive: true });
    writeFileSync(path.join(repo, 'waymark.config.json'), JSON.stringify({ site: { repoUrl: PAYLOADS.jsUrl, url: 'javascript:alert(1)' } }));
    const result = await run(process.execPath, [binPath, 'check', '--repo', repo]).catch((error: { stdout: string; stderr: string; code: number }) => error);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain('`site.url`: must be an absolute `http://` or `https://` URL');
    expect(result.stderr).toContain('`site.repoUrl`: must be an absolute `http://` or `https://` URL');
  });
});

describe('build of a hostile repository', () => {
  let hostile: HostileRepo;
  let out: string;
  let result: BuildSiteResult;
  let outsideBefore: string[];
  let html: Map<string, string>;

  beforeAll(async () => {
    hostile = writeHostileRepo(freshBase('build'));
    outsideBefore = snapshot(hostile.outside);
    out = path.join(scratch, 'build-out');
    result = await buildSite({ repo: hostile.repo, out, strict: false, quiet: true, cache: true });
    html = new Map(
      readdirSync(out, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
        .map((entry) => path.join(entry.parentPath, entry.name))
        .map((file) => [path.relative(out, file), readFileSync(file, 'utf8')]),
    );
  });

  it('finishes, reporting the same problems as check', () => {
    expect(result.failed).toBe(false);
    expect(result.pages).toBeGreaterThan(40);
    expect(diagnosticLines(result.diagnostics)).toEqual(expect.arrayContaining(EXPECTED));
  });

  it('publishes the rest of the repository', () => {
    const urls = createUrls('/');
    const page = (url: string) => html.get(`${url.replace(/^\//, '').replace(/#.*$/, '')}index.html`);
    expect(page(urls.process('good-rollout'))).toContain(CONTROL_TOKEN);
    expect(page(urls.file(DEEP_FILE))).toBeDefined();
    for (const name of Object.values(ODD_NAMES)) expect(page(urls.doc(name)), name).toBeDefined();
    expect(page(urls.doc('docs/many-references.md'))).toContain('infra/missing-after-many.tf');
  });

  it('publishes nothing from outside the repository and writes nothing there', () => {
    for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      expect(readFileSync(file).includes(SECRET), path.relative(out, file)).toBe(false);
    }
    expect(snapshot(hostile.outside)).toEqual(outsideBefore);
  });

  it('escapes every payload: the text is shown, never live markup', () => {
    const all = [...html.values()].join('\n');
    expect(all).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(all).toContain('&lt;img src=x onerror=');
    for (const [file, text] of html) {
      // Attribute values may hold `<` safely; everything else may not hold live markup.
      const outsideAttributes = text.replace(/="[^"]*"/g, '=""');
      for (const pattern of LIVE_MARKUP) expect(pattern.test(outsideAttributes), `${file}: ${pattern}`).toBe(false);
      expect(SCRIPT_URL.test(text), file).toBe(false);
    }
  });

  it('runs no injected script in a browser, on any page', async () => {
    const { pages, findings } = await findInjections(out);
    expect(pages.length).toBe(result.pages);
    expect(findings).toEqual([]);
  }, 180_000);

  it('every href, src and action of every page passes the one URL rule', () => {
    const attribute = /\s(href|src|action|formaction|poster)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
    let checked = 0;
    for (const [file, text] of html) {
      for (const match of text.matchAll(attribute)) {
        const value = decodeAttribute(match[2] ?? match[3]);
        expect(safeUrl(value), `${file}: ${match[1]}="${value}"`).toBe(value);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('in a browser, search with payloads, every filter ticked and every link clicked on each kind of page runs no injected script', async () => {
    const all = await sitePages(out);
    // One page of each kind, the one that carries a payload where there is one.
    const first = (prefix: string, holding: string) => all.find((page) => page.startsWith(prefix) && page.includes(holding));
    const pages = [
      ...['', 'processes/', 'tasks/', 'files/', 'docs/', 'environments/', 'problems/', 'changes/', '404.html'],
      first('processes/', 'evil'),
      first('tasks/', 'TASK-666'),
      first('files/infra/', 'filters.tf'),
      first('docs/names/', '~3Cimg'),
      first('environments/', 'img-src'),
    ];
    expect(pages.every((page) => page !== undefined && all.includes(page)), String(pages)).toBe(true);
    const run = await exerciseSite(out, pages as string[], SEARCH_QUERIES);
    expect(run.findings).toEqual([]);
    expect(run.results).toBeGreaterThan(0);
    expect(run.clicked).toBeGreaterThan(100);
    expect(run.navigations).toBeGreaterThan(50);
    // The markup-named environment and area reached the filters, and show as text.
    const labels = new Set(run.filterLabels.map((label) => label.replace(/ \(\d+\)$/, '')));
    expect(labels).toContain(inertText(TAG_LABEL));
    expect(labels).toContain(inertText(PAYLOADS.img));
  }, 600_000);
});

/** An attribute value as the browser reads it (the character references Astro and the escapers write). */
function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|quot|lt|gt|apos);/gi, (_, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1].toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" }[name.toLowerCase()]!;
  });
}
