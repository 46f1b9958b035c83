/**
 * `waymark build`: scan the repository, fail on error-level problems (unless
 * not strict), build the Astro site and its Pagefind index.
 *
 * Astro runs with the Waymark package folder as its root, so this works the
 * same from a checkout and from `node_modules/waymark` inside a user's
 * repository. The repository reaches the site as the collections' entries,
 * made here from the scan and written to a file in a private build folder;
 * the pages are told where through the inline config (`siteConfig`) and read
 * it past Astro's content store (`entries-file.ts`).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lostUrls, siteLinkTable, type LinkTable, type LostUrl } from '../core/urls/link-table.ts';
import type { Diagnostic, ScanResult } from '../core/schema.ts';
import type { ScanOptions } from '../node/scan.ts';
import { normalizeBase } from '../core/urls/urls.ts';
import { LinkContractError, loadPreviousManifest, readRenames, writeLinkFiles } from '../node/links-fs.ts';
import { PACKAGE_ROOT } from '../node/package-root.ts';
import { cacheSettings } from '../node/cache-folder.ts';
import { resolvesInside } from '../node/read-files.ts';
import { scanRepository } from '../node/scan.ts';
import { writeEntriesFile } from './entries-file.ts';
import { buildSiteEntries } from './scan-cache.ts';
import { closeSearch, indexWithPagefind, streamedSearchIndex, type StreamedSearchIndex } from './search-index.ts';
import { disableTelemetry, siteConfig } from './site-config.ts';

export { indexWithPagefind };

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
  /** `--git-dir`: the git directory to read, instead of looking for `.git`. */
  gitDir?: string;
  /**
   * The previous build's `links.json` (absolute path or URL); defaults to
   * config `previousManifest` (relative to the repository).
   */
  previousManifest?: string;
  /** Use and update the fact cache, as `check` does (see `ScanOptions.cache`); off unless asked. */
  cache?: ScanOptions['cache'];
  /** Told how long each phase took (`--timing`): the scan's, then `render` (Astro) and `index` (Pagefind). */
  timing?: ScanOptions['timing'];
}

export interface BuildSiteResult {
  /** HTML pages written (0 when the build stopped on errors). */
  pages: number;
  /** Every problem found, severity-resolved and sorted. */
  diagnostics: Diagnostic[];
  /** True when the build stopped (error-level problems in strict mode, lost URLs, bad redirects); nothing was written. */
  failed: boolean;
  /** The repository's real root path. */
  root: string;
  /** URLs the previous build published that this one would not answer; the build stopped on them. */
  lostUrls: LostUrl[];
  /** Config `redirects` that cannot be honoured; the build stopped on them. */
  linkProblems: string[];
  /** Things worth saying that are not failures, e.g. "no previous manifest yet". */
  notes: string[];
}

/** The Waymark package folder (Astro's root). */
export { PACKAGE_ROOT };

/**
 * Scan `repo` and build its site into `out`. With strict mode on (the
 * default) and error-level problems found, nothing is built and `failed` is
 * true: the caller prints the errors as `check` does. The same goes for the
 * URL contract: with a previous manifest, a URL it lists that this build
 * would not answer stops the build (`lostUrls`), as do config redirects that
 * cannot be honoured (`linkProblems`). A previous manifest that cannot be
 * read throws a `LinkContractError`.
 *
 * @example
 * const { pages, failed } = await buildSite({ repo: 'content/example-infra', out: 'dist' });
 */
export async function buildSite(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const scanned = await scanRepository(resolve(options.repo), { trustConfig: options.trustConfig, cache: options.cache, gitDir: options.gitDir, timing: options.timing });
  const diagnostics = scanned.graph.diagnostics;
  const result = { pages: 0, diagnostics, failed: true, root: scanned.root, lostUrls: [], linkProblems: [], notes: [] };
  const strict = options.strict ?? scanned.config.strict;
  if (strict && diagnostics.some((d) => d.severity === 'error')) return result;

  // The URL contract is checked before Astro runs: a build that would break published links writes nothing.
  const scan: ScanResult = { ...scanned, renames: await readRenames(scanned.root, { gitDir: options.gitDir }) };
  const links = siteLinkTable(scan, normalizeBase(options.base ?? scan.config.site.base));
  if (links.problems.length) return { ...result, linkProblems: links.problems };
  const contract = await checkUrlContract(scan, links, options.previousManifest);
  if (contract.lost.length) return { ...result, lostUrls: contract.lost, notes: contract.notes };

  const pages = await renderSite(scan, options);
  return { ...result, pages, failed: false, notes: contract.notes };
}

