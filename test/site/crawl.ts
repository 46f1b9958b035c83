/**
 * Crawl a served site from its home page and report every internal link or
 * anchor that does not resolve: a page that is not 200, or a `#fragment`
 * with no element of that id (or name) on the target page.
 */

export interface CrawlResult {
  /** HTML pages visited. */
  pages: string[];
  /** `from -> to (reason)` for each broken link. */
  broken: string[];
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (m) => ENTITIES[m] ?? m);
}

/** Ids and names an anchor can land on. */
function anchorsOf(html: string): Set<string> {
  const ids = new Set<string>();
  for (const m of html.matchAll(/\s(?:id|name)="([^"]*)"/g)) ids.add(decodeEntities(m[1]));
  return ids;
}

/** A fragment lands when an element has it as id, or (`L12-L20`, a file page's range) when both its lines do. */
function landsOn(ids: Set<string>, fragment: string): boolean {
  const range = /^L(\d+)-L(\d+)$/.exec(fragment);
  return ids.has(fragment) || (range !== null && Number(range[1]) < Number(range[2]) && ids.has(`L${range[1]}`) && ids.has(`L${range[2]}`));
}

/** Every `href` and `src` of the page. */
function linksOf(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => decodeEntities(m[1]));
}

export async function crawl(start: string): Promise<CrawlResult> {
  const origin = new URL(start).origin;
  const fetched = new Map<string, { status: number; html?: string }>();
  const get = async (url: string) => {
    let hit = fetched.get(url);
    if (!hit) {
      const res = await fetch(url);
      const type = res.headers.get('content-type') ?? '';
      hit = { status: res.status, html: type.includes('text/html') ? await res.text() : undefined };
      if (!hit.html) await res.arrayBuffer().catch(() => undefined);
      fetched.set(url, hit);
    }
    return hit;
  };
  const pages: string[] = [];
  const broken: string[] = [];
  const queue = [start];
  const queued = new Set(queue);
  while (queue.length) {
    const pageUrl = queue.shift()!;
    const page = await get(pageUrl);
    if (page.status !== 200 || !page.html) continue;
    pages.push(pageUrl);
    for (const raw of linksOf(page.html)) {
      if (/^(mailto|data|javascript|tel):/i.test(raw)) continue;
      const target = new URL(raw, pageUrl);
      if (target.origin !== origin) continue;
      const fragment = target.hash ? decodeURIComponent(target.hash.slice(1)) : '';
      target.hash = '';
      target.search = '';
      const url = target.href;
      const hit = await get(url);
      if (hit.status !== 200) {
        broken.push(`${pageUrl} -> ${raw} (${hit.status})`);
        continue;
      }
      if (fragment && hit.html && !landsOn(anchorsOf(hit.html), fragment)) broken.push(`${pageUrl} -> ${raw} (no #${fragment})`);
      if (hit.html && !queued.has(url)) {
        queued.add(url);
        queue.push(url);
      }
    }
  }
  return { pages, broken };
}
