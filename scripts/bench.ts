/**
 * Benchmark: Waymark against ripgrep over the same repositories, measured
 * side by side in one run so the ratios compare like with like on this machine.
 *
 *   npm run bench -- [--sizes small,medium,large,xlarge] [--runs 3] [--seed 1]
 *                    [--real DIR,…|none] [--before REF] [--only-check] [--out docs/benchmarks.md] [--keep]
 *
 * Synthetic repositories come from scripts/generate-repo.ts (size, seed) and
 * are committed to git, so discovery takes the `git ls-files` path. Real
 * repositories (`--real`, default: the largest of the accuracy corpus under
 * `$WAYMARK_CORPUS`) are copied with their history into a scratch folder,
 * never touched in place. Per run, interleaved: the search baseline, then per
 * engine a cold `waymark check` (cache folder deleted first) and a warm one
 * after one document changed; then `waymark build` (small, medium and real
 * repositories) with its peak RSS, plain Astro + Pagefind building as many
 * trivial pages (small and medium), the resident mode (`check --watch`,
 * 20 saves) and the language server (`lsp`, 20 edits: scripts/bench-lsp.ts). `--before REF` adds a second engine: this checkout's commit REF
 * in a git worktree, bundled like this one, so a change is measured before and
 * after in the same run. Medians are reported; nothing is asserted on time.
 * The broken references the generator planted are compared with what
 * Waymark reports, which is the one correctness check here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_TAGS } from '../src/core/config/config.ts';
import { LSP_EDITS, lspSection, lspTarget, runLspLatency, type LspLatency } from './bench-lsp.ts';
import { generateRepository, SIZES, type GeneratedRepository, type RepositorySize } from './generate-repo.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * The marker regex ripgrep searches with: every default tag label followed by
 * a colon, and the suppression comment: what Waymark's prefilter looks for.
 */
const TAG_PATTERN = `(${Object.values(DEFAULT_TAGS).flat().map((label) => label.replaceAll(' ', '\\s+')).join('|')}):|waymark-ignore-next-line`;
/** Sizes whose site build is measured: a 50k-file site build takes too long to repeat. */
const BUILD_SIZES = new Set<RepositorySize>(['small', 'medium']);
/** Sizes whose resident mode is measured (one is enough to show the shape; large shows the cost of size). */
const RESIDENT_SIZES = new Set<RepositorySize>(['small', 'medium', 'large']);
const RESIDENT_SAVES = 20;
const GNU_TIME = '/usr/bin/time';
const corpusRoot = process.env.WAYMARK_CORPUS ?? '/work/corpus';
/** The accuracy corpus's largest repository with history (~750 files, 164 commits): timed here, never tuned on. */
const DEFAULT_REAL = [path.join(corpusRoot, 'jinglero-undernda+jinglero')];

/** Where `waymark check` and `build` keep their cache (`--cache-dir`): in the run's scratch folder, not the user's. */
function cacheRoot(scratch: string, engine: Engine): string {
  return path.join(scratch, `waymark-cache-${engine.name}`);
}

interface Options {
  sizes: RepositorySize[];
  runs: number;
  seed: number;
  real: string[];
  before?: string;
  out: string;
  keep: boolean;
  /** `--only-check`: cold and warm checks only (no build, no resident mode), for the growth sizes. */
  onlyCheck: boolean;
  /** `--no-build`: checks and the resident mode, no site builds (the warm and resident rows alone). */
  noBuild: boolean;
}

/** A Waymark to measure: this checkout, or the `--before` commit in a worktree. */
interface Engine {
  name: 'before' | 'after';
  label: string;
  bin: string;
  /** Whether its `check` takes `--timing` (older commits do not). */
  timing: boolean;
}

interface Run {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set in KiB, when measured. */
  maxRssKib?: number;
  /** User plus system CPU time, when measured: on a shared machine it moves less than wall time. */
  cpuMs?: number;
}

/** A measured value, or why there is none. */
type Sample = { ok: true; ms: number; cpuMs?: number } | { ok: false; error: string };

interface EngineResult {
  cold: Sample[];
  warm: Sample[];
  rssKib: number[];
  /** `--timing` of the last cold and warm run. */
  coldTiming?: string;
  warmTiming?: string;
}

interface TargetResult {
  /** `small`…`xlarge`, or the real repository's folder name. */
  name: string;
  kind: 'synthetic' | 'real';
  files: number;
  commits: number;
  generated?: GeneratedRepository;
  search: number[];
  searchCpu: number[];
  engines: Map<Engine['name'], EngineResult>;
  build: Sample[] | undefined;
  buildRssKib: number[];
  /** Plain Astro + Pagefind over as many trivial pages as the Waymark build wrote. */
  plain: Sample[] | undefined;
  /** Starlight (its own Pagefind search) over as many trivial pages: the issue's site baseline. */
  starlight: Sample[] | undefined;
  /** Pages the Waymark build wrote (its last successful run). */
  pages?: number;
  /** Resident mode: ms from `write()` to the complete result printed, per save. */
  resident?: number[] | { error: string };
  /** Language server: open time and ms from `didChange` to the diagnostics that show it, per edit. */
  lsp?: LspLatency | { error: string };
  verdict: string;
}

