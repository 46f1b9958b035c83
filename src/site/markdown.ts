/**
 * Repository markdown → safe HTML for the site.
 *
 * The pipeline is the engine's parse (`core/extract/markdown-parse.ts`:
 * satteri on the cleaned text, front matter left out) → (link and
 * code-reference rewriting on the markdown tree) → remark-rehype →
 * rehype-sanitize → (heading ids) → rehype-stringify. The unified chain stays
 * for what satteri's own HTML output cannot do: it has no sanitizer and no
 * hook for the custom span nodes the rewriting adds. Every walk here recurses,
 * which is safe because the parse cuts trees at `MAX_DEPTH`. Documents are data, never code: nothing is
 * compiled as MDX or executed, raw HTML is dropped by remark-rehype and
 * whatever else reaches the HTML tree passes rehype-sanitize's GitHub schema
 * (so `javascript:` links lose their `href`).
 *
 * Everything that needs the rest of the repository comes in through a
 * {@link MarkdownContext}, so this module stays pure and testable.
 */
import GithubSlugger from 'github-slugger';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visitParents, SKIP } from 'unist-util-visit-parents';
import { markdownBody, parseMarkdown } from '../core/extract/markdown-parse.ts';
import type { Reference } from '../core/schema.ts';
import { safeUrl } from '../core/urls/safe-url.ts';
import { referenceState, stateExplanation } from './reference-state.ts';

/** A repository location a link or reference points at. */
export interface LinkTarget {
  /** Repository-relative path, normalised (no `.` or `..`). */
  path: string;
  /** Heading anchor, when the link names one. */
  anchor?: string;
  /** Line, from `#L12` / `#L12-L20` / a reference's line range. */
  line?: number;
  /** Last line of a range (`#L12-L20`), so the link carries the whole range. */
  endLine?: number;
}

/** What the renderer needs to know about the rest of the repository. */
export interface MarkdownContext {
  /** Repository path of the document being rendered. */
  path: string;
  /** Site URL for a repository location, or undefined when the site has no page for it. */
  linkFor(target: LinkTarget): string | undefined;
  /** Resolved references placed in this document; used for code references. */
  references?: readonly Reference[];
  /** Site URL for a resolved reference (file page at the line, task page, …). */
  referenceHref?(reference: Reference): string | undefined;
  /** Heading slugs as the engine computed them, in document order. */
  headingSlugs?: readonly string[];
  /** Demote every heading by this many levels (capped at h6), for documents shown inside a page that has its own h1. */
  headingOffset?: number;
}

export interface RenderedMarkdown {
  html: string;
}

/** Reference origins that stand in running text and become links. */
const TEXT_ORIGINS = new Set(['code-reference', 'mention', 'files-modified']);

/** Classes the rewriting adds; the sanitizer lets exactly these through. */
const REF_CLASSES = [
  'wm-ref',
  'wm-ref-ok',
  'wm-ref-stale',
  'wm-ref-moved',
  'wm-ref-broken',
  'wm-ref-unlinked',
  'wm-badge',
  'wm-badge-ok',
  'wm-badge-stale',
  'wm-badge-moved',
  'wm-badge-broken',
  'wm-link-broken',
];

/** The sanitizer uses the first `className` rule of an element, so ours must replace the default one. */
function withoutClassName(list: readonly unknown[] | undefined): unknown[] {
  return (list ?? []).filter((entry) => !(Array.isArray(entry) && entry[0] === 'className'));
}

const schema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    a: [...withoutClassName(defaultSchema.attributes?.a), ['className', 'data-footnote-backref', ...REF_CLASSES]],
    // Badges are left out of the search index and its excerpts.
    span: [...withoutClassName(defaultSchema.attributes?.span), ['className', ...REF_CLASSES], 'dataPagefindIgnore'],
  },
};

/**
 * Resolve a markdown link's `href` against the document that holds it.
 * Returns undefined for external links (a scheme, `//host`), in-page anchors
 * and `mailto:`; `null` when a relative path climbs out of the repository.
 *
 * @example
 * resolveHref('docs/processes/a.md', '../../infra/lb.tf#L12-L20');
 * // { path: 'infra/lb.tf', line: 12, endLine: 20 }
 */
