/**
 * `waymark dev`'s search: the pages are fetched from the dev server, indexed
 * by Pagefind in memory, and the bundle is served at `<base>pagefind/` —
 * nothing is written to the package or the repository.
 *
 * After a refresh only the pages whose data changed are fetched again: each
 * page has a digest of what the scan says about it (its process, task,
 * document or file, and everything the scan holds about that page's files:
 * problems, references from and to them, markers, history), and a page is
 * fetched when its digest changed or one of its files was saved; a listing
 * page (problems, the indexes) when a list it shows changed, the home page
 * when any did. Pagefind has no way to take a page out of an index, so
 * the index is made again from the kept HTML of every page, which costs
 * Pagefind's time, not a render of every page (on the medium generated
 * repository, 2,159 pages, every page fetched took 20–27 s of CPU per save:
 * docs/benchmarks.md, `h-dev`). A page can also show another's data (a task
 * page names its process): once saves have stopped for
 * {@link RECONCILE_IDLE_MS}, every page is fetched again, and a save stops that.
 * Each page is kept as the part Pagefind reads (`searchCopy`, as the build does).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { fileCommits } from '../core/history/file-commits.ts';
import { processStaleness } from '../core/history/staleness.ts';
import type { ScanResult } from '../core/schema.ts';
import { siteLinkTable, type LinkTable } from '../core/urls/link-table.ts';
import { createUrls } from '../core/urls/urls.ts';
import { newestDate } from '../site/model.ts';
import { searchCopy } from './search-index.ts';
import { SEARCH_INDEX } from './site-config.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

const FETCH_CONCURRENCY = 6;
/** Every page is fetched again once refreshes have stopped for this long (pages that show another page's data). */
const RECONCILE_IDLE_MS = 60_000;

/** A page as last fetched: what Pagefind reads of it (`searchCopy`; undefined when it skips the page), and the digest of its data then. */
interface KeptPage {
  html: string | undefined;
  digest: string | undefined;
}

