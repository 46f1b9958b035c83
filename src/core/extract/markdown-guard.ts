/**
 * A guard in front of remark's parser (micromark), for repositories Waymark
 * does not control. micromark's time is quadratic in the inline markup of one
 * paragraph, heading or table row: 64 KiB of `*a_` on one line take over a
 * minute, a 1 MiB line hours. Before a document is parsed, every such block
 * with more than {@link MAX_MARKUP} markup characters is blanked (its text
 * becomes spaces; line breaks, `>` markers and a table row's pipes stay, so
 * every other position is unchanged) and reported; the rest of the document
 * is read as usual.
 *
 * Blocks are found the way CommonMark splits them, erring on the side of
 * bigger blocks: a blank line, a heading, a bullet (or a list's next number),
 * a fence, and each row of a table start a new one. Anything else continues
 * the block, so a block here is never smaller than the paragraph micromark
 * sees, and the cost per block stays bounded.
 *
 * Pure and linear: one pass over the lines.
 */

/** Markup characters a block may hold: real paragraphs have a few dozen. */
export const MAX_MARKUP = 1000;

/** Characters micromark pairs up inline: emphasis, strikethrough, links, code spans, HTML. */
const MARKUP = new Set(['*', '_', '~', '[', ']', '`', '<']);

export interface SkippedBlock {
  /** 1-based line where the block starts. */
  line: number;
  /** Markup characters it holds. */
  markup: number;
}

export interface GuardedMarkdown {
  /** The text to parse: the input with over-complex blocks blanked. */
  text: string;
  /** The blocks blanked, in document order. */
  skipped: SkippedBlock[];
}

interface Line {
  start: number;
  end: number;
  /** Length of the container prefix: indentation and `>` markers. */
  prefix: number;
  /** `>` markers in the prefix. */
  quotes: number;
  /** Indentation after the `>` markers. */
  indent: number;
  /** The text after the prefix. */
  body: string;
}

interface Block {
  lines: Line[];
  markup: number;
  /** The block started with a list marker: `ordered` when numbered. */
  list?: 'bullet' | 'ordered';
  /** Keep `|` when blanking (table rows stay rows). */
  row?: boolean;
}

interface Fence {
  char: string;
  length: number;
  indent: number;
  quotes: number;
}

const PREFIX = /^[ \t]*(?:>[ \t]*)*/;
const BULLET = /^[-*+][ \t]+\S/;
const ORDERED = /^(\d{1,9})[.)][ \t]+\S/;
const HEADING = /^#{1,6}(?:[ \t]|$)/;
const DELIMITER_CELL = /^:?-+:?$/;

/**
 * Blank the blocks of `text` too complex to parse safely.
 *
 * @example
 * guardMarkdown(`# Title\n\n${'*a_'.repeat(5000)}\n`).skipped; // [{ line: 3, markup: 10000 }]
 */
export function guardMarkdown(text: string): GuardedMarkdown {
  if (typeof text !== 'string') return { text: '', skipped: [] };
  const guard = new Guard(text);
  guard.run();
  return { text: guard.result(), skipped: guard.skipped };
}

class Guard {
  readonly skipped: SkippedBlock[] = [];
  /** `[start, end, keepPipes]` ranges to blank. */
  private readonly blanks: Array<[number, number, boolean]> = [];
  private block: Block | undefined;
  private fence: Fence | undefined;
  /** Inside a table: the `>` depth of its rows. */
  private table: number | undefined;
  private lineNumber = 0;
  private blockLine = 0;

  constructor(private readonly text: string) {}

  run(): void {
    for (const line of this.lines()) {
      this.lineNumber++;
      this.onLine(line);
    }
    this.flush();
  }

  result(): string {
    if (this.blanks.length === 0) return this.text;
    let out = '';
    let at = 0;
    for (const [start, end, keepPipes] of this.blanks) {
      out += this.text.slice(at, start) + blankOut(this.text.slice(start, end), keepPipes);
      at = end;
    }
    return out + this.text.slice(at);
  }

  private *lines(): Generator<Line> {
    const { text } = this;
    let start = 0;
    while (start <= text.length) {
      let end = start;
      while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
      const content = text.slice(start, end);
      const prefix = PREFIX.exec(content)![0];
      const quotes = countChar(prefix, '>');
      const afterQuotes = prefix.slice(prefix.lastIndexOf('>') + 1);
      yield { start, end, prefix: prefix.length, quotes, indent: afterQuotes.replace(/\t/g, '    ').length, body: content.slice(prefix.length) };
      if (end >= text.length) break;
      start = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
    }
  }

