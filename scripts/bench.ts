/**
 * Benchmark: Waymark against a plain text search over the same synthetic
 * repositories, measured side by side in one run so the ratios compare like
 * with like on this machine.
 *
 *   npm run bench -- [--sizes small,medium,large] [--runs 5] [--seed 1] [--out docs/benchmarks.md] [--keep]
 *
 * Per size: generate (scripts/generate-repo.ts), `git init` + commit (so
 * discovery takes the `git ls-files` path), then per run, interleaved:
 * search baseline, cold `waymark check` (cache folder deleted first), warm
 * check after one document changed (the cache the cold run left), `waymark
 * build`, and plain Astro + Pagefind building as many trivial pages as that
 * build wrote (small and medium only). Medians are reported; nothing is
 * asserted on time. The broken references the generator planted are compared
 * with what Waymark reports, which is the one correctness check here.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateRepository, SIZES, type GeneratedRepository, type RepositorySize } from './generate-repo.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const waymarkBin = path.join(projectRoot, 'bin/waymark.mjs');
const TAG_PATTERN = '(Deployment Process|Process|Implements|Environment|Reference|Task):';
/** Sizes whose site build is measured: a 50k-file site build takes too long to repeat. */
const BUILD_SIZES = new Set<RepositorySize>(['small', 'medium']);
const GNU_TIME = '/usr/bin/time';
/** Where `waymark check` and `build` keep their cache (`--cache-dir`): in the run's scratch folder, not the user's. */
function cacheRoot(scratch: string): string {
  return path.join(scratch, 'waymark-cache');
}

interface Options {
  sizes: RepositorySize[];
  runs: number;
  seed: number;
  out: string;
  keep: boolean;
}

interface Run {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set in KiB, when measured. */
  maxRssKib?: number;
}

/** A measured value, or why there is none. */
type Sample = { ok: true; ms: number } | { ok: false; error: string };

interface SizeResult {
  size: RepositorySize;
  generated: GeneratedRepository;
  search: number[];
  cold: Sample[];
  warm: Sample[];
  build: Sample[] | undefined;
  /** Plain Astro + Pagefind over as many trivial pages as the Waymark build wrote. */
  plain: Sample[] | undefined;
  /** Pages the Waymark build wrote (its last successful run). */
  pages?: number;
  rssKib: number[];
  verdict: string;
}