export interface DevSearchIndex {
  middleware(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** Index every page of `scan` from the server at `origin`. */
  start(origin: string, scan: () => Promise<ScanResult>): void;
  /**
   * Index again after `delayMs`: the pages of the `changed` files (repository
   * paths) and those whose data `scan` changed (the scan the site was just
   * refreshed with; a function when the loader scanned).
   */
  schedule(delayMs: number, scan: ScanResult | (() => Promise<ScanResult>), changed: readonly string[]): void;
  /** A save is being checked: a whole-site fetch in progress gives up now, not once the site is refreshed. */
  interrupt(): void;
  ready(): Promise<void>;
  error(): unknown;
  stop(): void;
}

/** The in-memory Pagefind bundle of the dev server, brought up to date one build at a time. */
export function createDevSearchIndex(base: string, indexed?: (fetched: number, pages: number, fetchMs: number, indexMs: number) => void): DevSearchIndex {
  let files = new Map<string, Uint8Array>();
  /** Each page as last fetched (undefined: Pagefind skips it), and the digest of the data it was fetched for. */
  const pages = new Map<string, KeptPage>();
  let origin = '';
  let latest: ScanResult | (() => Promise<ScanResult>) | undefined;
  let full = true;
  /** Files saved since the last build took them: their pages are fetched whatever the digests say (a prose edit changes no fact). */
  let changed = new Set<string>();
  let current: Promise<void> = Promise.resolve();
  let pending = false;
  let lastError: unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every schedule: a whole-site fetch in progress gives up, the next build fetches what changed. */
  let epoch = 0;
  let stopped = false;
  const prefix = `${base}pagefind/`;

  const rebuild = (): Promise<void> => {
    if (pending) return current;
    pending = true;
    current = current.then(async () => {
      pending = false;
      if (stopped || !latest) return;
      const whole = full;
      const started = epoch;
      const saved = changed;
      changed = new Set();
      const begun = performance.now();
      try {
        const scan = typeof latest === 'function' ? await latest() : latest;
        const table = siteLinkTable(scan, base);
        const about = pageDigests(scan, table);
        const digests = new Map([...about].map(([page, { digest }]) => [page, digest]));
        const stale = (page: string) => {
          const known = pages.get(page);
          const now = about.get(page);
          return !known || !now || known.digest !== now.digest || now.paths.some((path) => saved.has(path));
        };
        const wanted = whole ? table.pages : table.pages.filter(stale);
        const abandon = () => whole && epoch !== started;
        await fetchPages(origin, wanted, digests, pages, abandon);
        const fetched = performance.now();
        const listed = new Set(table.pages);
        for (const page of pages.keys()) if (!listed.has(page)) pages.delete(page);
        // A save came meanwhile: Pagefind's part (seconds for every page) is left to the build that save schedules, which
        // indexes what was fetched here too; while saves keep coming, the index waits for a pause.
        const superseded = () => epoch !== started;
        const made = superseded() ? undefined : await indexHtml(base, pages, superseded);
        if (made) files = made;
        if (made) indexed?.(wanted.length, table.pages.length, Math.round(fetched - begun), Math.round(performance.now() - fetched));
        // Given up for a save: the pages not fetched keep their last HTML and digest, and the next idle spell tries again.
        if (whole) full = false;
        lastError = undefined;
      } catch (error) {
        lastError = error;
        for (const path of saved) changed.add(path);
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
    start(at, scan) {
      origin = at;
      latest ??= scan;
      void rebuild();
    },
    schedule(delayMs, scan, paths) {
      latest = scan;
      for (const path of paths) changed.add(path);
      epoch++;
      clearTimeout(timer);
      clearTimeout(idle);
      timer = setTimeout(() => {
        timer = undefined;
        void rebuild().then(() => {
          if (stopped || timer !== undefined) return;
          // Saves have stopped: fetch every page again once they stay stopped, for the pages that show others' data.
          clearTimeout(idle);
          idle = setTimeout(() => {
            full = true;
            void rebuild();
          }, RECONCILE_IDLE_MS);
          idle.unref?.();
        });
      }, delayMs);
    },
    interrupt() {
      epoch++;
      clearTimeout(idle);
    },
    ready: async () => {
      // A scheduled rebuild counts: wait for it to start, then for the chain to settle.
      while (timer !== undefined && !stopped) await new Promise((ok) => setTimeout(ok, 50));
      await current;
    },
    error: () => lastError,
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(idle);
    },
  };
}

/** Fetch `wanted` from the dev server into `pages` (a page that fails is dropped), unless `abandon` says to stop. */
async function fetchPages(
  origin: string,
  wanted: readonly string[],
  digests: ReadonlyMap<string, string>,
  pages: Map<string, KeptPage>,
  abandon: () => boolean,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < wanted.length && !abandon()) {
      const page = wanted[next++];
      const response = await fetch(`${origin}${page}`);
      if (!response.ok) {
        await response.body?.cancel();
        pages.delete(page);
        continue;
      }
      // Only what Pagefind reads of the page (`searchCopy`): the kept copies of every page stay small.
      pages.set(page, { html: searchCopy(await response.text()), digest: digests.get(page) });
    }
  };
  await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, worker));
}