// ---------------------------------------------------------------------------
// Arguments

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: 'small,medium,large' },
      runs: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
      real: { type: 'string' },
      before: { type: 'string' },
      out: { type: 'string', default: 'docs/benchmarks.md' },
      keep: { type: 'boolean', default: false },
      'only-check': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const sizes = values.sizes!.split(',').map((size) => size.trim()).filter(Boolean);
  for (const size of sizes) if (!(size in SIZES)) throw new Error(`unknown size \`${size}\` (${Object.keys(SIZES).join(', ')})`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('`--runs` takes a whole number of at least 1');
  const real = values.real === 'none' ? [] : values.real ? values.real.split(',').map((dir) => path.resolve(dir)) : DEFAULT_REAL.filter((dir) => existsSync(dir));
  return { sizes: sizes as RepositorySize[], runs, seed: Number(values.seed), real, before: values.before, out: path.resolve(projectRoot, values.out!), keep: values.keep!, onlyCheck: values['only-check']!, noBuild: values['no-build']! };
}

// ---------------------------------------------------------------------------
// Processes

/** Run a command to completion, timing it from spawn to exit. Never throws on a non-zero exit. */
function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => resolve({ ms: performance.now() - started, code: null, stdout: '', stderr: error.message }));
    child.on('close', (code) => {
      resolve({ ms: performance.now() - started, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** `timed`, with peak RSS and CPU time from GNU time when there is one, else (Node children only) from a hook inside the child. */
async function timedWithRss(args: string[], cwd: string, scratch: string, command = process.execPath): Promise<Run> {
  const rssFile = path.join(scratch, 'rss.txt');
  await rm(rssFile, { force: true });
  const run = existsSync(GNU_TIME)
    ? await timed(GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args], cwd)
    : await timed(command, command === process.execPath ? ['--import', RSS_HOOK, ...args] : args, cwd, { ...process.env, WAYMARK_BENCH_RSS_FILE: rssFile });
  const [kib, user, system] = (await readFile(rssFile, 'utf8').catch(() => '')).trim().split('\n').at(-1)!.split(' ').map(Number);
  return {
    ...run,
    ...(Number.isFinite(kib) && kib > 0 ? { maxRssKib: kib } : {}),
    ...(Number.isFinite(user) && Number.isFinite(system) ? { cpuMs: (user + system) * 1000 } : {}),
  };
}

/** Writes the process's own peak RSS (KiB on Linux) to a file on exit; used only without GNU time. */
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(process.env.WAYMARK_BENCH_RSS_FILE, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}`); });",
)}`;

/** The second word of `command --version` (`ripgrep 13.0.0` → `13.0.0`). */
function versionOf(command: string): string {
  return spawnSync(command, ['--version']).stdout?.toString().split(/\s+/)[1] ?? 'unknown version';
}

function available(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=waymark-bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.toString().trim()}`);
  return result.stdout.toString('utf8');
}

/** The line that says what went wrong: an `…Error:` or `waymark:` line before any stack frame, else the first line. */
function firstLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /^(waymark:|\w*Error\b)/.test(line)) ?? lines[0] ?? 'no output';
}

// ---------------------------------------------------------------------------
// Engines: this checkout, and the `--before` commit, each bundled as users run it

/** `scripts/bundle.ts` in `root`, so the measured CLI is the bundle, not the sources through tsx. */
function bundle(root: string): void {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/run-ts.mjs'), path.join(root, 'scripts/bundle.ts')], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`bundling ${root} failed: ${result.stderr.toString().trim()}`);
}

async function prepareEngines(options: Options, scratch: string): Promise<Engine[]> {
  const engines: Engine[] = [];
  if (options.before) {
    const commit = git(projectRoot, ['rev-parse', '--verify', `${options.before}^{commit}`]).trim();
    const tree = path.join(scratch, 'before');
    git(projectRoot, ['worktree', 'add', '--detach', '-f', tree, commit]);
    await symlink(path.join(projectRoot, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
    bundle(tree);
    const bin = path.join(tree, 'bin/waymark.mjs');
    engines.push({ name: 'before', label: `${options.before} (${commit.slice(0, 9)})`, bin, timing: takesTiming(bin) });
  }
  bundle(projectRoot);
  const head = git(projectRoot, ['rev-parse', '--short=9', 'HEAD']).trim();
  const dirty = git(projectRoot, ['status', '--porcelain', '--', 'src', 'bin']).trim() ? ' + uncommitted changes' : '';
  engines.push({ name: 'after', label: `this checkout (${head}${dirty})`, bin: path.join(projectRoot, 'bin/waymark.mjs'), timing: true });
  return engines;
}

function takesTiming(bin: string): boolean {
  return spawnSync(process.execPath, [bin, 'check', '--help']).stdout?.toString().includes('--timing') ?? false;
}

async function removeEngines(options: Options, scratch: string): Promise<void> {
  if (options.before) spawnSync('git', ['worktree', 'remove', '--force', path.join(scratch, 'before')], { cwd: projectRoot, stdio: 'ignore' });
}

// ---------------------------------------------------------------------------
// The measured commands

interface SearchTool {
  label: string;
  run: (dir: string, scratch: string) => Promise<Run>;
}

/**
 * ripgrep when installed (Debian's `ripgrep`), as the issue names it: hidden
 * files searched, `.git` left out, `.gitignore` honoured; else grep with the
 * same pattern, and the report says so.
 */
function chooseSearchTool(): SearchTool {
  if (available('rg', ['--version'])) {
    return {
      label: `rg --hidden -g '!.git' -n -i -e "${TAG_PATTERN}" (ripgrep ${versionOf('rg')})`,
      run: (dir, scratch) => timedWithRss(['--hidden', '-g', '!.git', '-n', '-i', '-e', TAG_PATTERN, '.'], dir, scratch, 'rg'),
    };
  }
  return {
    label: `grep -rniE "${TAG_PATTERN}" --exclude-dir=.git --exclude-dir=node_modules (ripgrep is not installed: install Debian's \`ripgrep\` for the baseline the targets name)`,
    run: (dir, scratch) => timedWithRss(['-rniE', TAG_PATTERN, '--exclude-dir=.git', '--exclude-dir=node_modules', '.'], dir, scratch, 'grep'),
  };
}

/** `waymark check --timing`, with its peak RSS. */
function runCheck(engine: Engine, dir: string, scratch: string): Promise<Run> {
  return timedWithRss([engine.bin, 'check', '--repo', dir, '--format', 'json', ...(engine.timing ? ['--timing'] : []), '--cache-dir', cacheRoot(scratch, engine)], dir, scratch);
}

/** The `--timing` block a run printed on stderr. */
function timingOf(run: Run): string | undefined {
  const at = run.stderr.indexOf('waymark: timing');
  return at < 0 ? undefined : run.stderr.slice(at).trimEnd();
}

/**
 * 0 clean and 1 problems found are both successful runs, as long as the JSON
 * report came out: an uncaught exception in Node also exits with 1.
 */
function checkSample(run: Run): Sample {
  if ((run.code === 0 || run.code === 1) && readDiagnostics(run)) return { ok: true, ms: run.ms, cpuMs: run.cpuMs };
  return { ok: false, error: firstLine(run.stderr || run.stdout) };
}

function readDiagnostics(run: Run): { rule: string; file: string; line: number }[] | undefined {
  try {
    // The versioned report (`{ version, problems }`), or the bare array older engines print.
    const parsed = JSON.parse(run.stdout) as unknown;
    const problems = Array.isArray(parsed) ? parsed : (parsed as { problems?: unknown } | null)?.problems;
    return Array.isArray(problems) ? problems : undefined;
  } catch {
    return undefined;
  }
}

async function runBuild(engine: Engine, dir: string, scratch: string): Promise<{ sample: Sample; pages?: number; rssKib?: number }> {
  const out = path.join(scratch, 'site');
  await rm(out, { recursive: true, force: true });
  const run = await timedWithRss([engine.bin, 'build', '--repo', dir, '--out', out, '--no-strict', '--quiet', '--cache-dir', cacheRoot(scratch, engine)], projectRoot, scratch);
  // A failure is a result to report, not a reason to stop.
  if (run.code !== 0) return { sample: { ok: false, error: firstLine(run.stderr || run.stdout) } };
  return { sample: { ok: true, ms: run.ms }, pages: await countPages(out), rssKib: run.maxRssKib };
}

/** HTML pages under `folder`, Pagefind's own files left out. */
async function countPages(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true });
  return entries.filter((entry) => entry.endsWith('.html') && !entry.split(path.sep).includes('pagefind')).length;
}

