/**
 * The one markdown parse of Waymark: the engine reads documents from it and
 * the site renders them from it, so both see the same text and the same tree.
 *
 * The text is cleaned first (BOM dropped, CRLF and lone CR turned into LF;
 * line and column numbers stay those of the original file), front matter is
 * blanked (its lines become empty, so everything after it keeps its line),
 * `markdown-guard.ts` blanks what satteri parses in more than linear time,
 * and satteri (the native parser behind Astro's markdown) builds remark-gfm's
 * mdast with positions. Trees deeper than {@link MAX_DEPTH} are cut there:
 * every walk downstream (the engine's reader, mdast-util-to-hast, the rehype
 * chain) recurses and overflows the stack at a depth of 4,000–10,000.
 */
import type { Nodes, Root } from 'mdast';
import { markdownToMdast } from 'satteri';
import { guardMarkdown, type SkippedBlock } from './markdown-guard.ts';

/** Nesting a tree may have: real documents stay under 20 (a quote in a list in a list …). */
export const MAX_DEPTH = 100;

export interface ParsedMarkdown {
  tree: Root;
  /** Blocks left out, in document order: blanked by the guard or cut for their depth. */
  skipped: SkippedBlock[];
}

/** Drop a BOM and turn CRLF and lone CR into LF. */
export function cleanMarkdown(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** Where a front matter block ends in cleaned text. */
export interface FrontMatterBlock {
  /** The text's lines. */
  lines: string[];
  /** 0-based index of the closing `---` line. */
  closeIndex: number;
  /** What follows the opening `---` (`yaml`, `toml`, …), trimmed. */
  language: string;
  /** The text with the block's lines blanked (turned into spaces). */
  body: string;
}

/**
 * The front matter block opening `text` (already cleaned), or undefined when
 * there is none or it is never closed: `---` (YAML, or the language named
 * after it) or Hugo's `+++` (TOML), each closed by the same fence.
 */
export function findFrontMatter(text: string): FrontMatterBlock | undefined {
  const fence = text.startsWith('---') && text[3] !== '-' ? '---' : /^\+\+\+[ \t]*(\n|$)/.test(text) ? '+++' : undefined;
  if (!fence) return undefined;
  const lines = text.split('\n');
  const closeIndex = lines.findIndex((line, index) => index > 0 && line.startsWith(fence));
  if (closeIndex === -1) return undefined;
  const end = lines.slice(0, closeIndex + 1).join('\n').length;
  // Spaces, not nothing: the engine reads the body at the original text's offsets.
  const body = text.slice(0, end).replace(/[^\n]/g, ' ') + text.slice(end);
  return { lines, closeIndex, language: fence === '+++' ? 'toml' : lines[0].slice(3).trim(), body };
}

/** The markdown body of a repository document: cleaned, front matter blanked. */
export function markdownBody(text: string): string {
  const cleaned = cleanMarkdown(text);
  return findFrontMatter(cleaned)?.body ?? cleaned;
}

/**
 * Parse `body` (cleaned, front matter blanked: see {@link markdownBody}).
 * Offsets, lines and columns in the tree are those of `body`.
 *
 * @example
 * parseMarkdown('# Title\n\nText.\n').tree.children.map((node) => node.type); // ['heading', 'paragraph']
 */
export function parseMarkdown(body: string): ParsedMarkdown {
  const guarded = guardMarkdown(body);
  // Front matter is the caller's: satteri would read a blanked block's successor as its own.
  const tree = markdownToMdast(guarded.text, { features: { frontmatter: false } }) as Root;
  const skipped = [...guarded.skipped, ...cutDeepBlocks(tree)];
  skipped.sort((a, b) => a.line - b.line);
  return { tree, skipped };
}

/**
 * Empty every node at depth {@link MAX_DEPTH} that still has children, one
 * report per top-level block. The recursion stops at that depth, so it runs at
 * any depth of the tree (and makes no pair per node, as a stack of them did).
 */
function cutDeepBlocks(tree: Root): SkippedBlock[] {
  const skipped: SkippedBlock[] = [];
  for (const block of tree.children) {
    if (cutBelow(block, 1)) {
      skipped.push({
        line: block.position?.start.line ?? 1,
        reason: `nests more than ${MAX_DEPTH} levels deep (quotes, lists, emphasis)`,
      });
    }
  }
  return skipped;
}

/** Cut `node` (at `depth`) and what is under it; true when something was cut. */
function cutBelow(node: Nodes, depth: number): boolean {
  if (!('children' in node) || node.children.length === 0) return false;
  if (depth >= MAX_DEPTH) {
    node.children = [];
    return true;
  }
  let cut = false;
  for (const child of node.children) if (cutBelow(child, depth + 1)) cut = true;
  return cut;
}
