/**
 * A fast reader for the markdown most process documents are made of: ATX
 * headings, paragraphs with bold keys, bullet and numbered lists (with task
 * checkboxes), GFM tables, fenced code, inline code, links and emphasis. It
 * builds the same mdast nodes remark does, with the positions the document
 * reader uses, about ten times faster.
 *
 * It is only a shortcut: on anything outside that subset (block quotes, HTML
 * blocks, setext headings, indented code, tabs in indentation, entities, bare
 * URLs, strikethrough, link definitions, hard breaks, …) `parseMarkdown`
 * parses with remark-gfm, which stays the reference. A differential test
 * holds the two to the same result on every document the shortcut reads.
 */
import type {
  Code,
  Heading,
  Html,
  Link,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Table,
  TableCell,
  TableRow,
  Text,
  ThematicBreak,
} from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { LineIndex } from '../text/line-index.ts';

/** Thrown inside the reader when the input leaves the subset; never escapes `parseMarkdownFast`. */
class Unsupported extends Error {}

function unsupported(): never {
  throw new Unsupported();
}

/** One source line as a container sees it: its text after the container's indent, and where that text starts. */
interface Line {
  text: string;
  offset: number;
  /** 1-based line number in the document. */
  number: number;
  /** A lazy continuation line: it belongs to a list item's paragraph without being indented into it. */
  lazy?: boolean;
}

interface Point {
  line: number;
  column: number;
  offset: number;
}

const remark = unified().use(remarkParse).use(remarkGfm).freeze();

/** The mdast of `text` (already guarded, see `markdown-guard.ts`): the fast reader's where it can, remark-gfm's otherwise. */
export function parseMarkdown(text: string): Root {
  return parseMarkdownFast(text) ?? parseWithRemark(text);
}

/** remark-gfm's tree of `text`: the reference the fast reader is held to. */
export function parseWithRemark(text: string): Root {
  return remark.parse(text) as Root;
}