// ---------------------------------------------------------------------------
// Baseline for the build: plain Astro + Pagefind, same packages, trivial pages

/** One dynamic route rendering `count` trivial pages, and a script building it and indexing it with Pagefind. */
const PLAIN_PAGE = (count: number) => `---
export function getStaticPaths() {
  return Array.from({ length: ${count} }, (_, index) => ({ params: { slug: \`page-\${index}\` } }));
}
const { slug } = Astro.params;
---
<html lang="en">
  <head><meta charset="utf-8" /><title>{slug}</title></head>
  <body><main data-pagefind-body><h1>{slug}</h1><p>A plain page named {slug}.</p></main></body>
</html>
`;

const PLAIN_BUILD = `import { build } from 'astro';
import * as pagefind from 'pagefind';
await build({ root: process.cwd(), logLevel: 'error' });
try {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
  if (!index) throw new Error(errors.join('; '));
  const added = await index.addDirectory({ path: 'dist' });
  if (added.errors.length) throw new Error(added.errors.join('; '));
  const written = await index.writeFiles({ outputPath: 'dist/pagefind' });
  if (written.errors.length) throw new Error(written.errors.join('; '));
} finally {
  await pagefind.close();
}
`;

/**
 * A minimal Astro project in `scratch` with `pages` trivial pages, using
 * Waymark's own astro and pagefind packages (its node_modules, linked).
 */
