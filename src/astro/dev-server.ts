/**
 * `waymark dev`: Astro's dev server over a repository, for writers. A change
 * anywhere in the repository refreshes every collection through Astro's
 * `refreshContent`, with the resident engine's check of the changed files
 * (`dev-engine.ts`, the engine behind `check --watch` and the editor), so
 * pages show an edit on the next request; git history is read again once
 * changes stop, and refreshes the site again when it changes the result.
 * Search works too: after start and after every refresh, the pages whose data
 * changed are fetched from the dev server and indexed by Pagefind in memory
 * (`dev-search-index.ts`).
 *
 * The server may listen on every interface (`--host 0.0.0.0`), so Vite's own
 * routes are closed down: `/@fs/` serves only files of Waymark's package and
 * of Astro, never the repository or anything else on disk, and a request
 * whose `Host` is not this machine's name or address is refused.
 */
import { lstatSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { AstroIntegration } from 'astro';
import { resolveConfig } from '../core/config/config.ts';
import { normalizeBase } from '../core/urls/urls.ts';
import { readRenames } from '../node/links-fs.ts';
import { loadUserConfig } from '../node/load-config.ts';
import { PACKAGE_ROOT } from '../node/package-root.ts';
import { repositoryPath } from '../node/resident.ts';
import { scanRepository } from '../node/scan.ts';
import { devEngine } from './dev-engine.ts';
import { createDevSearchIndex } from './dev-search-index.ts';
import { disableTelemetry, siteConfig } from './site-config.ts';

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
  /** `--git-dir`: the git directory to read, instead of looking for `.git`. */
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

/** Wait this long after a refresh before re-indexing: saves that follow soon are indexed together. */
const REINDEX_DELAY_MS = 300;
/** How long the watcher waits for a burst of saves (an editor writing several files) to end. */
const SETTLE_MS = 150;
/** Git history is read again once changes have stopped for this long (as `check --watch`). */
const HISTORY_IDLE_MS = 400;

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
  const engine = devEngine(root, options.gitDir);
  let info = (_line: string) => {};
  const search = createDevSearchIndex(base, (fetched, pages, fetchMs, indexMs) => info(`indexed for search: ${fetched} of ${pages} pages fetched in ${fetchMs} ms, indexed in ${indexMs} ms`));
  // Before the engine's first check, or when it cannot open: the loader's scan of the same files, warm from the cache.
  const rescan = async () => ({ ...(await scanRepository(root, { cache: true, gitDir: options.gitDir })), renames: await readRenames(root, { gitDir: options.gitDir }) });
  const savedMode = process.env.NODE_ENV;
  // Astro only fills NODE_ENV when it is unset; under `test` or `production` its dev server answers nothing.
  process.env.NODE_ENV = 'development';
  disableTelemetry();
  // Astro's and Vite's caches go to a folder of this server's own (0700), removed on stop. Vite's dependency
  // optimizer can still write there after the server has closed, so the folder is removed again at exit.
  const work = await mkdtemp(join(tmpdir(), 'waymark-dev-'));
  const removeWork = () => rmSync(work, { recursive: true, force: true });
  process.once('exit', removeWork);
  let stopWatching = () => {};
  const integration: AstroIntegration = {
    name: 'waymark-dev',
    hooks: {
      'astro:server:setup': ({ server, refreshContent, logger }) => {
        server.middlewares.use(search.middleware);
        info = (line) => logger.info(line);
        if (!refreshContent) return;
        let historyTimer: ReturnType<typeof setTimeout> | undefined;
        const watching = watchRepository(root, server.watcher, async (generation, changed) => {
          clearTimeout(historyTimer);
          search.interrupt();
          try {
            const started = performance.now();
            const scan = await engine.scan(changed);
            if (scan) logger.info(`checked ${changed.length} changed file${changed.length === 1 ? '' : 's'} in ${Math.round(performance.now() - started)} ms`);
            const paths = changed.flatMap((file) => repositoryPath(root, file) ?? []);
            await refreshContent({ context: { generation, changed: paths, ...(scan ? { scan } : {}) } });
            search.schedule(REINDEX_DELAY_MS, scan ?? rescan, paths);
          } catch (error) {
            // A half-saved config or document: keep the last good site, try again on the next change.
            logger.error(String(error));
          }
          // Once changes stop: the history the checks used may be a moment old.
          historyTimer = setTimeout(() => void engine.refreshHistory().then((changed) => changed && watching.again()), HISTORY_IDLE_MS);
        });
        stopWatching = () => {
          clearTimeout(historyTimer);
          watching.stop();
        };
      },
    },
  };

  const served = servedFolders();
  const { dev } = await import('astro');
  let server;
  try {
    server = await dev(
      siteConfig(
        { repo: root, gitDir: options.gitDir },
        {
          root: PACKAGE_ROOT,
          configFile: false,
          base,
          site: config.site.url,
          cacheDir: join(work, 'astro'),
          logLevel: options.quiet ? 'warn' : 'info',
          integrations: [integration],
          server: { port: options.port ?? 4321, host: options.host ?? '127.0.0.1', allowedHosts: [] },
          vite: {
            cacheDir: join(work, 'vite'),
            plugins: [fsGuard(served)],
            server: {
              fs: { strict: true, allow: served },
              // A symlinked folder in the repository (to /usr, say) is not walked: 100k watches stalled the server.
              watch: { ignored: [(path: string) => isSymlinkedFolder(root, path)] },
            },
          },
        },
      ),
    );
  } catch (error) {
    restoreEnv('NODE_ENV', savedMode);
    removeWork();
    process.off('exit', removeWork);
    throw error;
  }
  engine.start();
  const host = server.address.family === 'IPv6' ? `[${server.address.address}]` : server.address.address;
  const origin = `http://${host}:${server.address.port}`;
  search.start(origin, async () => engine.latest() ?? rescan());

  return {
    url: `${origin}${base}`,
    searchReady: () => search.ready(),
    searchError: () => search.error(),
    stop: async () => {
      stopWatching();
      search.stop();
      engine.stop();
      await server.stop();
      restoreEnv('NODE_ENV', savedMode);
      await rm(work, { recursive: true, force: true });
      process.off('exit', removeWork);
    },
  };
}