/** Parse `text` into an mdast root, or undefined when it uses markdown outside the supported subset. */
export function parseMarkdownFast(text: string): Root | undefined {
  try {
    return new FastReader(text).read();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^( {0,3})([-+*]|\d{1,9}[.)])(?=[ \t]|$)/;
const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
const DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const BLANK = /^[ \t]*$/;

/** Lists nested deeper than this are left to remark (each level is a recursion here). */
const MAX_DEPTH = 32;
/** Emphasis delimiter runs in one block beyond this are left to remark (its guard allows as many markup characters). */
const MAX_DELIMITERS = 1000;

class FastReader {
  private readonly index: LineIndex;
  private depth = 0;

  constructor(private readonly source: string) {
    this.index = new LineIndex(source);
  }

  read(): Root {
    if (/^[ \t]*\[[^\]\n]*\]:/m.test(this.source)) unsupported(); // link definitions
    const lines: Line[] = [];
    let number = 1;
    for (const start of this.index.starts) {
      const end = this.source.indexOf('\n', start);
      const text = this.source.slice(start, end === -1 ? this.source.length : end);
      // A trailing newline leaves an empty last "line" that is not part of the document.
      if (!(end === -1 && text === '' && number > 1)) lines.push({ text, offset: start, number });
      number++;
    }
    const children = this.blocks(lines);
    const last = lines.at(-1);
    return {
      type: 'root',
      children,
      position: { start: this.point(0), end: this.point(last ? last.offset + last.text.length : 0) },
    };
  }

  point(offset: number): Point {
    return { ...this.index.locate(offset), offset };
  }

  private span(start: number, end: number) {
    return { start: this.point(start), end: this.point(end) };
  }

  // -- blocks -------------------------------------------------------------

  /** The blocks of one container (the document or a list item), from its lines. */
  private blocks(lines: Line[]): RootContent[] {
    const out: RootContent[] = [];
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      const text = line.text;
      if (BLANK.test(text)) {
        i++;
        continue;
      }
      const indent = leadingSpaces(text);
      if (text.slice(0, indent + 1).includes('\t')) unsupported();
      if (indent >= 4) unsupported(); // indented code
      const rest = text.slice(indent);
      if (rest.startsWith('>')) unsupported();
      if (rest.startsWith('<')) {
        i = this.htmlComment(lines, i, out);
        continue;
      }
      if (ATX.test(text)) {
        out.push(this.heading(line));
        i++;
        continue;
      }
      if (opensFence(text)) {
        i = this.fence(lines, i, out);
        continue;
      }
      if (THEMATIC.test(text)) {
        out.push({ type: 'thematicBreak', position: this.span(line.offset + indent, line.offset + text.trimEnd().length) } satisfies ThematicBreak);
        i++;
        continue;
      }
      if (LIST_ITEM.test(text)) {
        i = this.list(lines, i, out);
        continue;
      }
      if (rest.startsWith('[') && /^\[[^\]]*\]:/.test(rest)) unsupported(); // link definition
      if (text.includes('|') && i + 1 < lines.length && DELIMITER_ROW.test(lines[i + 1].text) && lines[i + 1].text.includes('-')) {
        if (lines[i + 1].lazy) unsupported(); // a lazy line never makes a table
        const table = this.table(lines, i);
        if (table) {
          out.push(table.node);
          i = table.next;
          continue;
        }
      }
      i = this.paragraph(lines, i, out);
    }
    return out;
  }

  private heading(line: Line): Heading {
    const match = ATX.exec(line.text)!;
    const depth = match[1].length as Heading['depth'];
    let content = line.text.slice(match[0].length).trimEnd();
    // closing sequence: `## Title ##` (found by hand: a regex for it backtracks over long runs of spaces)
    let hashes = content.length;
    while (hashes > 0 && content[hashes - 1] === '#') hashes--;
    if (hashes < content.length && (hashes === 0 || content[hashes - 1] === ' ' || content[hashes - 1] === '\t')) content = content.slice(0, hashes);
    const leading = content.length - content.trimStart().length;
    const trimmed = content.trim();
    const start = line.offset + match[0].length + leading;
    const children = trimmed === '' ? [] : this.inline([{ text: trimmed, offset: start, number: line.number }]);
    return {
      type: 'heading',
      depth,
      children,
      position: this.span(line.offset + leadingSpaces(line.text), line.offset + line.text.trimEnd().length),
    };
  }

  private fence(lines: Line[], from: number, out: RootContent[]): number {
    const open = opensFence(lines[from].text)!;
    const indent = open[1].length;
    const marker = open[2];
    let closing = -1;
    for (let i = from + 1; i < lines.length; i++) {
      const close = /^( {0,3})(`{3,}|~{3,})[ \t]*$/.exec(lines[i].text);
      if (close && close[2][0] === marker[0] && close[2].length >= marker.length) {
        closing = i;
        break;
      }
    }
    // an unclosed fence runs to the end of the container
    const end = closing === -1 ? lines.length : closing + 1;
    const body = lines.slice(from + 1, closing === -1 ? end : closing);
    const value = body.map((line) => stripIndent(line.text, indent)).join('\n');
    const info = open[3].trim();
    const lastLine = lines[end - 1];
    const node: Code = {
      type: 'code',
      lang: info === '' ? null : info.split(/\s/)[0],
      meta: info === '' || !/\s/.test(info) ? null : info.slice(info.search(/\s/)).trim() || null,
      value,
      position: this.span(lines[from].offset + indent, lastLine.offset + lastLine.text.length),
    };
    out.push(node);
    return end;
  }

  /** `<!-- … -->` as a block; any other HTML block is left to remark. */
  private htmlComment(lines: Line[], from: number, out: RootContent[]): number {
    const first = lines[from];
    const indent = leadingSpaces(first.text);
    if (!first.text.startsWith('<!--', indent)) unsupported();
    for (let i = from; i < lines.length; i++) {
      if (lines[i].text.includes('-->', i === from ? indent + 4 : 0)) {
        // the block runs to the end of the line holding `-->`
        const last = lines[i];
        // the block's value keeps the indentation of its first line
        const start = first.offset;
        const end = last.offset + last.text.length;
        out.push({ type: 'html', value: this.source.slice(start, end), position: this.span(start, end) } satisfies Html);
        return i + 1;
      }
    }
    unsupported();
  }

  /** Lines that continue a paragraph until a blank line or a block that can interrupt it. */
  private paragraph(lines: Line[], from: number, out: RootContent[]): number {
    let end = from + 1;
    while (end < lines.length) {
      const text = lines[end].text;
      if (BLANK.test(text)) break;
      if (SETEXT.test(text)) unsupported();
      if (this.interrupts(text)) break;
      // a table can start mid-paragraph (its header the paragraph's next line)
      if (text.includes('|') && end + 1 < lines.length && DELIMITER_ROW.test(lines[end + 1].text)) unsupported();
      end++;
    }
    out.push(this.paragraphNode(lines.slice(from, end)));
    return end;
  }

  /** Does this line start a block that ends a paragraph before it? */
  private interrupts(text: string): boolean {
    const indent = leadingSpaces(text);
    if (indent >= 4) return false;
    const rest = text.slice(indent);
    if (rest.startsWith('>') || rest.startsWith('<')) unsupported();
    if (text.slice(0, indent + 1).includes('\t')) unsupported();
    if (ATX.test(text) || opensFence(text) || THEMATIC.test(text)) return true;
    const item = LIST_ITEM.exec(text);
    if (item) {
      const marker = item[2];
      const empty = BLANK.test(text.slice(item[0].length));
      if (empty) return false;
      return !/\d/.test(marker[0]) || /^1[.)]$/.test(marker);
    }
    return false;
  }

  private paragraphNode(lines: Line[], checkbox = false): Paragraph {
    const segments = lines.map((line) => {
      const indent = leadingSpaces(line.text);
      if (line.text.slice(0, indent + 1).includes('\t')) unsupported();
      return { text: line.text.slice(indent), offset: line.offset + indent, number: line.number };
    });
    const last = segments.at(-1)!;
    const start = segments[0].offset + (checkbox ? 4 : 0);
    const end = last.offset + last.text.trimEnd().length;
    let children: PhrasingContent[];
    if (checkbox) {
      // `[x] text`: the checkbox belongs to the list item, the text starts after it
      const head = segments[0];
      // remark starts the paragraph one character after the checkbox; further spaces stay in its text
      const after = [{ ...head, text: head.text.slice(4), offset: head.offset + 4 }, ...segments.slice(1)];
      children = this.inline(after);
    } else {
      children = this.inline(segments);
    }
    // remark moves a task item's paragraph start past the checkbox only when text follows it
    const moved = checkbox && children[0]?.type === 'text' && children[0].position!.start.offset === start;
    return { type: 'paragraph', children, position: this.span(checkbox && !moved ? segments[0].offset : start, end) };
  }

  // -- lists --------------------------------------------------------------

  private list(lines: Line[], from: number, out: RootContent[]): number {
    const first = LIST_ITEM.exec(lines[from].text)!;
    const kind = listKind(first[2]);
    const ordered = /\d/.test(first[2][0]);
    const items: ListItem[] = [];
    let i = from;
    let spread = false;
    while (i < lines.length) {
      const match = LIST_ITEM.exec(lines[i].text);
      if (!match || listKind(match[2]) !== kind || THEMATIC.test(lines[i].text)) break;
      const { item, next, trailingBlank } = this.listItem(lines, i, match);
      items.push(item);
      i = next;
      // a blank line between items: the list goes on only if another item of its kind follows
      let j = i;
      while (j < lines.length && BLANK.test(lines[j].text)) j++;
      if (j > i || trailingBlank) {
        const following = j < lines.length ? LIST_ITEM.exec(lines[j].text) : null;
        if (following && listKind(following[2]) === kind && !THEMATIC.test(lines[j].text)) {
          spread = true;
          i = j;
          continue;
        }
        break;
      }
    }
    const last = items.at(-1)!;
    out.push({
      type: 'list',
      ordered,
      start: ordered ? Number.parseInt(first[2], 10) : null,
      spread,
      children: items,
      position: { start: items[0].position!.start, end: last.position!.end },
    } satisfies List);
    return i;
  }

  private listItem(lines: Line[], from: number, match: RegExpExecArray): { item: ListItem; next: number; trailingBlank: boolean } {
    const line = lines[from];
    const markerEnd = match[0].length;
    const after = line.text.slice(markerEnd);
    if (BLANK.test(after)) unsupported(); // an item that starts empty
    if (after.startsWith('\t')) unsupported();
    const spaces = leadingSpaces(after);
    if (spaces > 4) unsupported(); // indented code inside the item
    const contentIndent = markerEnd + spaces;
    const body: Line[] = [{ text: line.text.slice(contentIndent), offset: line.offset + contentIndent, number: line.number }];
    let i = from + 1;
    let blankRun = 0;
    while (i < lines.length) {
      const text = lines[i].text;
      if (BLANK.test(text)) {
        blankRun++;
        i++;
        continue;
      }
      const indent = leadingSpaces(text);
      if (text.slice(0, Math.min(indent + 1, contentIndent)).includes('\t')) unsupported();
      if (indent >= contentIndent) {
        for (let k = i - blankRun; k < i; k++) body.push({ text: '', offset: lines[k].offset + lines[k].text.length, number: lines[k].number });
        blankRun = 0;
        body.push({ text: text.slice(contentIndent), offset: lines[i].offset + contentIndent, number: lines[i].number });
        i++;
        continue;
      }
      if (blankRun > 0) break;
      // lazy continuation of the item's paragraph
      if (!this.continuesParagraph(body, text)) break;
      // kept indented: `    - x` continuing a paragraph is text, not a list item
      body.push({ ...lines[i], lazy: true });
      i++;
    }
    if (/^\[(?:[ xX]\])?[ \t]*$/.test(body[0].text)) unsupported(); // a checkbox split over lines
    if (++this.depth > MAX_DEPTH) unsupported();
    const checked = /^\[[ xX]\][ \t]+\S/.test(body[0].text) ? body[0].text[1] !== ' ' : null;
    const children = this.itemBlocks(body, checked !== null);
    this.depth--;
    const lastBlock = children.at(-1);
    const item: ListItem = {
      type: 'listItem',
      // loose: a blank line between two of its blocks
      spread: children.some((child, k) => k > 0 && child.position!.start.line > children[k - 1].position!.end.line + 1),
      checked,
      children: children as ListItem['children'],
      position: { start: this.point(line.offset + match[1].length), end: lastBlock?.position?.end ?? this.point(line.offset + line.text.length) },
    };
    return { item, next: i - blankRun, trailingBlank: blankRun > 0 };
  }

  /** Would `text`, unindented, continue the paragraph the item's lines end with? */
  private continuesParagraph(body: Line[], text: string): boolean {
    if (this.interrupts(text)) return false;
    if (LIST_ITEM.test(text)) return false;
    if (SETEXT.test(text)) unsupported();
    if (body.length > 64) unsupported(); // re-reading below is quadratic in a long lazy item
    // the item (or the innermost item it ends with) must end in an open paragraph: re-reading its lines tells
    return endsInParagraph(this.blocks(body)) && !BLANK.test(body.at(-1)!.text);
  }

  private itemBlocks(body: Line[], checkbox: boolean): RootContent[] {
    const blocks = this.blocks(body);
    if (!checkbox) return blocks;
    const first = blocks[0];
    if (first?.type !== 'paragraph' || first.position!.start.offset !== body[0].offset) unsupported();
    const { start, end } = first.position!;
    blocks[0] = this.paragraphNode(body.filter((line) => line.number >= start.line && line.number <= end.line), true);
    return blocks;
  }

  // -- tables -------------------------------------------------------------

  private table(lines: Line[], from: number): { node: Table; next: number } | undefined {
    const header = splitRow(lines[from].text);
    const delimiter = splitRow(lines[from + 1].text);
    if (!header || !delimiter || header.length !== delimiter.length || !lines[from + 1].text.includes('|')) unsupported();
    const rows: TableRow[] = [this.row(lines[from], header)];
    let i = from + 2;
    while (i < lines.length && !BLANK.test(lines[i].text)) {
      const text = lines[i].text;
      if (this.interrupts(text) || !text.includes('|')) unsupported();
      const cells = splitRow(text);
      if (!cells || cells.length !== header.length) unsupported();
      rows.push(this.row(lines[i], cells));
      i++;
    }
    const align = delimiter.map((cell) => {
      const value = cell.text.trim();
      const left = value.startsWith(':');
      const right = value.endsWith(':');
      return left && right ? 'center' : left ? 'left' : right ? 'right' : null;
    });
    const last = lines[i - 1];
    return {
      node: {
        type: 'table',
        align,
        children: rows,
        position: this.span(lines[from].offset + leadingSpaces(lines[from].text), last.offset + last.text.trimEnd().length),
      },
      next: i,
    };
  }

  private row(line: Line, cells: RowCell[]): TableRow {
    const children: TableCell[] = cells.map((cell) => {
      const trimmed = cell.text.trim();
      const start = line.offset + cell.start + (cell.text.length - cell.text.trimStart().length);
      if (/`[^`]*\\\|/.test(trimmed)) unsupported(); // `\|` inside code in a cell
      const inline = trimmed === '' ? [] : this.inline([{ text: trimmed, offset: start, number: line.number }]);
      return { type: 'tableCell', children: inline, position: this.span(line.offset + cell.outerStart, line.offset + cell.outerEnd) };
    });
    return { type: 'tableRow', children, position: this.span(line.offset + leadingSpaces(line.text), line.offset + line.text.trimEnd().length) };
  }

  // -- inline -------------------------------------------------------------

  /** Phrasing content of lines already stripped of their indentation. */
  private inline(segments: Line[]): PhrasingContent[] {
    // one string with `\n` between lines, and a map back to source offsets
    let text = '';
    const starts: number[] = [];
    const offsets: number[] = [];
    segments.forEach((segment, index) => {
      let line = segment.text;
      if (index < segments.length - 1) {
        if (/ {2,}$|\\$/.test(line)) unsupported(); // hard line break
        line = line.replace(/ $/, '');
      } else {
        line = line.trimEnd();
      }
      if (index > 0) text += '\n';
      starts.push(text.length);
      offsets.push(segment.offset);
      text += line;
    });
    const toSource = (index: number, end: boolean): number => {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (starts[mid] <= index) low = mid;
        else high = mid - 1;
      }
      // a node ending where a line starts ends right after the newline, before that line's indentation
      if (end && low > 0 && index === starts[low]) return this.index.starts[segments[low].number - 1];
      return offsets[low] + index - starts[low];
    };
    return new InlineParser(text, (index, end = false) => this.point(toSource(index, end))).parse();
  }
}

// ---------------------------------------------------------------------------
// Inline content

interface Delimiter {
  char: '*' | '_';
  /** Index of the text node holding the run, in the flat node list. */
  node: number;
  count: number;
  original: number;
  canOpen: boolean;
  canClose: boolean;
  active: boolean;
}

/** A node under construction: text runs stay mutable until emphasis is resolved. */
type Flat = PhrasingContent & { delimiter?: boolean };

const PUNCTUATION = /[!-/:-@[-`{-~\p{P}\p{S}]/u;
const WHITESPACE = /\s/u;
const OPEN_TAG = /^<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>/;
const CLOSE_TAG = /^<\/[A-Za-z][A-Za-z0-9-]*\s*>/;
const URI_AUTOLINK = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>/;
const ENTITY = /^&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;

class InlineParser {
  private readonly nodes: Flat[] = [];
  private readonly delimiters: Delimiter[] = [];
  private textStart = -1;
  private textEnd = 0;
  private textValue = '';
  /** Characters the bracket and code-span searches may look at: beyond it the input is hostile, and left to remark and its guard. */
  private budget: number;

  constructor(
    private readonly text: string,
    private readonly at: (index: number, end?: boolean) => Point,
  ) {
    this.budget = text.length * 4 + 4096;
    // GFM autolink literals, strikethrough and emails are left to remark.
    if (/https?:\/\/|www\.|ftp:\/\/|@|~/i.test(text.replace(/`+[^`]*`+/g, ''))) unsupported();
  }

  parse(): PhrasingContent[] {
    const { text } = this;
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '`') i = this.codeSpan(i);
      else if (c === '\\') i = this.escape(i);
      else if (c === '*' || c === '_') i = this.delimiterRun(i);
      else if (c === '[' || (c === '!' && text[i + 1] === '[')) i = this.link(i);
      else if (c === '<') i = this.angle(i);
      else if (c === '&' && ENTITY.test(text.slice(i, i + 40))) unsupported();
      else if (c === ']') i = this.plain(i, 1);
      else {
        let j = i + 1;
        while (j < text.length && !'`\\*_[!<&]'.includes(text[j])) j++;
        i = this.plain(i, j - i);
      }
    }
    this.flushText();
    this.processEmphasis(0);
    return mergeText(this.nodes.map(strip));
  }

  private spend(characters: number): void {
    this.budget -= characters;
    if (this.budget < 0) unsupported();
  }

  private plain(from: number, length: number, value = this.text.slice(from, from + length)): number {
    if (this.textStart === -1) this.textStart = from;
    this.textValue += value;
    this.textEnd = from + length;
    return from + length;
  }

  private flushText(): void {
    if (this.textStart === -1) return;
    this.nodes.push({ type: 'text', value: this.textValue, position: { start: this.at(this.textStart), end: this.at(this.textEnd, true) } });
    this.textStart = -1;
    this.textValue = '';
  }

  private push(node: Flat): void {
    this.flushText();
    this.nodes.push(node);
  }

  private escape(i: number): number {
    const next = this.text[i + 1];
    if (next !== undefined && /[!-/:-@[-`{-~]/.test(next)) return this.plain(i, 2, next);
    return this.plain(i, 1);
  }

  private codeSpan(i: number): number {
    const { text } = this;
    let ticks = i;
    while (text[ticks] === '`') ticks++;
    const length = ticks - i;
    let scanned = ticks;
    for (let j = text.indexOf('`', ticks); j !== -1; j = text.indexOf('`', j)) {
      let k = j;
      while (text[k] === '`') k++;
      this.spend(k - scanned);
      scanned = k;
      if (k - j === length) {
        let value = text.slice(ticks, j);
        // over a line break remark keeps the next line's indentation, which the joined text has lost
        if (value.includes('\n')) unsupported();
        // one space is stripped from each side when both have one and the span is not all blank
        if (value.length >= 2 && value.startsWith(' ') && value.endsWith(' ') && value.trim() !== '') value = value.slice(1, -1);
        this.push({ type: 'inlineCode', value, position: { start: this.at(i), end: this.at(k, true) } });
        return k;
      }
      j = k;
    }
    return this.plain(i, length);
  }

  private delimiterRun(i: number): number {
    const { text } = this;
    const char = text[i] as '*' | '_';
    let j = i;
    while (text[j] === char) j++;
    const before = i === 0 ? ' ' : text[i - 1];
    const after = j >= text.length ? ' ' : text[j];
    const afterSpace = WHITESPACE.test(after);
    const beforeSpace = WHITESPACE.test(before);
    const afterPunct = PUNCTUATION.test(after);
    const beforePunct = PUNCTUATION.test(before);
    const leftFlanking = !afterSpace && (!afterPunct || beforeSpace || beforePunct);
    const rightFlanking = !beforeSpace && (!beforePunct || afterSpace || afterPunct);
    const canOpen = char === '*' ? leftFlanking : leftFlanking && (!rightFlanking || beforePunct);
    const canClose = char === '*' ? rightFlanking : rightFlanking && (!leftFlanking || afterPunct);
    this.flushText();
    this.nodes.push({ type: 'text', value: text.slice(i, j), position: { start: this.at(i), end: this.at(j, true) }, delimiter: true });
    if (canOpen || canClose) {
      if (this.delimiters.length >= MAX_DELIMITERS) unsupported();
      this.delimiters.push({ char, node: this.nodes.length - 1, count: j - i, original: j - i, canOpen, canClose, active: true });
    }
    return j;
  }

  /** `[text](url)` or `![alt](url)`; anything else is literal text. */
  private link(i: number): number {
    const { text } = this;
    const image = text[i] === '!';
    const open = image ? i + 1 : i;
    const close = this.matchingBracket(open);
    if (close === -1 || text[close + 1] !== '(') {
      // with no definitions in the document (checked up front), `[text]` and `[text][ref]` are literal
      return this.plain(i, image ? 2 : 1);
    }
    const destination = this.destination(close + 2);
    if (!destination) unsupported();
    const label = text.slice(open + 1, close);
    const inner = new InlineParser(label, (index, end) => this.at(open + 1 + index, end)).parse();
    if (!image && containsLink(inner)) unsupported();
    const position = { start: this.at(i), end: this.at(destination.end, true) };
    if (image) {
      this.push({ type: 'image', url: destination.url, title: destination.title, alt: toString(inner, { includeHtml: false }), position });
    } else {
      this.push({ type: 'link', url: destination.url, title: destination.title, children: inner, position } satisfies Link);
    }
    return destination.end;
  }

  /** The `]` closing the bracket at `open`, skipping code spans and escapes; -1 when none. */
  private matchingBracket(open: number): number {
    const { text } = this;
    let depth = 0;
    for (let i = open; i < text.length; i++) {
      if (--this.budget < 0) unsupported();
      const c = text[i];
      if (c === '\\') i++;
      else if (c === '`') {
        let j = i;
        while (text[j] === '`') j++;
        const closing = text.indexOf('`'.repeat(j - i), j);
        if (closing !== -1) i = closing + (j - i) - 1;
        else i = j - 1;
      } else if (c === '[') depth++;
      else if (c === ']') {
        depth--;
        if (depth === 0) return i;
      } else if (c === '<') unsupported();
    }
    return -1;
  }

  /** `(url)`, `(<url>)`, `(url "title")`: its url, title and where it ends. */
  private destination(from: number): { url: string; title: string | null; end: number } | undefined {
    const { text } = this;
    let i = from;
    while (text[i] === ' ' || text[i] === '\n') i++;
    let url: string;
    if (text[i] === '<') {
      const end = text.indexOf('>', i);
      if (end === -1 || /[\n<\\]/.test(text.slice(i + 1, end))) unsupported();
      url = text.slice(i + 1, end);
      i = end + 1;
    } else {
      let depth = 0;
      const start = i;
      while (i < text.length) {
        const c = text[i];
        if (c === '\\' || c === '&' || c === '%') unsupported(); // escapes and encoding differ by parser
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0) break;
          depth--;
        } else if (c === ' ' || c === '\n' || c < ' ') break;
        i++;
      }
      if (depth !== 0) return undefined;
      url = text.slice(start, i);
    }
    while (text[i] === ' ' || text[i] === '\n') i++;
    let title: string | null = null;
    if (text[i] === '"' || text[i] === "'") {
      const quote = text[i];
      const end = text.indexOf(quote, i + 1);
      if (end === -1 || text.slice(i + 1, end).includes('\\')) unsupported();
      title = text.slice(i + 1, end);
      i = end + 1;
      while (text[i] === ' ' || text[i] === '\n') i++;
    } else if (text[i] === '(') unsupported();
    if (text[i] !== ')') return undefined;
    return { url, title, end: i + 1 };
  }

  /** `<https://…>` autolinks, inline HTML and comments; a lone `<` is text. */
  private angle(i: number): number {
    if (this.text.startsWith('<!--', i)) {
      if (this.text.startsWith('<!-->', i) || this.text.startsWith('<!--->', i)) unsupported();
      const close = this.text.indexOf('-->', i + 4);
      this.spend((close === -1 ? this.text.length : close) - i);
      if (close === -1) unsupported();
      const end = close + 3;
      this.push({ type: 'html', value: this.text.slice(i, end), position: { start: this.at(i), end: this.at(end, true) } });
      return end;
    }
    // tags and autolinks longer than this are left to remark
    const rest = this.text.slice(i, i + 256);
    const autolink = URI_AUTOLINK.exec(rest);
    if (autolink) {
      if (/[\\&%]/.test(autolink[1])) unsupported();
      const end = i + autolink[0].length;
      const value = autolink[1];
      this.push({ type: 'link', url: value, title: null, children: [{ type: 'text', value, position: { start: this.at(i + 1), end: this.at(end - 1, true) } }], position: { start: this.at(i), end: this.at(end, true) } });
      return end;
    }
    const html = OPEN_TAG.exec(rest) ?? CLOSE_TAG.exec(rest);
    if (html) {
      const end = i + html[0].length;
      this.push({ type: 'html', value: html[0], position: { start: this.at(i), end: this.at(end, true) } });
      return end;
    }
    if (/^<[A-Za-z/!?]/.test(rest)) unsupported();
    return this.plain(i, 1);
  }

  // -- emphasis (CommonMark's "process emphasis") --------------------------

  private processEmphasis(bottom: number): void {
    const openersBottom = new Map<string, number>();
    let closerIndex = bottom;
    while (closerIndex < this.delimiters.length) {
      const closer = this.delimiters[closerIndex];
      if (!closer.canClose || !closer.active) {
        closerIndex++;
        continue;
      }
      const key = `${closer.char}${closer.canOpen}${closer.original % 3}`;
      const floor = Math.max(openersBottom.get(key) ?? bottom, bottom);
      let openerIndex = -1;
      for (let k = closerIndex - 1; k >= floor; k--) {
        const opener = this.delimiters[k];
        if (!opener.active || opener.char !== closer.char || !opener.canOpen) continue;
        const odd = (opener.canClose || closer.canOpen) && (opener.original + closer.original) % 3 === 0 && !(opener.original % 3 === 0 && closer.original % 3 === 0);
        if (odd) continue;
        openerIndex = k;
        break;
      }
      if (openerIndex === -1) {
        openersBottom.set(key, closerIndex);
        if (!closer.canOpen) closer.active = false;
        closerIndex++;
        continue;
      }
      const opener = this.delimiters[openerIndex];
      const use = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
      this.wrap(opener, closer, use);
      // delimiters between the two are spent
      for (let k = openerIndex + 1; k < closerIndex; k++) this.delimiters[k].active = false;
      if (closer.count === 0) {
        closer.active = false;
        closerIndex++;
      }
      if (opener.count === 0) opener.active = false;
    }
  }

  /** Move the nodes between opener and closer into a strong or emphasis node. */
  private wrap(opener: Delimiter, closer: Delimiter, use: number): void {
    const openNode = this.nodes[opener.node] as Text;
    const closeNode = this.nodes[closer.node] as Text;
    opener.count -= use;
    closer.count -= use;
    openNode.value = openNode.value.slice(0, opener.count);
    closeNode.value = closeNode.value.slice(use);
    const children = this.nodes.slice(opener.node + 1, closer.node).filter((node) => !(node.type === 'text' && node.value === ''));
    const startPoint = shiftPoint(openNode.position!.end, -use);
    const endPoint = shiftPoint(closeNode.position!.start, use);
    openNode.position = { start: openNode.position!.start, end: shiftPoint(openNode.position!.end, -use) };
    closeNode.position = { start: shiftPoint(closeNode.position!.start, use), end: closeNode.position!.end };
    const node: Flat = {
      type: use === 2 ? 'strong' : 'emphasis',
      children: children.map(strip),
      position: { start: startPoint, end: endPoint },
    };
    // replace the range with the new node, keeping indices of the outer delimiters valid
    const removed = closer.node - opener.node - 1;
    this.nodes.splice(opener.node + 1, removed, node);
    for (const delimiter of this.delimiters) {
      if (delimiter.node >= closer.node) delimiter.node -= removed - 1;
    }
  }
}

/** Points only move within one line here (delimiter runs never span lines). */
function shiftPoint(point: Point | { line: number; column: number; offset?: number }, by: number): Point {
  return { line: point.line, column: point.column + by, offset: (point.offset ?? 0) + by };
}

/** Adjacent text nodes are merged and delimiter marks dropped, as remark leaves them. */
function strip(node: Flat): PhrasingContent {
  if ('delimiter' in node) {
    const { delimiter: _, ...rest } = node as Text & { delimiter?: boolean };
    return rest;
  }
  if ('children' in node) {
    return { ...node, children: mergeText((node.children as Flat[]).map(strip)) } as PhrasingContent;
  }
  return node;
}

function mergeText(nodes: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const node of nodes) {
    if (node.type === 'text' && node.value === '') continue;
    const previous = out.at(-1);
    if (node.type === 'text' && previous?.type === 'text') {
      out[out.length - 1] = { type: 'text', value: previous.value + node.value, position: { start: previous.position!.start, end: node.position!.end } };
    } else out.push(node);
  }
  return out;
}

function endsInParagraph(blocks: RootContent[]): boolean {
  const last = blocks.at(-1);
  if (last?.type === 'paragraph') return true;
  if (last?.type === 'list') return endsInParagraph(last.children.at(-1)?.children ?? []);
  return false;
}

function containsLink(nodes: PhrasingContent[]): boolean {
  return nodes.some((node) => node.type === 'link' || ('children' in node && containsLink(node.children as PhrasingContent[])));
}

// ---------------------------------------------------------------------------
// Helpers

/** A fence's opening line; a backtick fence's info string may not hold a backtick. */
function opensFence(text: string): RegExpExecArray | undefined {
  const match = FENCE.exec(text);
  return match && !(match[2][0] === '`' && match[3].includes('`')) ? match : undefined;
}

function leadingSpaces(text: string): number {
  let i = 0;
  while (text[i] === ' ') i++;
  return i;
}

function stripIndent(text: string, indent: number): string {
  const spaces = Math.min(indent, leadingSpaces(text));
  return text.slice(spaces);
}

/** `-`, `*`, `+` lists and `.`, `)` numbered lists do not continue each other. */
function listKind(marker: string): string {
  return /\d/.test(marker[0]) ? `ordered${marker.at(-1)}` : marker;
}

interface RowCell {
  text: string;
  /** Offset of the cell's text in the line. */
  start: number;
  /** The cell's extent including its pipes, in the line. */
  outerStart: number;
  outerEnd: number;
}

/** Split a table row on unescaped pipes, dropping the outer ones. */
function splitRow(line: string): RowCell[] | undefined {
  const cells: RowCell[] = [];
  let start = leadingSpaces(line);
  const end = line.trimEnd().length;
  let outerStart = start;
  if (line[start] === '|') start++;
  let i = start;
  for (; i < end; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') {
      cells.push({ text: line.slice(start, i), start, outerStart, outerEnd: i + 1 });
      outerStart = i;
      start = i + 1;
    }
  }
  if (start < end) cells.push({ text: line.slice(start, end), start, outerStart, outerEnd: end });
  return cells.length > 0 ? cells : undefined;
}