async function preparePlainAstro(scratch: string, pages: number): Promise<string> {
  const root = path.join(scratch, 'plain-astro');
  await rm(root, { recursive: true, force: true });
  await mkdir(path.join(root, 'src/pages'), { recursive: true });
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'plain-astro', private: true, type: 'module' }));
  await writeFile(path.join(root, 'astro.config.mjs'), 'export default {};\n');
  await writeFile(path.join(root, 'src/pages/[slug].astro'), PLAIN_PAGE(pages));
  await writeFile(path.join(root, 'build.mjs'), PLAIN_BUILD);
  await symlink(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

async function runPlainAstro(root: string): Promise<Sample> {
  await rm(path.join(root, 'dist'), { recursive: true, force: true });
  await rm(path.join(root, '.astro'), { recursive: true, force: true });
  const run = await timed(process.execPath, ['build.mjs'], root);
  return run.code === 0 ? { ok: true, ms: run.ms } : { ok: false, error: firstLine(run.stderr || run.stdout) };
}

/**
 * Starlight's own project shape: one markdown page per Waymark page in
 * `src/content/docs`, its docs collection, and a one-link sidebar: the
 * default sidebar lists every page on every page, which at thousands of
 * pages measures the sidebar rather than the site generator. Starlight runs
 * Pagefind itself after the build. Starlight 0.42 builds only on Astro 7.4
 * (on Waymark's 7.3 its 404 route fails to render), so the project gets its
 * own packages from npm, at these versions, rather than Waymark's.
 */
const STARLIGHT_PACKAGES = ['@astrojs/starlight@0.42.9', 'astro@7.4.8'];
const STARLIGHT_CONFIG = `import starlight from '@astrojs/starlight';
export default { integrations: [starlight({ title: 'Bench', sidebar: [{ label: 'Home', link: '/' }] })] };
`;
const STARLIGHT_COLLECTIONS = `import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
export const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };
`;

/** A Starlight project in `scratch` with `pages` trivial pages, its packages installed; undefined (with the reason logged) when npm cannot install them. */
async function prepareStarlight(scratch: string, pages: number): Promise<string | undefined> {
  const root = path.join(scratch, 'starlight');
  await rm(root, { recursive: true, force: true });
  const docs = path.join(root, 'src/content/docs');
  await mkdir(docs, { recursive: true });
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'starlight-bench', private: true, type: 'module' }));
  const installed = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...STARLIGHT_PACKAGES], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  if (installed.status !== 0) {
    log(`Starlight baseline skipped: npm install failed (${firstLine(installed.stderr?.toString() ?? '')})`);
    return undefined;
  }
  await writeFile(path.join(root, 'astro.config.mjs'), STARLIGHT_CONFIG);
  await writeFile(path.join(root, 'src/content.config.ts'), STARLIGHT_COLLECTIONS);
  await writeFile(path.join(docs, 'index.md'), '---\ntitle: Home\n---\n\nThe home page.\n');
  for (let index = 1; index < pages; index++) {
    await writeFile(path.join(docs, `page-${index}.md`), `---\ntitle: page-${index}\n---\n\nA plain page named page-${index}.\n`);
  }
  await writeFile(path.join(root, 'build.mjs'), `import { build } from 'astro';\nawait build({ root: process.cwd(), logLevel: 'error' });\n`);
  return root;
}

// ---------------------------------------------------------------------------
// Correctness: did Waymark report exactly the planted broken references?

const BROKEN_RULES = new Set(['missing-file', 'line-out-of-range']);

function verifyBroken(run: Run, generated: GeneratedRepository): string {
  const diagnostics = readDiagnostics(run);
  if (!diagnostics) return `❌ could not read the check output: ${firstLine(run.stderr || run.stdout)}`;
  const found = diagnostics.filter((diagnostic) => BROKEN_RULES.has(diagnostic.rule)).map((diagnostic) => `${diagnostic.file}:${diagnostic.line}`);
  const others = otherRules(diagnostics);
  const expected = new Set(generated.brokenReferences);
  const actual = new Set(found);
  const missed = [...expected].filter((place) => !actual.has(place));
  const extra = [...actual].filter((place) => !expected.has(place));
  if (found.length === expected.size && missed.length === 0 && extra.length === 0) {
    return `✅ ${found.length}/${expected.size} planted broken references reported, no other missing-file/line-out-of-range${others}`;
  }
  const sample = (items: string[]) => items.slice(0, 3).join(', ') + (items.length > 3 ? ', …' : '');
  return [
    `❌ ${found.length} missing-file/line-out-of-range diagnostics for ${expected.size} planted broken references`,
    missed.length ? `missed ${missed.length} (${sample(missed)})` : '',
    extra.length ? `unexpected ${extra.length} (${sample(extra)})` : '',
  ]
    .filter(Boolean)
    .join('; ') + others;
}

/** The generated repository is meant to be clean apart from the planted references: list anything else, for information. */
function otherRules(diagnostics: { rule: string }[]): string {
  const counts = new Map<string, number>();
  for (const { rule } of diagnostics) if (!BROKEN_RULES.has(rule)) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  if (counts.size === 0) return '';
  const list = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([rule, count]) => `${count} \`${rule}\``);
  return ` (other diagnostics: ${list.join(', ')})`;
}

// ---------------------------------------------------------------------------
// Resident mode: `waymark check --watch`, from write() to the complete result printed

/**
 * Start `check --watch`, wait for its first result, then save `document`
 * `RESIDENT_SAVES` times (a whole-file write, as an editor saves) and time
 * each save to the status line that follows the printed report. The watcher
 * prints the report on stdout and then `waymark: checked …` on stderr, both
 * synchronous on a pipe, so the status line means the result is out.
 */