// ---------------------------------------------------------------------------
// Arguments

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: 'small,medium,large' },
      runs: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'docs/benchmarks.md' },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const sizes = values.sizes!.split(',').map((size) => size.trim()).filter(Boolean);
  for (const size of sizes) if (!(size in SIZES)) throw new Error(`unknown size \`${size}\` (small, medium or large)`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('`--runs` takes a whole number of at least 1');
  return { sizes: sizes as RepositorySize[], runs, seed: Number(values.seed), out: path.resolve(projectRoot, values.out!), keep: values.keep! };
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

function available(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

function git(cwd: string, args: string[]): void {
  const result = spawnSync('git', ['-c', 'user.name=waymark-bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.toString().trim()}`);
}

/** The line that says what went wrong: an `…Error:` or `waymark:` line before any stack frame, else the first line. */
function firstLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /^(waymark:|\w*Error\b)/.test(line)) ?? lines[0] ?? 'no output';
}

// ---------------------------------------------------------------------------
// The measured commands

interface SearchTool {
  label: string;
  run: (dir: string) => Promise<Run>;
}

/**
 * ripgrep when installed, else grep with the same pattern; `.git` and
 * `node_modules` left out, so the search reads
 * the repository's files and nothing else.
 */
function chooseSearchTool(): SearchTool {
  if (available('rg', ['--version'])) {
    return {
      label: `rg -n -i "${TAG_PATTERN}" -g '!node_modules'`,
      run: (dir) => timed('rg', ['-n', '-i', TAG_PATTERN, '-g', '!node_modules', dir], dir),
    };
  }
  return {
    label: `grep -rniE "${TAG_PATTERN}" --exclude-dir=.git --exclude-dir=node_modules (ripgrep is not installed)`,
    run: (dir) => timed('grep', ['-rniE', TAG_PATTERN, '--exclude-dir=.git', '--exclude-dir=node_modules', dir], dir),
  };
}

/** Cold means no cache: delete the folder `waymark check` keeps it in. */
async function clearWaymarkCache(scratch: string): Promise<void> {
  await rm(cacheRoot(scratch), { recursive: true, force: true });
}

/** `waymark check`, with its peak RSS from GNU time when there is one, else from a hook inside the child. */
async function runCheck(dir: string, scratch: string): Promise<Run> {
  const rssFile = path.join(scratch, 'rss.txt');
  await rm(rssFile, { force: true });
  const args = [waymarkBin, 'check', '--repo', dir, '--format', 'json', '--cache-dir', cacheRoot(scratch)];
  const run = existsSync(GNU_TIME)
    ? await timed(GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args], dir)
    : await timed(process.execPath, ['--import', RSS_HOOK, ...args], dir, { ...process.env, WAYMARK_BENCH_RSS_FILE: rssFile });
  const rss = await readFile(rssFile, 'utf8').catch(() => '');
  const kib = Number.parseInt(rss.trim().split('\n').at(-1) ?? '', 10);
  return Number.isFinite(kib) ? { ...run, maxRssKib: kib } : run;
}

/** Writes the process's own peak RSS (KiB on Linux) to a file on exit; used only without GNU time. */
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.WAYMARK_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));",
)}`;

/**
 * 0 clean and 1 problems found are both successful runs, as long as the JSON
 * report came out: an uncaught exception in Node also exits with 1.
 */
function checkSample(run: Run): Sample {
  if ((run.code === 0 || run.code === 1) && readDiagnostics(run)) return { ok: true, ms: run.ms };
  return { ok: false, error: firstLine(run.stderr || run.stdout) };
}

function readDiagnostics(run: Run): { rule: string; file: string; line: number }[] | undefined {
  try {
    const parsed: unknown = JSON.parse(run.stdout);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function runBuild(dir: string, scratch: string): Promise<{ sample: Sample; pages?: number }> {
  const out = path.join(scratch, 'site');
  await rm(out, { recursive: true, force: true });
  const run = await timed(process.execPath, [waymarkBin, 'build', '--repo', dir, '--out', out, '--no-strict', '--quiet', '--cache-dir', cacheRoot(scratch)], projectRoot);
  // A failure is a result to report, not a reason to stop.
  if (run.code !== 0) return { sample: { ok: false, error: firstLine(run.stderr || run.stdout) } };
  return { sample: { ok: true, ms: run.ms }, pages: await countPages(out) };
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

/** Append one line to one document, so a warm run has a change to notice. */
async function touchDocument(dir: string, generated: GeneratedRepository, run: number): Promise<void> {
  const document = generated.brokenReferences[0]?.split(':')[0] ?? 'README.md';
  await appendFile(path.join(dir, document), `\nTouched by benchmark run ${run}.\n`);
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
// One size

async function prepareRepository(size: RepositorySize, seed: number): Promise<{ scratch: string; dir: string; generated: GeneratedRepository }> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), `waymark-bench-${size}-`));
  const dir = path.join(scratch, `synthetic-${size}`);
  await mkdir(dir);
  const generated = await generateRepository(dir, size, seed);
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `Synthetic ${size} repository (seed ${seed})`]);
  return { scratch, dir, generated };
}

async function benchSize(size: RepositorySize, options: Options, search: SearchTool): Promise<SizeResult> {
  log(`${size}: generating`);
  const { scratch, dir, generated } = await prepareRepository(size, options.seed);
  const builds = BUILD_SIZES.has(size);
  const result: SizeResult = {
    size,
    generated,
    search: [],
    cold: [],
    warm: [],
    build: builds ? [] : undefined,
    plain: builds ? [] : undefined,
    rssKib: [],
    verdict: '',
  };
  let plainRoot: string | undefined;
  try {
    for (let run = 1; run <= options.runs; run++) {
      log(`${size}: run ${run}/${options.runs}`);
      result.search.push((await search.run(dir)).ms);

      await clearWaymarkCache(scratch);
      const cold = await runCheck(dir, scratch);
      const coldSample = checkSample(cold);
      result.cold.push(coldSample);
      if (coldSample.ok && cold.maxRssKib !== undefined) result.rssKib.push(cold.maxRssKib);
      if (run === 1) result.verdict = verifyBroken(cold, generated);

      await touchDocument(dir, generated, run);
      result.warm.push(checkSample(await runCheck(dir, scratch)));

      if (result.build && result.plain) {
        const { sample, pages } = await runBuild(dir, scratch);
        result.build.push(sample);
        if (pages !== undefined) result.pages = pages;
        // The same number of pages as the Waymark build wrote; prepared once, after its first success.
        if (result.pages !== undefined) {
          plainRoot ??= await preparePlainAstro(scratch, result.pages);
          result.plain.push(await runPlainAstro(plainRoot));
        }
      }
    }
  } finally {
    if (options.keep) log(`${size}: kept ${dir}`);
    else await rm(scratch, { recursive: true, force: true });
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

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** Median and ratio to the search baseline, or `n/a` with the first error. */
function cell(samples: Sample[] | undefined, baseline: number): [string, string] {
  if (!samples) return ['not run', '–'];
  const times = samples.flatMap((sample) => (sample.ok ? [sample.ms] : []));
  const failure = samples.find((sample): sample is Extract<Sample, { ok: false }> => !sample.ok);
  if (times.length === 0) return [`n/a (${tableSafe(failure?.error ?? 'no runs')})`, '–'];
  const value = median(times);
  const partial = failure ? ` (${samples.length - times.length} of ${samples.length} failed: ${tableSafe(failure.error)})` : '';
  return [`${formatMs(value)}${partial}`, `${(value / baseline).toFixed(1)}×`];
}

/** Short enough for a table cell, and no `|` to split it. */
function tableSafe(text: string): string {
  const short = text.length > 90 ? `${text.slice(0, 89)}…` : text;
  return short.replaceAll('|', '\\|');
}

function machineInfo(): string[] {
  const cpus = os.cpus();
  return [
    `- CPUs: ${os.availableParallelism()} (${cpus[0]?.model.trim() ?? 'unknown model'})`,
    `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node.js: ${process.version}`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
  ];
}

function renderReport(results: SizeResult[], options: Options, search: SearchTool): string {
  const rows = results.map((result) => {
    const baseline = median(result.search);
    const [cold, coldRatio] = cell(result.cold, baseline);
    const [warm, warmRatio] = cell(result.warm, baseline);
    const rss = result.rssKib.length ? `${Math.round(median(result.rssKib) / 1024)} MiB` : 'n/a';
    const { files, processes, tasks } = result.generated;
    return `| ${result.size} | ${files.toLocaleString('en')} | ${processes.toLocaleString('en')} | ${tasks.toLocaleString('en')} | ${formatMs(baseline)} | ${cold} | ${coldRatio} | ${warm} | ${warmRatio} | ${rss} |`;
  });
  const builds = results.filter((result) => result.build).map((result) => {
    const plainTimes = okTimes(result.plain);
    const plain = plainTimes.length ? median(plainTimes) : undefined;
    const [build, buildRatio] = plain === undefined ? [cell(result.build, 1)[0], '–'] : cell(result.build, plain);
    const [plainCell] = cell(result.plain, 1);
    return `| ${result.size} | ${result.pages?.toLocaleString('en') ?? 'n/a'} | ${build} | ${plainCell} | ${buildRatio} |`;
  });
  return [
    '# Benchmarks',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --sizes ${options.sizes.join(',')} --runs ${options.runs}\`` +
      ` (seed ${options.seed}). Medians of ${options.runs} interleaved run${options.runs === 1 ? '' : 's'} per size; ratios are to the search baseline.`,
    '',
    ...machineInfo(),
    `- Search baseline: \`${search.label}\``,
    `- Peak RSS: of the cold \`waymark check\`, ${existsSync(GNU_TIME) ? 'from `/usr/bin/time -f %M`' : 'from `process.resourceUsage().maxRSS` inside the child'}`,
    '',
    'The repositories come from `scripts/generate-repo.ts` and are committed to git before measuring, so discovery uses `git ls-files`.',
    `Cold: \`waymark check\` with its cache folder (\`--cache-dir\`) deleted first. Warm: the next run, after appending a line to one document, with the cache the cold run wrote.`,
    '',
    '| Size | Files | Processes | Tasks | Search | Check (cold) | × | Check (warm, 1 doc changed) | × | Peak RSS (check) |',
    '| ---- | ----: | --------: | ----: | -----: | -----------: | -: | --------------------------: | -: | ---------------: |',
    ...rows,
    '',
    ...(builds.length
      ? [
          '## Site build',
          '',
          '`waymark build --no-strict --quiet` (scan with the warm cache, Astro, Pagefind) against plain Astro + Pagefind — the same',
          '`astro` and `pagefind` packages, in a minimal project with one dynamic route rendering as many trivial pages as the',
          'Waymark build wrote, indexed the way `waymark build` indexes. × is Waymark ÷ plain.',
          '',
          '| Size | Pages | `waymark build` | Plain Astro + Pagefind | × |',
          '| ---- | ----: | --------------: | ---------------------: | -: |',
          ...builds,
          '',
        ]
      : []),
    '## Targets',
    '',
    ...targets(results),
    '',
    '## Planted broken references',
    '',
    ...results.map((result) => `- ${result.size}: ${result.verdict}`),
    '',
  ].join('\n');
}