/** Compare the table with the previous build's manifest, if one is configured. */
async function checkUrlContract(
  scan: ScanResult,
  links: LinkTable,
  override: string | undefined,
): Promise<{ lost: LostUrl[]; notes: string[] }> {
  const configured = scan.config.previousManifest;
  const source = override ?? (configured && !/^https?:\/\//i.test(configured) ? resolve(scan.root, configured) : configured);
  if (!source) return { lost: [], notes: [] };
  // A path from the repository's own config is read like any repository file: never outside it.
  const fromRepository = override === undefined && configured !== undefined && !/^https?:\/\//i.test(configured);
  if (fromRepository && !(await resolvesInside(scan.root, source))) {
    throw new LinkContractError(`\`previousManifest\` \`${configured}\` leads out of the repository, which Waymark does not read`);
  }
  const { manifest, note } = await loadPreviousManifest(source);
  return { lost: manifest ? lostUrls(manifest, links) : [], notes: note ? [note] : [] };
}

/**
 * Build the site of an already scanned repository: Astro, then Pagefind.
 * Returns the number of HTML pages written.
 */
export async function renderSite(scan: ScanResult, options: Omit<BuildSiteOptions, 'repo' | 'strict'>): Promise<number> {
  const out = resolve(options.out);
  const base = normalizeBase(options.base ?? scan.config.site.base);
  // Astro's caches and the scan live in a folder only this build knows and only this user can open (0700).
  const work = await mkdtemp(join(tmpdir(), 'waymark-build-'));
  let search: StreamedSearchIndex | undefined;
  try {
    // The entries are made here and handed to the pages as a file, past Astro's content store (see `entries-file.ts`).
    const entriesFile = join(work, 'entries.json');
    await rm(out, { recursive: true, force: true });
    const { build } = await import('astro');
    disableTelemetry();
    // The pages' data is made while Astro starts and bundles (native threads, mostly): the first page waits for it.
    const entries = buildSiteEntries(scan, base, cacheDirOf(options.cache)).then((made) => writeEntriesFile(entriesFile, made));
    entries.catch(() => {}); // awaited below; a build that fails first must not leave it unhandled
    // Pagefind indexes each page as Astro renders it, in its own process (`search-index.ts`).
    search = await streamedSearchIndex(base, () => entries);
    const config = siteConfig(
      { repo: resolve(scan.root), entriesFile },
      { root: PACKAGE_ROOT, configFile: false, outDir: out, cacheDir: join(work, 'astro'), base, site: scan.config.site.url },
    );
    config.integrations = [...(config.integrations ?? []), search.integration];
    // Astro's info log lists every route with absolute paths, and its timings break onto lines of their own: Waymark prints its own summary.
    const render = async () => {
      await inPrivateDirectory(() => build({ ...config, logLevel: options.quiet ? 'error' : 'warn', mode: 'production' }));
      await entries;
    };
    await (options.timing ? options.timing.wait('render', render) : render());
  } catch (error) {
    if (search) await closeSearch();
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const index = () => search!.finish(out);
  await (options.timing ? options.timing.wait('index', index) : index());
  await writeLinkFiles(out, siteLinkTable(scan, base));
  return countPages(out);
}

/**
 * Run an Astro build of `out` from a working directory of its own inside
 * Waymark's package. Astro writes its prerender chunks under the working
 * directory (or under `out` when it is inside it) and deletes them afterwards:
 * parallel builds from one folder deleted each other's chunks mid-build, and
 * chunks under a repository or output folder with no node_modules above it
 * could not import Astro's own packages. From inside the package they resolve
 * like the package does.
 */
async function inPrivateDirectory<T>(work: () => Promise<T>): Promise<T> {
  const previous = process.cwd();
  const own = join(PACKAGE_ROOT, '.astro', 'builds', `${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(own, { recursive: true });
    process.chdir(own);
  } catch {
    return work(); // a read-only install, or a worker thread (which cannot change directory): build from here
  }
  try {
    return await work();
  } finally {
    process.chdir(previous);
    await rm(own, { recursive: true, force: true });
  }
}

async function countPages(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) count++;
  }
  return count;
}

/** The cache root the loader's colour cache uses: as the scan's (`ScanOptions.cache`), by path, for it re-derives the key from the environment. */
function cacheDirOf(cache: BuildSiteOptions['cache']): string | false {
  if (!cache) return false;
  // Resolved here: Astro builds from a folder of its own, where a relative `WAYMARK_CACHE_DIR` would mean another place.
  return resolve((cache === true ? cacheSettings(process.env, process.cwd()) : cache).root);
}