async function runResident(engine: Engine, dir: string, scratch: string, document: string): Promise<number[] | { error: string }> {
  const child = spawn(process.execPath, [engine.bin, 'check', '--watch', '--repo', dir, '--format', 'json', '--cache-dir', cacheRoot(scratch, engine)], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.resume();
  let errText = '';
  const waiters: ((line: string) => void)[] = [];
  let pending = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errText += chunk.toString('utf8');
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('waymark: checked')) waiters.shift()?.(line);
  });
  const nextResult = (timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms: ${firstLine(errText)}`)), timeoutMs);
      waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  try {
    await nextResult(300_000);
    const file = path.join(dir, document);
    const original = await readFile(file, 'utf8');
    const latencies: number[] = [];
    for (let save = 1; save <= RESIDENT_SAVES; save++) {
      const result = nextResult(30_000);
      const started = performance.now();
      await writeFile(file, `${original}\nSaved by the benchmark, save ${save}.\n`);
      await result;
      latencies.push(performance.now() - started);
      // A person saves every few seconds at most: a second apart, the background history refresh runs between saves, as it would.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await writeFile(file, original);
    return latencies;
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    await stop(child);
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------------------
// One repository

interface Target {
  name: string;
  kind: 'synthetic' | 'real';
  dir: string;
  scratch: string;
  /** The document a warm run and the resident mode change. */
  document: string;
  generated?: GeneratedRepository;
  builds: boolean;
  plain: boolean;
  resident: boolean;
}

async function syntheticTarget(size: RepositorySize, seed: number, scratchRoot: string): Promise<Target> {
  const scratch = await mkdtemp(path.join(scratchRoot, `${size}-`));
  const dir = path.join(scratch, `synthetic-${size}`);
  await mkdir(dir);
  const generated = await generateRepository(dir, size, seed);
  git(dir, ['init', '-q']);
  // No background `gc --auto` writing into .git while the run measures, or when it removes the folder.
  git(dir, ['config', 'gc.auto', '0']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `Synthetic ${size} repository (seed ${seed})`]);
  const document = generated.brokenReferences[0]?.split(':')[0] ?? 'README.md';
  return { name: size, kind: 'synthetic', dir, scratch, document, generated, builds: BUILD_SIZES.has(size), plain: BUILD_SIZES.has(size), resident: RESIDENT_SIZES.has(size) };
}

/** A copy of a real repository with its history (`cp -a`): the original is never written to. */
async function realTarget(source: string, scratchRoot: string): Promise<Target> {
  const name = path.basename(source);
  const scratch = await mkdtemp(path.join(scratchRoot, 'real-'));
  const dir = path.join(scratch, name);
  const copied = spawnSync('cp', ['-a', source, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (copied.status !== 0) throw new Error(`copying ${source} failed: ${copied.stderr.toString().trim()}`);
  // The first markdown document by name: which one does not matter, only that a document changes.
  const documents = git(dir, ['ls-files', '-z', '--', '*.md']).split('\0').filter(Boolean).sort();
  return { name, kind: 'real', dir, scratch, document: documents[0] ?? 'README.md', builds: true, plain: true, resident: true };
}

async function benchTarget(target: Target, options: Options, engines: Engine[], search: SearchTool): Promise<TargetResult> {
  const files = git(target.dir, ['ls-files', '-z']).split('\0').filter(Boolean).length;
  const commits = Number(git(target.dir, ['rev-list', '--count', 'HEAD']).trim());
  const result: TargetResult = {
    name: target.name,
    kind: target.kind,
    files,
    commits,
    generated: target.generated,
    search: [],
    searchCpu: [],
    engines: new Map(engines.map((engine) => [engine.name, { cold: [], warm: [], rssKib: [] }])),
    build: target.builds ? [] : undefined,
    buildRssKib: [],
    plain: target.plain ? [] : undefined,
    starlight: target.plain ? [] : undefined,
    verdict: '',
  };
  const after = engines.at(-1)!;
  let plainRoot: string | undefined;
  let starlightRoot: string | undefined | null;
  let touches = 0;
  for (let run = 1; run <= options.runs; run++) {
    log(`${target.name}: run ${run}/${options.runs}`);
    const searched = await search.run(target.dir, target.scratch);
    result.search.push(searched.ms);
    if (searched.cpuMs !== undefined) result.searchCpu.push(searched.cpuMs);
    for (const engine of engines) {
      const measured = result.engines.get(engine.name)!;
      await rm(cacheRoot(target.scratch, engine), { recursive: true, force: true });
      const cold = await runCheck(engine, target.dir, target.scratch);
      const coldSample = checkSample(cold);
      measured.cold.push(coldSample);
      measured.coldTiming = timingOf(cold) ?? measured.coldTiming;
      if (coldSample.ok && cold.maxRssKib !== undefined) measured.rssKib.push(cold.maxRssKib);
      if (run === 1 && engine === after && target.generated) result.verdict = verifyBroken(cold, target.generated);
      await appendFile(path.join(target.dir, target.document), `\nTouched by benchmark run ${++touches}.\n`);
      const warm = await runCheck(engine, target.dir, target.scratch);
      measured.warm.push(checkSample(warm));
      measured.warmTiming = timingOf(warm) ?? measured.warmTiming;
    }
    if (result.build) {
      const { sample, pages, rssKib } = await runBuild(after, target.dir, target.scratch);
      result.build.push(sample);
      if (rssKib !== undefined) result.buildRssKib.push(rssKib);
      if (pages !== undefined) result.pages = pages;
      // The same number of pages as the Waymark build wrote; prepared once, after its first success.
      if (result.plain && result.pages !== undefined) {
        plainRoot ??= await preparePlainAstro(target.scratch, result.pages);
        result.plain.push(await runPlainAstro(plainRoot));
      }
      if (result.starlight && result.pages !== undefined) {
        if (starlightRoot === undefined) starlightRoot = (await prepareStarlight(target.scratch, result.pages)) ?? null;
        if (starlightRoot) result.starlight.push(await runPlainAstro(starlightRoot));
      }
    }
  }
  if (target.resident) {
    log(`${target.name}: resident mode, ${RESIDENT_SAVES} saves`);
    result.resident = await runResident(after, target.dir, target.scratch, target.document);
    log(`${target.name}: language server, ${LSP_EDITS} edits`);
    result.lsp = await runLspLatency({ bin: after.bin, dir: target.dir, document: target.document, cacheDir: cacheRoot(target.scratch, after) });
  }
  return result;
}

// ---------------------------------------------------------------------------
// Report

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function formatMib(kib: number[]): string {
  return kib.length ? `${Math.round(median(kib) / 1024)} MiB` : 'n/a';
}

function okTimes(samples: Sample[] | undefined): number[] {
  return (samples ?? []).flatMap((sample) => (sample.ok ? [sample.ms] : []));
}

/** Median and ratio to `baseline`, or `n/a` with the first error; with CPU times, their median and ratio too. */
function cell(samples: Sample[] | undefined, baseline: number, baselineCpu?: number): [string, string] {
  if (!samples) return ['not run', '–'];
  const times = okTimes(samples);
  const failure = samples.find((sample): sample is Extract<Sample, { ok: false }> => !sample.ok);
  if (times.length === 0) return [`n/a (${tableSafe(failure?.error ?? 'no runs')})`, '–'];
  const value = median(times);
  const cpus = samples.flatMap((sample) => (sample.ok && sample.cpuMs !== undefined ? [sample.cpuMs] : []));
  const cpu = cpus.length && baselineCpu ? median(cpus) : undefined;
  const partial = failure ? ` (${samples.length - times.length} of ${samples.length} failed: ${tableSafe(failure.error)})` : '';
  return [
    `${formatMs(value)}${cpu === undefined ? '' : ` (CPU ${formatMs(cpu)})`}${partial}`,
    `${(value / baseline).toFixed(1)}×${cpu === undefined ? '' : ` (CPU ${(cpu / baselineCpu!).toFixed(1)}×)`}`,
  ];
}

/** Short enough for a table cell, and no `|` to split it. */
function tableSafe(text: string): string {
  const short = text.length > 90 ? `${text.slice(0, 89)}…` : text;
  return short.replaceAll('|', '\\|');
}

function machineInfo(): string[] {
  const cpus = os.cpus();
  return [
    `- CPUs: ${os.availableParallelism()} (${cpus[0]?.model.trim() ?? 'unknown model'}); load average at the end: ${os.loadavg().map((load) => load.toFixed(1)).join(', ')} (the machine is shared)`,
    `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node.js: ${process.version}`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
  ];
}

function checkTable(results: TargetResult[], engines: Engine[]): string[] {
  const rows = results.flatMap((result) => {
    const baseline = median(result.search);
    const baselineCpu = result.searchCpu.length ? median(result.searchCpu) : undefined;
    return engines.map((engine) => {
      const measured = result.engines.get(engine.name)!;
      const [cold, coldRatio] = cell(measured.cold, baseline, baselineCpu);
      const [warm, warmRatio] = cell(measured.warm, baseline, baselineCpu);
      return `| ${result.name} | ${result.files.toLocaleString('en')} | ${result.commits} | ${engine.name} | ${formatMs(baseline)}${baselineCpu === undefined ? '' : ` (CPU ${formatMs(baselineCpu)})`} | ${cold} | ${coldRatio} | ${warm} | ${warmRatio} | ${formatMib(measured.rssKib)} |`;
    });
  });
  return [
    '| Repository | Files | Commits | Engine | Search | Check (cold) | × | Check (warm, 1 doc changed) | × | Peak RSS (cold check) |',
    '| ---------- | ----: | ------: | ------ | -----: | -----------: | -: | --------------------------: | -: | --------------------: |',
    ...rows,
  ];
}

/** Time and memory per 1,000 files between the two largest synthetic sizes, and a straight line to 500k files. */
function growth(results: TargetResult[]): string[] {
  const synthetic = results.filter((result) => result.kind === 'synthetic').sort((a, b) => a.files - b.files);
  if (synthetic.length < 2) return ['Needs two synthetic sizes (e.g. `--sizes large,xlarge`).'];
  const [small, big] = synthetic.slice(-2);
  const value = (result: TargetResult, pick: (engine: EngineResult) => number[]) => {
    const values = pick(result.engines.get('after')!);
    return values.length ? median(values) : undefined;
  };
  const metrics: [string, (engine: EngineResult) => number[], (value: number) => string][] = [
    ['Check, cold', (engine) => okTimes(engine.cold), formatMs],
    ['Check, warm', (engine) => okTimes(engine.warm), formatMs],
    ['Peak RSS (cold check)', (engine) => engine.rssKib, (kib) => `${Math.round(kib / 1024)} MiB`],
  ];
  const searchSlope = ((median(big.search) - median(small.search)) / (big.files - small.files)) * 1000;
  const rows = metrics.map(([label, pick, format]) => {
    const [a, b] = [value(small, pick), value(big, pick)];
    if (a === undefined || b === undefined) return `| ${label} | n/a | n/a | n/a | n/a | n/a |`;
    const slope = (b - a) / (big.files - small.files);
    const projected = b + slope * (500_000 - big.files);
    return `| ${label} | ${format(a)} | ${format(b)} | ${format(slope * 1000)} | ${(b / big.files / (a / small.files)).toFixed(2)} | ${format(projected)} |`;
  });
  return [
    `Between ${small.name} (${small.files.toLocaleString('en')} files) and ${big.name} (${big.files.toLocaleString('en')} files), this checkout; search grows ${formatMs(searchSlope)} per 1,000 files.`,
    'Per-file ratio 1.00 is linear growth; the projection is a straight line through the two points, to 500,000 files.',
    '',
    `| Measure | ${small.name} | ${big.name} | per 1,000 files | per-file ratio | projected at 500k files |`,
    '| ------- | ----: | ----: | --------------: | -------------: | ----------------------: |',
    ...rows,
  ];
}

function residentTable(results: TargetResult[]): string[] {
  const rows = results.filter((result) => result.resident).map((result) => {
    const resident = result.resident!;
    if (!Array.isArray(resident)) return `| ${result.name} | ${result.files.toLocaleString('en')} | n/a (${tableSafe(resident.error)}) | | | |`;
    return `| ${result.name} | ${result.files.toLocaleString('en')} | ${resident.length} | ${formatMs(percentile(resident, 50))} | ${formatMs(percentile(resident, 95))} | ${formatMs(Math.max(...resident))} |`;
  });
  return [
    `\`waymark check --watch --format json\`: the time from \`writeFile()\` of a whole document (as an editor saves) to the status line`,
    'printed after the complete report, debounce included; one save a second, so the background history refresh runs between saves as it would in use.',
    '',
    '| Repository | Files | Saves | p50 | p95 | max |',
    '| ---------- | ----: | ----: | --: | --: | --: |',
    ...rows,
  ];
}

