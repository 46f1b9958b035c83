/**
 * The "On this page" list of a rendered page: its `h2` and `h3` headings that
 * carry an id, read from the page's own HTML at build time (so the sidebar is
 * static HTML and never shifts the layout). Pure: HTML string in, data out.
 */

export interface PageHeading {
  depth: 2 | 3;
  id: string;
  /** Plain text, entities decoded. */
  text: string;
}

const HEADING = /<h([23])\b([^>]*)>([\s\S]*?)<\/h\1\s*>/gi;
const ID = /\sid\s*=\s*"([^"]+)"/i;
// Badges and counts repeat what the text beside them says ("error Errors 6").
const DECORATION = /<span\b[^>]*class="[^"]*\b(?:badge|count|sr-only)\b[^"]*"[^>]*>[\s\S]*?<\/span>/gi;
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' };

function decode(text: string): string {
  return text.replace(/&(?:lt|gt|quot|nbsp|#39|#x27);/g, (e) => ENTITIES[e]).replace(/&amp;/g, '&');
}

/** Headings of `html` for the sidebar, in document order; those marked `data-toc="skip"` are left out. */
export function pageHeadings(html: string): PageHeading[] {
  const found: PageHeading[] = [];
  for (const match of html.matchAll(HEADING)) {
    const [, level, attributes, inner] = match;
    const id = ID.exec(attributes)?.[1];
    if (!id || /data-toc="skip"/.test(attributes)) continue;
    const text = decode(inner.replace(DECORATION, '').replace(/<[^>]*>/g, ''))
      .replace(/\s+/g, ' ')
      .trim();
    if (text) found.push({ depth: level === '2' ? 2 : 3, id: decode(id), text });
  }
  return found;
}