/**
 * The folders `/@fs/` may serve: the site's sources in Waymark's package, its
 * dependencies, and wherever Astro is installed (its client scripts; npm may
 * hoist it next to Waymark). Never the repository, nor the embedded example
 * or the tests: repository files reach pages only through the loader.
 */
function servedFolders(): string[] {
  const astro = dirname(createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('astro/package.json'));
  return [...new Set(['src', 'public', 'node_modules'].map((folder) => join(PACKAGE_ROOT, folder)).concat(astro))];
}

/**
 * Refuse (403) every `/@fs/` request outside `folders`. Vite does too for a
 * file, but answers 404 for a folder (`/@fs/<repo>/../`), which tells a
 * prober what exists; this answers the same for anything outside.
 */
function fsGuard(folders: readonly string[]) {
  const refuse = (res: ServerResponse) => {
    res.statusCode = 403;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('403 Forbidden: outside the folders waymark dev serves\n');
  };
  return {
    name: 'waymark-fs-guard',
    configureServer(server: { middlewares: { use(handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): unknown } }) {
      server.middlewares.use((req, res, next) => {
        const pathname = (req.url ?? '/').split(/[?#]/)[0];
        if (!/^\/+@fs\//.test(pathname)) return next();
        let target: string;
        try {
          target = resolve(decodeURIComponent(pathname.replace(/^\/+@fs/, '')));
        } catch {
          return refuse(res);
        }
        const inside = folders.some((folder) => {
          const rel = relative(folder, target);
          return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
        });
        return inside ? next() : refuse(res);
      });
    },
  };
}

/** The part of Vite's file watcher used here. */
interface RepositoryWatcher {
  add(paths: string | readonly string[]): unknown;
  on(event: 'all', listener: (event: string, path: string) => void): unknown;
  off(event: 'all', listener: (event: string, path: string) => void): unknown;
}

/**
 * Call `refresh` after every burst of changes in the repository, one at a
 * time (a change during a refresh queues one more), each with a new
 * generation number and the paths changed since the last. `again()` asks for
 * one more with no new path (the history changed); `stop()` ends it.
 */
function watchRepository(root: string, watcher: RepositoryWatcher, refresh: (generation: number, changed: string[]) => Promise<void>): { again(): void; stop(): void } {
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const changed = new Set<string>();
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    const paths = [...changed];
    changed.clear();
    running = refresh(++generation, paths);
    await running;
    running = undefined;
    if (again) {
      again = false;
      await run();
    }
  };
  const listener = (_event: string, path: string) => {
    if (!inRepository(root, path)) return;
    changed.add(resolve(path));
    clearTimeout(timer);
    timer = setTimeout(() => void run(), SETTLE_MS);
  };
  watcher.add(root);
  watcher.on('all', listener);
  return {
    again: () => void run(),
    stop: () => {
      clearTimeout(timer);
      watcher.off('all', listener);
    },
  };
}

/** A path in the repository that can change what the site shows (not git's own files, not dependencies). */
function inRepository(root: string, path: string): boolean {
  const rel = relative(root, resolve(path));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
  const first = rel.split(sep)[0];
  return first !== '.git' && first !== 'node_modules';
}

/**
 * A symlink to a folder, inside the repository. (Vite's `followSymlinks:
 * false` would do, but with it Vite 8's watcher reported no change in the
 * repository at all.)
 */
function isSymlinkedFolder(root: string, path: string): boolean {
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
  try {
    return lstatSync(path).isSymbolicLink() && statSync(path).isDirectory();
  } catch {
    return false; // gone already, or a dangling link: nothing to walk
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