function buildTable(results: TargetResult[]): string[] {
  const rows = results.filter((result) => result.build).map((result) => {
    const plainTimes = okTimes(result.plain);
    const plain = plainTimes.length ? median(plainTimes) : undefined;
    const [build, buildRatio] = plain === undefined ? [cell(result.build, 1)[0], '–'] : cell(result.build, plain);
    const [plainCell] = result.plain ? cell(result.plain, 1) : ['not run'];
    const starlightTimes = okTimes(result.starlight);
    const [starlightCell] = result.starlight?.length ? cell(result.starlight, 1) : ['not run'];
    const starlightRatio = starlightTimes.length ? cell(result.build, median(starlightTimes))[1] : '–';
    return `| ${result.name} | ${result.pages?.toLocaleString('en') ?? 'n/a'} | ${build} | ${formatMib(result.buildRssKib)} | ${plainCell} | ${buildRatio} | ${starlightCell} | ${starlightRatio} |`;
  });
  return [
    '`waymark build --no-strict --quiet` (scan with the warm cache, Astro, Pagefind) against plain Astro + Pagefind — the same',
    '`astro` and `pagefind` packages, in a minimal project with one dynamic route rendering as many trivial pages as the',
    `Waymark build wrote, indexed the way \`waymark build\` indexes — and against Starlight (\`${STARLIGHT_PACKAGES.join('`, `')}\`,`,
    'installed from npm into the baseline\'s own project) building as many one-paragraph markdown pages, with its own Pagefind',
    'search and a one-link sidebar (its default sidebar lists every page on every page). × is Waymark ÷ the baseline.',
    '',
    '| Repository | Pages | `waymark build` | Peak RSS (build) | Plain Astro + Pagefind | × | Starlight + Pagefind | × |',
    '| ---------- | ----: | --------------: | ---------------: | ---------------------: | -: | -------------------: | -: |',
    ...rows,
  ];
}

