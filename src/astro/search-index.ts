/**
 * The build's Pagefind index, fed each page as Astro renders it. Pagefind
 * indexes in its own process: run after Astro, it was the longest phase of a
 * build (jinglero, 2,945 pages: 7–16 s wall with Node idle); fed during the
 * render, it works beside it on the other core. Pages reach it through
 * Astro's prerenderer hook (`setPrerenderer`, a wrapper around Astro's own
 * prerenderer), in the order Astro starts them, so the index is the same from
 * one build to the next. Each page goes as the part Pagefind reads
 * (`searchCopy`): 40 MB of HTML became 16 MB on jinglero, Pagefind's CPU
 * 16.5 s → 10.6 s, and the index it writes is byte-identical. At the end the
 * pages seen are checked against the HTML files Astro wrote: a file never seen
 * is added from disk, and a page seen that was not written throws the index
 * away for one made from the folder.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { AstroIntegration, AstroPrerenderer } from 'astro';
import type { NewFileResponse, PagefindIndex } from 'pagefind';
import { SEARCH_INDEX } from './site-config.ts';

/** A search index that Astro's render feeds (`integration`) and `finish` writes. */
export interface StreamedSearchIndex {
  /** Add to the build's integrations: hands every rendered page to Pagefind. */
  integration: AstroIntegration;
  /** Wait for Pagefind, reconcile with the files in `out`, and write `out/pagefind`. */
  finish(out: string): Promise<void>;
}

type PagefindModule = typeof import('pagefind');

const fail = (step: string, errors: string[]) => new Error(`Pagefind ${step} failed: ${errors.join('; ')}`, { cause: errors });

/** Run Pagefind over the built site; any error it reports fails the build. */
export async function indexWithPagefind(out: string): Promise<void> {
  const pagefind = await import('pagefind');
  try {
    const index = await createIndex(pagefind);
    const added = await index.addDirectory({ path: out });
    if (added.errors.length) throw fail('addDirectory', added.errors);
    if (added.page_count === 0) throw fail('addDirectory', ['no pages were indexed']);
    await writeIndex(index, out);
  } finally {
    await pagefind.close();
  }
}

/**
 * Start Pagefind (its process starts now, beside Astro's bundling) for a site
 * served under `base`. Astro renders no page before `before()` has settled
 * (the build makes the pages' data meanwhile, beside Astro's bundling). The
 * caller must `finish` it, or close Pagefind (`closeSearch`) when the build fails.
 */
export async function streamedSearchIndex(base: string, before: () => Promise<unknown> = async () => {}): Promise<StreamedSearchIndex> {
  const pagefind = await import('pagefind');
  const index = await createIndex(pagefind);
  const sent: { path: string; added: Promise<NewFileResponse> }[] = [];
  // Pages go to Pagefind in the order Astro started rendering them (its queue starts them in path order),
  // whatever order they finish in: Pagefind numbers pages as they arrive, and the index must not vary.
  const done = new Map<number, { path: string; content: string | undefined } | undefined>();
  // Pages Pagefind would skip (no `data-pagefind-body`), by path: seen, not sent.
  const skipped = new Set<string>();
  let started = 0;
  let next = 0;
  const flush = () => {
    for (; done.has(next); next++) {
      const page = done.get(next);
      done.delete(next);
      if (page?.content === undefined) {
        if (page) skipped.add(page.path);
        continue;
      }
      sent.push({ path: page.path, added: index.addHTMLFile({ sourcePath: page.path, content: page.content }) });
    }
  };
  const wrap = (inner: AstroPrerenderer): AstroPrerenderer => ({
    ...inner,
    name: `waymark-search(${inner.name})`,
    setup: async () => {
      await before();
      await inner.setup?.();
    },
    render: async (request, options) => {
      const order = started++;
      let page: { path: string; content: string | undefined } | undefined;
      try {
        const result = await inner.render(request, options);
        const response = result instanceof Response ? result : result.response;
        if (response.status !== 200 || !response.body || !/^text\/html/i.test(response.headers.get('content-type') ?? 'text/html')) return result;
        // Astro writes the body's bytes: read them once, hand Astro the same bytes, Pagefind their text.
        const bytes = Buffer.from(await response.arrayBuffer());
        page = { path: outputPath(request.url, base), content: searchCopy(bytes.toString('utf8')) };
        const copy = new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
        return result instanceof Response ? copy : { ...result, response: copy };
      } finally {
        done.set(order, page);
        flush();
      }
    },
  });
  return {
    integration: {
      name: 'waymark-search-index',
      hooks: { 'astro:build:start': ({ setPrerenderer }) => setPrerenderer(wrap) },
    },
    async finish(out) {
      try {
        flush();
        const results = await Promise.all(sent.map((page) => page.added));
        const errors = results.flatMap((result) => result.errors);
        if (errors.length) throw fail('addHTMLFile', errors);
        const written = await htmlFiles(out);
        const seen = new Set([...sent.map((page) => page.path), ...skipped]);
        // An output path guessed wrong, or a site with no page body marked (Pagefind then reads every
        // page's whole body, which `searchCopy` does not keep): index what is on disk instead.
        if ([...seen].some((path) => !written.has(path)) || seen.size !== sent.length + skipped.size || sent.length === 0) {
          await pagefind.close();
          return await indexWithPagefind(out);
        }
        // Pages Astro wrote without rendering them here (none today), whole, in path order.
        for (const path of [...written].filter((path) => !seen.has(path)).sort()) {
          const added = await index.addHTMLFile({ sourcePath: path, content: await readFile(join(out, path), 'utf8') });
          if (added.errors.length) throw fail('addHTMLFile', added.errors);
        }
        await writeIndex(index, out);
      } finally {
        await pagefind.close();
      }
    },
  };
}