export function resolveHref(docPath: string, href: string): LinkTarget | null | undefined {
  if (href === '' || href.startsWith('#') || href.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined;
  const hashAt = href.indexOf('#');
  const rawPath = (hashAt >= 0 ? href.slice(0, hashAt) : href).replace(/\?.*$/, '');
  const hash = hashAt >= 0 ? href.slice(hashAt + 1) : '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    decoded = rawPath;
  }
  const baseParts = decoded.startsWith('/') ? [] : docPath.split('/').slice(0, -1);
  const parts = [...baseParts];
  for (const part of decoded.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  const path = parts.join('/');
  if (path === '') return null;
  const lineMatch = /^L(\d+)(?:-L?(\d+))?$/.exec(hash);
  if (lineMatch) return { path, line: Number(lineMatch[1]), ...(lineMatch[2] ? { endLine: Number(lineMatch[2]) } : {}) };
  let anchor: string | undefined;
  try {
    anchor = hash ? decodeURIComponent(hash) : undefined;
  } catch {
    anchor = hash;
  }
  return anchor ? { path, anchor } : { path };
}

/** Whether a resolved reference is good enough for an "ok" badge. */
function referenceOk(reference: Reference): boolean {
  return (reference.status === 'ok' || reference.status === 'id') && !reference.problem;
}

/** Plain-language tooltip for a reference badge. */
export function referenceTitle(reference: Reference): string {
  if (referenceOk(reference)) {
    return reference.targets.length > 1 ? `${reference.targets.length} files: ${reference.targets.join(', ')}` : 'reference resolves';
  }
  const explained = stateExplanation(reference);
  if (explained) return explained;
  if (reference.problem) return `${reference.problem}`;
  if (reference.status === 'ambiguous') return `ambiguous: could be ${reference.candidates.join(', ')}`;
  if (reference.candidates.length) return `not found; did you mean ${reference.candidates.join(', ')}?`;
  return 'not found in the repository';
}

// Minimal structural types for the trees we touch, to avoid depending on
// @types/mdast and @types/hast, which the package does not declare.
interface Point {
  line: number;
  column: number;
}
interface MdNode {
  type: string;
  value?: string;
  url?: string;
  children?: MdNode[];
  position?: { start: Point; end: Point };
  data?: { hName?: string; hProperties?: Record<string, unknown>; hChildren?: unknown[] };
}
interface HNode {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: HNode[];
}

/**
 * Call `visitor` on `node` and on every node below it, parents first, children
 * in order (as unist-util-visit does). Hand-written because unist-util-visit
 * makes an ancestor list and a closure for every node: its walks were a
 * quarter of `renderMarkdown`'s CPU over the corpus's 4,034 documents.
 */
function walk<T extends { children?: T[] }>(node: T, visitor: (node: T) => void): void {
  visitor(node);
  for (const child of node.children ?? []) walk(child, visitor);
}

function isBefore(a: Point, b: Point): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function span(className: string[], text: string, title?: string): MdNode {
  return {
    type: 'wmSpan',
    data: {
      hName: 'span',
      hProperties: { className, dataPagefindIgnore: '', ...(title ? { title } : {}) },
      hChildren: [{ type: 'text', value: text }],
    },
  };
}

/** Replace the text of one text or inline-code node with linked references and badges. */
function splitByReferences(node: MdNode, refs: Reference[], ctx: MarkdownContext): MdNode[] | undefined {
  const value = node.value ?? '';
  const pieces: MdNode[] = [];
  let cursor = 0;
  const make = (text: string): MdNode => ({ type: node.type, value: text });
  for (const ref of refs) {
    const at = value.indexOf(ref.raw, cursor);
    if (at < 0) continue;
    if (at > cursor) pieces.push(make(value.slice(cursor, at)));
    const ok = referenceOk(ref);
    const state = referenceState(ref);
    const href = ref.status === 'ok' || ref.status === 'id' ? ctx.referenceHref?.(ref) : undefined;
    const title = referenceTitle(ref);
    const inner = make(ref.raw);
    if (href) {
      pieces.push({
        type: 'link',
        url: href,
        children: [inner],
        data: { hProperties: { className: ['wm-ref', `wm-ref-${state}`] } },
      });
    } else {
      // No page to link to is not the same as broken: an id with no task page or a
      // glob over several files resolves; only the verdict decides the styling.
      const classes = ['wm-ref', `wm-ref-${state}`, ...(state === 'broken' ? [] : ['wm-ref-unlinked'])];
      pieces.push({ type: 'wmSpan', children: [inner], data: { hName: 'span', hProperties: { className: classes, title } } });
    }
    if (ref.kind !== 'id' || !ok) pieces.push(span(['wm-badge', `wm-badge-${state}`], state, title));
    cursor = at + ref.raw.length;
  }
  if (pieces.length === 0) return undefined;
  if (cursor < value.length) pieces.push(make(value.slice(cursor)));
  return pieces;
}

/** Markdown-tree pass: rewrite relative links, turn code references into links. */
function rewriteTree(ctx: MarkdownContext) {
  const placed = (ctx.references ?? [])
    .filter((r) => r.source.file === ctx.path && TEXT_ORIGINS.has(r.origin) && r.kind !== 'url')
    .sort((a, b) => a.source.line - b.source.line || a.source.column - b.source.column);
  return (tree: MdNode) => {
    // Links and link definitions: repository paths become site URLs.
    walk(tree, (node) => {
      if ((node.type !== 'link' && node.type !== 'definition') || typeof node.url !== 'string') return;
      const target = resolveHref(ctx.path, node.url);
      if (target === undefined) return;
      const href = target === null ? undefined : ctx.linkFor(target);
      if (href) node.url = href;
      else if (node.type === 'link') {
        // No page for it: keep the words, drop the dead link.
        node.type = 'wmSpan';
        node.data = { hName: 'span', hProperties: { className: ['wm-link-broken'], title: `${node.url} is not in this site` } };
        delete node.url;
      } else node.url = '#';
    });
    if (placed.length === 0) return;
    const used = new Set<string>();
    visitParents(tree as never, (node: MdNode, ancestors: MdNode[]) => {
      if (node.type !== 'text' && node.type !== 'inlineCode') return;
      if (ancestors.some((a) => a.type === 'link' || a.type === 'wmSpan' || a.type === 'linkReference')) return;
      const pos = node.position;
      if (!pos) return;
      const inside = placed.filter(
        (r) => !used.has(r.id) && !isBefore(r.source, pos.start) && isBefore(r.source, pos.end),
      );
      if (inside.length === 0) return;
      const pieces = splitByReferences(node, inside, ctx);
      if (!pieces) return;
      for (const r of inside) used.add(r.id);
      const parent = ancestors[ancestors.length - 1];
      const index = parent.children!.indexOf(node);
      parent.children!.splice(index, 1, ...pieces);
      return [SKIP, index + pieces.length];
    });
  };
}

function textOf(node: HNode): string {
  if (node.type === 'text') return node.value ?? '';
  const cls = node.properties?.className;
  if (Array.isArray(cls) && cls.includes('wm-badge')) return '';
  return (node.children ?? []).map(textOf).join('');
}

/**
 * The HTML-tree pass after sanitizing, one walk for three jobs (a walk per
 * job cost a fifth of rendering the documents' markdown):
 *
 * - every `href` and `src` must pass the site's one URL rule ({@link safeUrl}),
 *   which is stricter than the sanitizer's (no `//host`, no blanks); a link
 *   that fails keeps its words;
 * - for keyboards and screen readers (axe-core counts both as serious): a
 *   task-list checkbox says whether it is ticked, and code blocks and tables,
 *   which scroll sideways on a phone, take focus so the keyboard can scroll them;
 * - headings get the ids links use: the engine's slugs win when they line up
 *   with the headings; otherwise GitHub's algorithm is applied here. Ids set
 *   by the footnote machinery stay.
 */
function finishHtml(ctx: MarkdownContext) {
  return (tree: HNode) => {
    const headings: HNode[] = [];
    walk(tree, (node) => {
      if (node.type !== 'element') return;
      for (const name of ['href', 'src'] as const) {
        const value = node.properties?.[name];
        if (value !== undefined && safeUrl(String(value)) === undefined) delete node.properties![name];
      }
      if (node.tagName === 'input' && node.properties?.type === 'checkbox') {
        node.properties = { ...node.properties, ariaLabel: node.properties.checked ? 'done' : 'not done' };
      } else if (node.tagName === 'pre' || node.tagName === 'table') {
        node.properties = { ...node.properties, tabIndex: 0 };
      }
      if (/^h[1-6]$/.test(node.tagName ?? '') && !node.properties?.id) headings.push(node);
    });
    const slugs = ctx.headingSlugs;
    const slugger = new GithubSlugger();
    const offset = ctx.headingOffset ?? 0;
    headings.forEach((node, i) => {
      const id = slugs && slugs.length === headings.length ? slugs[i] : slugger.slug(textOf(node));
      node.properties = { ...node.properties, id };
      if (offset) node.tagName = `h${Math.min(6, Number(node.tagName!.slice(1)) + offset)}`;
    });
  };
}

/**
 * Render one repository markdown document to sanitized HTML.
 *
 * @example
 * renderMarkdown('See [the LB](../infra/lb.tf).', { path: 'docs/a.md', linkFor: (t) => `/files/${t.path}/` }).html;
 * // '<p>See <a href="/files/infra/lb.tf/">the LB</a>.</p>'
 */
export function renderMarkdown(text: string, ctx: MarkdownContext): RenderedMarkdown {
  const processor = unified()
    .use(() => rewriteTree(ctx) as never)
    .use(remarkRehype)
    .use(rehypeSanitize, schema as never)
    .use(() => finishHtml(ctx) as never)
    .use(rehypeStringify);
  // The engine's text and tree: what the guard leaves out here, `check` reports.
  const body = markdownBody(text);
  const html = processor.stringify(processor.runSync(parseMarkdown(body).tree as never, body));
  return { html };
}