/** The `--timing` of the largest synthetic repository and every real one, cold and warm, for this checkout. */
function timingBlocks(results: TargetResult[]): string[] {
  const synthetic = results.filter((result) => result.kind === 'synthetic');
  const shown = [...synthetic.slice(-1), ...results.filter((result) => result.kind === 'real')];
  return shown.flatMap((result) => {
    const measured = result.engines.get('after')!;
    return [
      `### ${result.name}`,
      '',
      '```text',
      `cold: ${measured.coldTiming ?? 'n/a'}`,
      '',
      `warm: ${measured.warmTiming ?? 'n/a'}`,
      '```',
      '',
    ];
  });
}

/** The issue's targets, met or not. */
function targets(results: TargetResult[]): string[] {
  const lines: string[] = [];
  const verdict = (value: number | undefined, limit: number) => (value === undefined ? '– not measured' : value <= limit ? '✅ met' : '❌ not met');
  const shown = (value: number | undefined, unit: string, digits = 1) => (value === undefined ? 'n/a' : `${value.toFixed(digits)}${unit}`);
  const medianOf = (values: number[]) => (values.length ? median(values) : undefined);
  const largest = results.filter((result) => result.kind === 'synthetic').at(-1);
  if (largest) {
    const after = largest.engines.get('after')!;
    const baseline = median(largest.search);
    const cold = medianOf(okTimes(after.cold));
    const warm = medianOf(okTimes(after.warm));
    const rss = medianOf(after.rssKib);
    const coldRatio = cold === undefined ? undefined : cold / baseline;
    const warmRatio = warm === undefined ? undefined : warm / baseline;
    lines.push(`- ${largest.name}: \`check\` cold ≤ 5× search: ${shown(coldRatio, '×')} ${verdict(coldRatio, 5)}`);
    lines.push(`- ${largest.name}: \`check\` warm ≤ 2× search: ${shown(warmRatio, '×')} ${verdict(warmRatio, 2)}`);
    lines.push(`- ${largest.name}: peak RSS of \`check\` ≤ 512 MiB: ${shown(rss && rss / 1024, ' MiB')} ${verdict(rss && rss / 1024, 512)}`);
  }
  for (const result of results.filter((result) => result.kind === 'real')) {
    const after = result.engines.get('after')!;
    const cold = medianOf(okTimes(after.cold));
    const warm = medianOf(okTimes(after.warm));
    const rss = medianOf(result.buildRssKib);
    lines.push(`- ${result.name}: \`check\` cold ≤ 1.5 s: ${shown(cold && cold / 1000, ' s', 2)} ${verdict(cold, 1500)}`);
    lines.push(`- ${result.name}: \`check\` warm ≤ 0.5 s: ${shown(warm && warm / 1000, ' s', 2)} ${verdict(warm, 500)}`);
    lines.push(`- ${result.name}: peak RSS of \`build\` ≤ 768 MiB: ${shown(rss && rss / 1024, ' MiB')} ${verdict(rss && rss / 1024, 768)}`);
  }
  for (const result of results.filter((result) => okTimes(result.starlight).length && okTimes(result.build).length)) {
    const ratio = median(okTimes(result.build)) / median(okTimes(result.starlight));
    lines.push(`- ${result.name}: \`build\` ≤ 0.5× Starlight: ${shown(ratio, '×', 2)} ${verdict(ratio, 0.5)}`);
  }
  for (const result of results.filter((result) => Array.isArray(result.resident))) {
    const p95 = percentile(result.resident as number[], 95);
    lines.push(`- ${result.name}: resident mode p95 ≤ 100 ms over ${RESIDENT_SAVES} saves: ${shown(p95, ' ms', 0)} ${verdict(p95, 100)}`);
  }
  for (const result of results) if (result.lsp) lines.push(lspTarget(result.name, result.lsp));
  return lines;
}