/** Stop Pagefind's process (a build that failed before `finish`). */
export async function closeSearch(): Promise<void> {
  const pagefind = await import('pagefind');
  await pagefind.close();
}

async function createIndex(pagefind: PagefindModule): Promise<PagefindIndex> {
  const { index, errors } = await pagefind.createIndex(SEARCH_INDEX);
  if (!index || errors.length) throw fail('createIndex', errors);
  return index;
}

async function writeIndex(index: PagefindIndex, out: string): Promise<void> {
  const written = await index.writeFiles({ outputPath: join(out, 'pagefind') });
  if (written.errors.length) throw fail('writeFiles', written.errors);
}

/**
 * What Pagefind reads of a Waymark page, the index it makes unchanged:
 * undefined for a page it skips (no `data-pagefind-body` element, when other
 * pages have one), else the head (language, title) and the `<main>` element
 * (the page body), the source listing without its colour spans (inline, text
 * kept as it was) and line numbers (`SEARCH_INDEX` excludes them). Most of a
 * page's bytes are the header, the navigation and the listing's markup.
 * `test/site-search-index.test.ts` compares the index with and without.
 */
export function searchCopy(html: string): string | undefined {
  if (!html.includes('data-pagefind-body')) return undefined;
  const body = html.indexOf('<body>');
  const main = html.indexOf('<main', body);
  const end = html.lastIndexOf('</main>');
  if (body < 0 || main < 0 || end < main) return html;
  return `${html.slice(0, body + '<body>'.length)}${leanListing(html.slice(main, end + '</main>'.length))}</body></html>`;
}

const LISTING = /(<pre class="source[^"]*"[^>]*><code>)([\s\S]*?)(<\/code><\/pre>)/g;
const SPAN_TAG = /<span\b([^>]*)>|<\/span>/g;
const CLASS_ONLY = /^ class="[\w -]*"$/;
const LINE_NUMBER = /<a class="ln" [^>]*>\d+<\/a>/g;

/** A source listing without its class-only spans (the colours, each line's text wrapper) and line-number links. */
function leanListing(html: string): string {
  return html.replace(LISTING, (_, open: string, code: string, close: string) => {
    // Which closing tag ends a span that goes: the stack of open spans says.
    const dropped: boolean[] = [];
    const lean = code.replace(SPAN_TAG, (tag, attributes: string | undefined) => {
      if (attributes === undefined) return dropped.pop() ? '' : tag;
      const drop = CLASS_ONLY.test(attributes);
      dropped.push(drop);
      return drop ? '' : tag;
    });
    return `${open}${lean.replace(LINE_NUMBER, '')}${close}`;
  });
}

/**
 * Where Astro writes a page requested at `url` (build format `directory`, as
 * `siteConfig` sets it), relative to the output folder, as Pagefind would
 * find it there: `/base/files/a%20b/` → `files/a b/index.html`; the status
 * pages are `404.html` and `500.html`.
 */
export function outputPath(url: string, base: string): string {
  let path = decodeURIComponent(new URL(url).pathname);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  if (path.startsWith(prefix)) path = path.slice(prefix.length);
  else if (path === prefix.slice(0, -1)) path = '';
  path = path.replace(/^\/+/, '');
  const status = /^(404|500)(?:\.html|\/)?$/.exec(path);
  if (status) return `${status[1]}.html`;
  return path === '' || path.endsWith('/') ? `${path}index.html` : `${path}/index.html`;
}

/** Every HTML file under `out` (Pagefind's own folder aside), relative, with `/` separators. */
async function htmlFiles(out: string): Promise<Set<string>> {
  const files = new Set<string>();
  for (const entry of await readdir(out, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const path = relative(out, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (!path.startsWith('pagefind/')) files.add(path);
  }
  return files;
}
