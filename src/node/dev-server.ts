/**
 * `waymark dev`: Astro's dev server over a repository, for writers. The
 * content loader watches the repository and re-syncs on every change (see
 * `watchRepository` in `src/astro/scan-cache.ts`), so pages show an edit on
 * the next request. Search works too: after start and after every rescan,
 * the pages are fetched from the dev server, indexed by Pagefind in memory,
 * and the bundle is served at `<base>pagefind/` — nothing is written to the
 * package or the repository.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { onSiteRefreshed } from '../astro/scan-cache.ts';
import { resolveConfig } from '../core/config/config.ts';
import { siteLinkTable } from '../core/urls/link-table.ts';
import { normalizeBase } from '../core/urls/urls.ts';
import { PACKAGE_ROOT } from './build-site.ts';
import { readRenames } from './links-fs.ts';
import { loadUserConfig } from './load-config.ts';

export interface DevServerOptions {
  /** Repository to serve. */
  repo: string;
  /** Port to listen on (default 4321; the next free one if taken). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Sub-path to serve under; defaults to config `site.base`. */
  base?: string;
  /** Only warnings and errors from Astro. */
  quiet?: boolean;
  /** `--git-dir`: the git directory to read, instead of looking for `.git`; handed to the loader as `WAYMARK_GIT_DIR`. */
  gitDir?: string;
}

export interface WaymarkDevServer {
  /** The site's home page, e.g. `http://127.0.0.1:4321/docs/`. */
  url: string;
  /** Resolves when the search index of the current content is built (or failed; see `searchError`). */
  searchReady(): Promise<void>;
  /** Why the last indexing failed, if it did. */
  searchError(): unknown;
  stop(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** Wait this long after a rescan before re-indexing: Astro saves and reloads its data store in between. */
const REINDEX_DELAY_MS = 1200;
const FETCH_CONCURRENCY = 6;

/**
 * Start the dev server. The returned server keeps running until `stop()`.
 *
 * @example
 * const server = await startDevServer({ repo: '../my-infra', port: 4321 });
 * console.error(`serving ${server.url}`);
 */
export async function startDevServer(options: DevServerOptions): Promise<WaymarkDevServer> {
  const root = resolve(options.repo);
  const config = resolveConfig(await loadUserConfig(root), root.split(/[\\/]/).pop() ?? 'repository');
  const base = normalizeBase(options.base ?? config.site.base);
  const search = createSearchIndex(root, base);
  const saved = { repo: process.env.WAYMARK_REPO, gitDir: process.env.WAYMARK_GIT_DIR, telemetry: process.env.ASTRO_TELEMETRY_DISABLED, mode: process.env.NODE_ENV };
  process.env.WAYMARK_REPO = root;
  restoreEnv('WAYMARK_GIT_DIR', options.gitDir);
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  // Astro only fills NODE_ENV when it is unset; under `test` or `production` its dev server answers nothing.
  process.env.NODE_ENV = 'development';

  const { dev } = await import('astro');
  const server = await dev({
    root: PACKAGE_ROOT,
    base,
    site: config.site.url,
    cacheDir: join(tmpdir(), `waymark-dev-${createHash('sha256').update(root).digest('hex').slice(0, 16)}`),
    logLevel: options.quiet ? 'warn' : 'info',
    server: { port: options.port ?? 4321, host: options.host ?? '127.0.0.1' },
    vite: { plugins: [{ name: 'waymark-dev-search', configureServer: (vite) => void vite.middlewares.use(search.middleware) }] },
  });
  const host = server.address.family === 'IPv6' ? `[${server.address.address}]` : server.address.address;
  const origin = `http://${host}:${server.address.port}`;
  search.start(origin);
  const stopListening = onSiteRefreshed((changed) => {
    if (resolve(changed) === root) search.schedule(REINDEX_DELAY_MS);
  });

  return {
    url: `${origin}${base}`,
    searchReady: () => search.ready(),
    searchError: () => search.error(),
    stop: async () => {
      stopListening();
      search.stop();
      await server.stop();
      restoreEnv('WAYMARK_REPO', saved.repo);
      restoreEnv('WAYMARK_GIT_DIR', saved.gitDir);
      restoreEnv('ASTRO_TELEMETRY_DISABLED', saved.telemetry);
      restoreEnv('NODE_ENV', saved.mode);
    },
  };
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

interface SearchIndex {
  middleware(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  start(origin: string): void;
  schedule(delayMs: number): void;
  ready(): Promise<void>;
  error(): unknown;
  stop(): void;
}

/** The in-memory Pagefind bundle of the dev server, rebuilt on demand, one build at a time. */
function createSearchIndex(root: string, base: string): SearchIndex {
  let files = new Map<string, Uint8Array>();
  let origin = '';
  let current: Promise<void> = Promise.resolve();
  let pending = false;
  let lastError: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const prefix = `${base}pagefind/`;

  const rebuild = (): Promise<void> => {
    if (pending) return current;
    pending = true;
    current = current.then(async () => {
      pending = false;
      if (stopped) return;
      try {
        files = await indexPages(origin, root, base);
        lastError = undefined;
      } catch (error) {
        lastError = error;
      }
    });
    return current;
  };

  return {
    middleware(req, res, next) {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (!path.startsWith(prefix)) return next();
      const body = files.get(path.slice(prefix.length));
      if (!body) return next();
      res.setHeader('content-type', TYPES[extname(path)] ?? 'application/octet-stream');
      res.setHeader('cache-control', 'no-store');
      res.end(body);
    },
    start(at) {
      origin = at;
      void rebuild();
    },
    schedule(delayMs) {
      clearTimeout(timer);
      timer = setTimeout(() => void rebuild(), delayMs);
    },
    ready: async () => {
      // A scheduled rebuild counts: wait for it to start, then for the chain to settle.
      while (timer !== undefined && !stopped) {
        const waiting = timer;
        await new Promise((ok) => setTimeout(ok, 50));
        if (waiting === timer && !pending) break;
      }
      await current;
    },
    error: () => lastError,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Fetch every page of the site from the dev server and index it; returns the bundle's files by path. */
async function indexPages(origin: string, root: string, base: string): Promise<Map<string, Uint8Array>> {
  const { scanRepository } = await import('./scan.ts');
  // Warm from the loader's scan of the same files: only what changed since is read again.
  const [scan, renames] = await Promise.all([scanRepository(root, { cache: true }), readRenames(root)]);
  const pages = siteLinkTable({ ...scan, renames }, base).pages;
  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
  if (!index || errors.length) throw new Error(`Pagefind createIndex failed: ${errors.join('; ')}`);
  try {
    let next = 0;
    const worker = async () => {
      while (next < pages.length) {
        const page = pages[next++];
        const response = await fetch(`${origin}${page}`);
        if (!response.ok) {
          await response.body?.cancel();
          continue;
        }
        // Result URLs are relative to the base, as in the static build (the search UI adds the base).
        const added = await index.addHTMLFile({ url: `/${page.slice(base.length)}`, content: await response.text() });
        if (added.errors.length) throw new Error(`Pagefind addHTMLFile failed: ${added.errors.join('; ')}`);
      }
    };
    await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, worker));
    const { files, errors: fileErrors } = await index.getFiles();
    if (fileErrors.length) throw new Error(`Pagefind getFiles failed: ${fileErrors.join('; ')}`);
    return new Map(files.map((file) => [file.path.replace(/^\/+/, ''), file.content]));
  } finally {
    // The Pagefind service is a child process; ending it between runs keeps an idle dev server idle.
    await pagefind.close();
  }
}