function renderReport(results: TargetResult[], options: Options, engines: Engine[], search: SearchTool, argv: string[]): string {
  const synthetic = results.filter((result) => result.kind === 'synthetic');
  const real = results.filter((result) => result.kind === 'real');
  return [
    '# Benchmarks',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)} with \`npm run bench --${argv.length ? ` ${argv.join(' ')}` : ''}\`.` +
      ` Medians of ${options.runs} interleaved run${options.runs === 1 ? '' : 's'} per repository; × is the ratio to the search baseline in the same run.`,
    '',
    ...machineInfo(),
    `- Search baseline: \`${search.label}\``,
    ...engines.map((engine) => `- Engine \`${engine.name}\`: ${engine.label}, bundled (\`scripts/bundle.ts\`) as an installed package runs`),
    `- Synthetic repositories: \`scripts/generate-repo.ts\` (seeded mulberry32, fixed base date: the same bytes on every machine), seed ${options.seed}, committed to git in one commit`,
    ...(real.length ? [`- Real repositories, copied with their history: ${real.map((result) => `${result.name} (${result.files} files, ${result.commits} commits)`).join(', ')}`] : []),
    `- Peak RSS: ${existsSync(GNU_TIME) ? 'from `/usr/bin/time -f %M`' : 'from `process.resourceUsage().maxRSS` inside the child'}`,
    '',
    'Cold: `waymark check` with its cache folder (`--cache-dir`) deleted first. Warm: the next run, after appending a line to one document, with the cache the cold run wrote.',
    'Each cell is wall time, then user + system CPU time in brackets (GNU time): on a shared machine the CPU ratio is the steadier one; the targets are judged on wall time.',
    '',
    '## Check',
    '',
    ...checkTable(results, engines),
    '',
    '## Growth',
    '',
    ...growth(synthetic),
    '',
    '## Resident mode',
    '',
    ...residentTable(results),
    '',
    ...lspSection(results.flatMap((result) => (result.lsp ? [{ name: result.name, files: result.files, latency: result.lsp }] : []))),
    '',
    '## Site build',
    '',
    ...buildTable(results),
    '',
    '## Where the time goes',
    '',
    '`waymark check --timing` of the last run (this checkout). With worker threads, read and parse share the wall time by their CPU time.',
    '',
    ...timingBlocks(results),
    '## Targets',
    '',
    ...targets(results),
    '',
    '## Planted broken references',
    '',
    ...synthetic.map((result) => `- ${result.name}: ${result.verdict}`),
    '',
  ].join('\n');
}

/** Remove a repository's scratch folder; a leftover (a git process still writing there) costs disk, never the report. */
async function removeScratch(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true, maxRetries: 3 }).catch((error: Error) => log(`could not remove ${folder}: ${error.message}`));
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const search = chooseSearchTool();
  const scratchRoot = await mkdtemp(path.join(os.tmpdir(), 'waymark-bench-'));
  const results: TargetResult[] = [];
  try {
    const engines = await prepareEngines(options, scratchRoot);
    for (const size of options.sizes) {
      log(`${size}: generating`);
      const target = await syntheticTarget(size, options.seed, scratchRoot);
      if (options.onlyCheck) Object.assign(target, { builds: false, plain: false, resident: false });
      if (options.noBuild) Object.assign(target, { builds: false, plain: false });
      results.push(await benchTarget(target, options, engines, search));
      if (!options.keep) await removeScratch(target.scratch);
    }
    for (const dir of options.real) {
      log(`${path.basename(dir)}: copying`);
      const target = await realTarget(dir, scratchRoot);
      if (options.onlyCheck) Object.assign(target, { builds: false, plain: false, resident: false });
      if (options.noBuild) Object.assign(target, { builds: false, plain: false });
      results.push(await benchTarget(target, options, engines, search));
      if (!options.keep) await removeScratch(target.scratch);
    }
    const report = renderReport(results, options, engines, search, argv);
    await mkdir(path.dirname(options.out), { recursive: true });
    await writeFile(options.out, report);
    process.stdout.write(report);
    log(`wrote ${path.relative(projectRoot, options.out)}`);
  } finally {
    await removeEngines(options, scratchRoot);
    if (options.keep) log(`kept ${scratchRoot}`);
    else await rm(scratchRoot, { recursive: true, force: true });
  }
  return results.every((result) => result.kind === 'real' || result.verdict.startsWith('✅')) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error)?.message ?? String(error)}\n`);
  return 2;
});