/** Index the kept HTML of every page; returns the bundle's files by path, or undefined when `superseded` said to stop. */
async function indexHtml(base: string, pages: ReadonlyMap<string, KeptPage>, superseded: () => boolean): Promise<Map<string, Uint8Array> | undefined> {
  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex(SEARCH_INDEX);
  if (!index || errors.length) throw new Error(`Pagefind createIndex failed: ${errors.join('; ')}`);
  try {
    // All sent at once, in page order (Pagefind numbers pages as they arrive); one round trip each would wait on the service.
    const sent = [...pages]
      .filter((kept): kept is [string, KeptPage & { html: string }] => kept[1].html !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      // Result URLs are relative to the base, as in the static build (the search UI adds the base).
      .map(([page, { html }]) => index.addHTMLFile({ url: `/${page.slice(base.length)}`, content: html }));
    for (const added of await Promise.all(sent)) {
      if (added.errors.length) throw new Error(`Pagefind addHTMLFile failed: ${added.errors.join('; ')}`);
    }
    if (superseded()) return undefined;
    const { files, errors: fileErrors } = await index.getFiles();
    if (fileErrors.length) throw new Error(`Pagefind getFiles failed: ${fileErrors.join('; ')}`);
    return new Map(files.map((file) => [file.path.replace(/^\/+/, ''), file.content]));
  } finally {
    // The Pagefind service is a child process; ending it between runs keeps an idle dev server idle.
    await pagefind.close();
  }
}

/**
 * A digest per page of what the scan says about it: the page's own item and
 * everything about its files (problems, references from and to them, markers,
 * change rows, history), plus what every page shows (config, HEAD, the date
 * ages are measured from); a listing page's, of the lists it shows.
 */
function pageDigests(scan: ScanResult, table: LinkTable): Map<string, { digest: string; paths: string[] }> {
  const { graph, history } = scan;
  const about = new Map<string, unknown[]>();
  const add = (path: string | undefined, item: unknown) => {
    if (path === undefined) return;
    const list = about.get(path);
    if (list) list.push(item);
    else about.set(path, [item]);
  };
  for (const d of graph.diagnostics) add(d.file, d);
  for (const r of graph.references) {
    add(r.source.file, r);
    for (const target of r.targets) add(target, r);
  }
  for (const m of graph.markers) add(m.file, m);
  for (const c of graph.changes) add(c.file, c);
  for (const d of graph.documents) add(d.path, d);
  for (const f of graph.files) add(f.path, f);
  const staleness = new Map((history ? processStaleness(graph, history, scan.today) : []).map((s) => [s.id, s]));
  const processes = new Map(graph.processes.map((p) => [p.id, p]));
  const tasks = new Map(graph.tasks.map((t) => [t.key, t]));
  const environments = new Map(graph.environments.map((e) => [e.id, e]));
  const shared = JSON.stringify([scan.config, history?.head, history?.shallow, newestDate(graph), scan.baseline?.suppressed.length]);

  const digests = new Map<string, { digest: string; paths: string[] }>();
  for (const entry of table.entries) {
    if (entry.kind === 'sub-process') continue;
    let own: unknown;
    let paths: string[];
    if (entry.kind === 'process') {
      const process = processes.get(entry.id);
      own = [process, staleness.get(entry.id)];
      paths = process ? [process.file] : [];
    } else if (entry.kind === 'task') {
      const task = tasks.get(entry.id);
      own = task;
      paths = task ? [task.plan?.file, ...task.summaries, ...task.statusUpdates.map((u) => u.file)].filter((p): p is string => p !== undefined) : [];
    } else if (entry.kind === 'environment') {
      own = environments.get(entry.id);
      paths = [];
    } else {
      own = history ? fileCommits(history, entry.id) : undefined;
      paths = [entry.id];
    }
    const hash = createHash('sha1').update(shared).update(JSON.stringify(own) ?? '');
    for (const path of new Set(paths)) hash.update(JSON.stringify(about.get(path) ?? []));
    // A page a process and its document's entry share: the digest and the paths cover both.
    const before = digests.get(entry.url);
    digests.set(
      entry.url,
      before ? { digest: createHash('sha1').update(before.digest).update(hash.digest('hex')).digest('hex'), paths: [...before.paths, ...paths] } : { digest: hash.digest('hex'), paths },
    );
  }
  // Environment pages list markers and processes from anywhere: fetched every time.
  for (const entry of table.entries) if (entry.kind === 'environment') digests.delete(entry.url);
  // The listing pages, each by the lists it shows; the home page sums them up. A save that changes no list renders none of
  // them (on medium the files index alone lists 1,452 files).
  const urls = createUrls(table.base);
  const lists: [string, unknown][] = [
    [urls.processes(), [graph.processes, graph.diagnostics, [...staleness.values()]]],
    [urls.tasks(), graph.tasks],
    [urls.changes(), graph.changes],
    // What the two indexes show of each file and document (`src/pages/files/index.astro`, `docs/index.astro`).
    [urls.files(), [graph.files.map((f) => [f.path, f.language, f.lineCount, f.markers.length, f.citedBy.length]), graph.paths.length]],
    [urls.docs(), [graph.documents.map((d) => [d.path, d.title, d.kind]), graph.processes.map((p) => p.file)]],
    [urls.environments(), graph.environments],
    [urls.problems(), [graph.diagnostics, scan.baseline]],
  ];
  const home = createHash('sha1').update(shared);
  for (const [url, shown] of lists) {
    const digest = createHash('sha1').update(shared).update(JSON.stringify(shown) ?? '').digest('hex');
    digests.set(url, { digest, paths: [] });
    home.update(digest);
  }
  digests.set(urls.home(), { digest: home.digest('hex'), paths: [] });
  return digests;
}
