/**
 * `waymark build`: scan the repository, fail on error-level problems (unless
 * not strict), build the Astro site and its Pagefind index.
 *
 * Astro runs with the Waymark package folder as its root, so this works the
 * same from a checkout and from `node_modules/waymark` inside a user's
 * repository; the repository itself reaches the site through the content
 * loader (`WAYMARK_REPO`, plus the scan handed over in-process).
 */
import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../core/schema.ts';
import type { ScanResult } from '../astro/entries.ts';
import { provideScan } from '../astro/scan-cache.ts';
import { normalizeBase } from '../site/urls.ts';

export interface BuildSiteOptions {
  /** Repository to scan. */
  repo: string;
  /** Output folder for the static site. */
  out: string;
  /** Sub-path the site is served under; defaults to config `site.base`. */
  base?: string;
  /** Fail on error-level problems; defaults to config `strict` (true). */
  strict?: boolean;
  /** Only print warnings and errors. */
  quiet?: boolean;
  /** Run a `waymark.config.mjs` found in the repository. */
  trustConfig?: boolean;
}

export interface BuildSiteResult {
  /** HTML pages written (0 when the build stopped on errors). */
  pages: number;
  /** Every problem found, severity-resolved and sorted. */
  diagnostics: Diagnostic[];
  /** True when strict mode stopped the build on error-level problems; nothing was written. */
  failed: boolean;
  /** The repository's real root path. */
  root: string;
}

/** The Waymark package folder (Astro's root). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Scan `repo` and build its site into `out`. With strict mode on (the
 * default) and error-level problems found, nothing is built and `failed` is
 * true: the caller prints the errors as `check` does.
 *
 * @example
 * const { pages, failed } = await buildSite({ repo: 'content/example-infra', out: 'dist' });
 */
export async function buildSite(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const { scanRepository } = await import('./scan.ts');
  const scan = await scanRepository(resolve(options.repo), { trustConfig: options.trustConfig });
  const diagnostics = scan.graph.diagnostics;
  const strict = options.strict ?? scan.config.strict;
  if (strict && diagnostics.some((d) => d.severity === 'error')) {
    return { pages: 0, diagnostics, failed: true, root: scan.root };
  }
  const pages = await renderSite(scan, options);
  return { pages, diagnostics, failed: false, root: scan.root };
}

/**
 * Build the site of an already scanned repository: Astro, then Pagefind.
 * Returns the number of HTML pages written.
 */
export async function renderSite(scan: ScanResult, options: Omit<BuildSiteOptions, 'repo' | 'strict'>): Promise<number> {
  const out = resolve(options.out);
  const base = normalizeBase(options.base ?? scan.config.site.base);
  const root = resolve(scan.root);
  // Astro's caches are per output folder, outside both the package and the repository.
  const cacheDir = join(tmpdir(), `waymark-astro-${createHash('sha256').update(`${root}\0${out}`).digest('hex').slice(0, 16)}`);
  const saved = { repo: process.env.WAYMARK_REPO, telemetry: process.env.ASTRO_TELEMETRY_DISABLED };
  process.env.WAYMARK_REPO = root;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  provideScan(scan);
  try {
    await rm(out, { recursive: true, force: true });
    const { build } = await import('astro');
    await build({
      root: PACKAGE_ROOT,
      outDir: out,
      cacheDir,
      base,
      site: scan.config.site.url,
      logLevel: options.quiet ? 'warn' : 'info',
      mode: 'production',
    });
  } finally {
    provideScan(undefined);
    restoreEnv('WAYMARK_REPO', saved.repo);
    restoreEnv('ASTRO_TELEMETRY_DISABLED', saved.telemetry);
  }
  await indexWithPagefind(out);
  return countPages(out);
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** Run Pagefind over the built site; any error it reports fails the build. */
export async function indexWithPagefind(out: string): Promise<void> {
  const pagefind = await import('pagefind');
  const fail = (step: string, errors: string[]) =>
    new Error(`Pagefind ${step} failed: ${errors.join('; ')}`, { cause: errors });
  try {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
    if (!index || errors.length) throw fail('createIndex', errors);
    const added = await index.addDirectory({ path: out });
    if (added.errors.length) throw fail('addDirectory', added.errors);
    if (added.page_count === 0) throw fail('addDirectory', ['no pages were indexed']);
    const written = await index.writeFiles({ outputPath: join(out, 'pagefind') });
    if (written.errors.length) throw fail('writeFiles', written.errors);
  } finally {
    await pagefind.close();
  }
}

async function countPages(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) count++;
  }
  return count;
}