function okTimes(samples: Sample[] | undefined): number[] {
  return (samples ?? []).flatMap((sample) => (sample.ok ? [sample.ms] : []));
}

/** The issue's targets, met or not, on the largest size measured (the build target on medium). */
function targets(results: SizeResult[]): string[] {
  const lines: string[] = [];
  const verdict = (ok: boolean | undefined) => (ok === undefined ? '– not measured' : ok ? '✅ met' : '❌ not met');
  const largest = results.at(-1);
  if (largest) {
    const baseline = median(largest.search);
    const ratio = (samples: Sample[]) => {
      const times = okTimes(samples);
      return times.length ? median(times) / baseline : undefined;
    };
    const cold = ratio(largest.cold);
    const warm = ratio(largest.warm);
    const rss = largest.rssKib.length ? median(largest.rssKib) / 1024 : undefined;
    const shown = (value: number | undefined, unit: string) => (value === undefined ? 'n/a' : `${value.toFixed(1)}${unit}`);
    lines.push(`- ${largest.size}: \`check\` cold ≤ 5× search: ${shown(cold, '×')} ${verdict(cold === undefined ? undefined : cold <= 5)}`);
    lines.push(`- ${largest.size}: \`check\` warm ≤ 1× search: ${shown(warm, '×')} ${verdict(warm === undefined ? undefined : warm <= 1)}`);
    lines.push(`- ${largest.size}: peak RSS ≤ 1 GiB: ${shown(rss, ' MiB')} ${verdict(rss === undefined ? undefined : rss <= 1024)}`);
  }
  const medium = results.find((result) => result.size === 'medium');
  const build = okTimes(medium?.build);
  const plain = okTimes(medium?.plain);
  const ratio = build.length && plain.length ? median(build) / median(plain) : undefined;
  lines.push(`- medium: \`waymark build\` ≤ plain Astro + Pagefind: ${ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}×`} ${verdict(ratio === undefined ? undefined : ratio <= 1)}`);
  return lines;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const search = chooseSearchTool();
  const results: SizeResult[] = [];
  for (const size of options.sizes) results.push(await benchSize(size, options, search));
  const report = renderReport(results, options, search);
  await mkdir(path.dirname(options.out), { recursive: true });
  await writeFile(options.out, report);
  process.stdout.write(report);
  log(`wrote ${path.relative(projectRoot, options.out)}`);
  return results.every((result) => result.verdict.startsWith('✅')) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error)?.message ?? String(error)}\n`);
  return 2;
});