  private onLine(line: Line): void {
    if (this.fence) {
      if (!this.leavesFence(line)) {
        if (this.closesFence(line)) this.fence = undefined;
        return;
      }
      this.fence = undefined; // its container ended: the line is markdown again
    }
    if (line.body.trim() === '') {
      this.flush();
      this.table = undefined;
      return;
    }
    const fence = line.indent <= 3 ? /^(`{3,}|~{3,})(.*)$/.exec(line.body) : null;
    if (fence && !(fence[1][0] === '`' && fence[2].includes('`'))) {
      this.flush();
      this.table = undefined;
      this.fence = { char: fence[1][0], length: fence[1].length, indent: line.indent, quotes: line.quotes };
      return;
    }
    if (this.table !== undefined && (line.quotes !== this.table || !line.body.startsWith('|'))) this.table = undefined;
    if (this.table === undefined && this.startsTable(line)) {
      // Header and delimiter row: from here on, each row's cells are parsed apart.
      this.flush();
      this.table = line.quotes;
      return;
    }
    if (this.table !== undefined) {
      this.flush();
      this.add(line, { row: true });
      this.flush();
      return;
    }
    if (line.indent <= 3 && HEADING.test(line.body)) {
      this.flush();
      this.add(line, {});
      this.flush();
      return;
    }
    const list = this.listStart(line);
    if (list) this.flush();
    this.add(line, list ? { list } : {});
  }

  /** A delimiter row right under a one-line header with as many cells: only then is it a GFM table. */
  private startsTable(line: Line): boolean {
    const header = this.block?.lines.length === 1 ? this.block.lines[0] : undefined;
    if (!header || line.indent > 3 || !line.body.includes('|') || !isDelimiterRow(line.body)) return false;
    return header.quotes === line.quotes && cellCount(header.body) === cellCount(line.body);
  }

  /** A list marker that starts a new paragraph in CommonMark (an ordered one interrupts only as `1.` or inside an ordered list). */
  private listStart(line: Line): Block['list'] {
    if (line.indent > 3) return undefined;
    if (BULLET.test(line.body)) return 'bullet';
    const ordered = ORDERED.exec(line.body);
    if (!ordered) return undefined;
    return !this.block || Number(ordered[1]) === 1 || this.block.list === 'ordered' ? 'ordered' : undefined;
  }

  /**
   * A line outside the fence's container: fewer `>`, or less indentation than
   * an indented fence (which may sit in a list item). When in doubt the fence
   * counts as ended, so its lines are counted rather than skipped.
   */
  private leavesFence(line: Line): boolean {
    const fence = this.fence!;
    if (line.body.trim() === '') return false;
    return line.quotes < fence.quotes || (fence.indent > 0 && line.indent < fence.indent);
  }

  private closesFence(line: Line): boolean {
    const fence = this.fence!;
    const close = /^(`{3,}|~{3,})[ \t]*$/.exec(line.body);
    return !!close && line.indent <= 3 && close[1][0] === fence.char && close[1].length >= fence.length;
  }

  private add(line: Line, kind: { list?: Block['list']; row?: boolean }): void {
    if (!this.block) {
      this.block = { lines: [], markup: 0, ...kind };
      this.blockLine = this.lineNumber;
    }
    this.block.lines.push(line);
    this.block.markup += countMarkup(line.body);
  }

  private flush(): void {
    const block = this.block;
    this.block = undefined;
    if (!block || block.markup <= MAX_MARKUP) return;
    this.skipped.push({ line: this.blockLine, markup: block.markup });
    // Container prefixes (`>`, indentation) stay; a kept list marker alone under a paragraph would turn it into a heading.
    for (const line of block.lines) this.blanks.push([line.start + line.prefix, line.end, block.row === true]);
  }
}

function countChar(text: string, ch: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === ch) count++;
  return count;
}

function countMarkup(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (MARKUP.has(text[i])) count++;
  return count;
}

function blankOut(text: string, keepPipes: boolean): string {
  return text.replace(keepPipes ? /[^|]/g : /./gsu, (ch) => ' '.repeat(ch.length));
}

/**
 * `| --- | :-: |`: cells of dashes with optional colons. Split and checked
 * cell by cell: as one regex, the blanks around each cell could be matched
 * two ways, and a long run of them backtracked quadratically.
 */
function isDelimiterRow(row: string): boolean {
  const cells = row.trim().split('|');
  if (cells[0].trim() === '') cells.shift();
  if (cells.length > 0 && cells[cells.length - 1].trim() === '') cells.pop();
  return cells.length > 0 && cells.every((cell) => DELIMITER_CELL.test(cell.trim()));
}

/** Cells of a table row: unescaped `|` separators, outer pipes dropped. */
function cellCount(row: string): number {
  let body = row.trim();
  if (body.startsWith('|')) body = body.slice(1);
  if (body.endsWith('|') && !body.endsWith('\\|')) body = body.slice(0, -1);
  let cells = 1;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') i++;
    else if (body[i] === '|') cells++;
  }
  return cells;
}
