/**
 * A guard in front of the markdown parser (satteri), for repositories Waymark
 * does not control. satteri is linear on most input but not all of it
 * (measured with satteri 0.10, n against 4n):
 * - inline markup of one block: `*a_ ` repeated costs 12× at 4× the length
 *   (128 KB: 0.5 s, so a 1 MiB paragraph would take half a minute);
 * - a run of container markers on one line: 50k `>` take 1.5 s, 64k `- ` 1.2 s,
 *   both growing with the square of the run;
 * - the cells of one table row: 4,000 cells cost 10× what 1,000 do.
 * Before a document is parsed, every block with more than {@link MAX_MARKUP}
 * markup characters, and every line with more than {@link MAX_MARKERS}
 * leading `>`/list markers or {@link MAX_CELLS} pipes, is blanked (its text
 * becomes spaces; line breaks, `>` markers and a table row's pipes stay, so
 * every other position is unchanged) and reported; the rest of the document
 * is read as usual. A document over {@link MAX_CHARS} is not parsed at all.
 * Nesting depth is bounded after parsing (see `markdown-parse.ts`).
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
/** Leading `>` and list markers one line may hold: real documents nest a handful. */
export const MAX_MARKERS = 64;
/** Pipes one line may hold: real tables have a few dozen columns. */
export const MAX_CELLS = 500;
/** Longest document parsed: sixteen times the default `maxFileSize` (1 MiB), for users who raise it; linear parsing keeps that to seconds. */
export const MAX_CHARS = 16 * 1024 * 1024;

/** Characters micromark pairs up inline: emphasis, strikethrough, links, code spans, HTML. */
const MARKUP = new Set(['*', '_', '~', '[', ']', '`', '<']);

export interface SkippedBlock {
  /** 1-based line where the block starts. */
  line: number;
  /** Why it is skipped, as a phrase completing "the block on line N …". */
  reason: string;
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
  if (text.length > MAX_CHARS) {
    return { text: '', skipped: [{ line: 1, reason: `starts a document of ${text.length} characters, more than the ${MAX_CHARS} Waymark parses` }] };
  }
  // Most documents come nowhere near a limit: one pass over their characters says so, and nothing is blanked.
  if (withinLimits(text)) return { text, skipped: [] };
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
  private lastOverrun = -1;

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
    const overrun = lineOverrun(this.text.slice(line.start, line.end));
    if (overrun) {
      // Inside a fence too: the guard's idea of where a fence ends may differ from the parser's.
      if (!this.fence) {
        this.flush();
        this.table = undefined;
      }
      // A run of such lines is one report: a hostile file would otherwise make one per line.
      if (this.lastOverrun !== this.lineNumber - 1) this.skipped.push({ line: this.lineNumber, reason: overrun });
      this.lastOverrun = this.lineNumber;
      this.blanks.push([line.start, line.end, false]);
      return;
    }
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
    this.skipped.push({
      line: this.blockLine,
      reason: `has ${block.markup} markup characters (\`*\`, \`_\`, \`[\`, …), more than the ${MAX_MARKUP} Waymark reads in one block`,
    });
    // Container prefixes (`>`, indentation) stay; a kept list marker alone under a paragraph would turn it into a heading.
    for (const line of block.lines) this.blanks.push([line.start + line.prefix, line.end, block.row === true]);
  }
}

/** A markup character or a `|`, or a line break (with the blanks of the line it starts, when they are all it holds). */
const COUNTED = /[*_~[\]`<|]|\n(?:[ \t]*(?=\n))?/g;
/**
 * A line opening more than {@link MAX_MARKERS} quotes or lists, as
 * `leadingMarkers` counts them (`^` also matches after `\r` and U+2028/9:
 * more lines, never fewer).
 */
const TOO_MANY_MARKERS = new RegExp(`^[ \\t]*(?:(?:>|[-*+][ \\t]|[0-9]{1,10}[.)][ \\t])[ \\t]*){${MAX_MARKERS + 1}}`, 'm');

/**
 * Whether the guard would blank nothing in `text`: no line over a line
 * limit, and no run of non-blank lines with more markup than one block may
 * hold. A blank line always ends the guard's block (a fence holds no block),
 * so every block lies within one such run and its markup is part of the
 * run's. Regex searches, not a loop over every character: on the 3.9 MB of
 * documents of a 750-file repository, one cold pass took 134 ms with the
 * loop (and the whole text as one run), 60 ms this way. Text with a `\r`
 * (cleaned text has none) takes the exact walk.
 */
function withinLimits(text: string): boolean {
  if (text.includes('\r') || TOO_MANY_MARKERS.test(text)) return false;
  let markup = 0;
  let pipes = 0;
  COUNTED.lastIndex = 0;
  while (COUNTED.test(text)) {
    const code = text.charCodeAt(COUNTED.lastIndex - 1);
    if (code === 124) {
      if (++pipes > MAX_CELLS) return false;
    } else if (code === 10 || code === 32 || code === 9) {
      pipes = 0;
      // A blank line (it matched with its blanks, or a line break follows) ends the run.
      if (code !== 10 || text.charCodeAt(COUNTED.lastIndex) === 10) markup = 0;
    } else if (++markup > MAX_MARKUP) return false;
  }
  return true;
}

/** Why one line is too much for the parser on its own, or undefined. */
function lineOverrun(line: string): string | undefined {
  const markers = leadingMarkers(line);
  if (markers > MAX_MARKERS) return `opens more than ${MAX_MARKERS} quotes or lists on one line`;
  const pipes = countChar(line, '|');
  if (pipes > MAX_CELLS) return `has ${pipes} \`|\` on one line, more than the ${MAX_CELLS} Waymark reads in a table row`;
  return undefined;
}

/**
 * `>` and list markers (`-`, `*`, `+`, `1.`, `1)`) before a line's text,
 * counted up to one past the cap; from `start` of a longer text, the line
 * break ends the count as the end of a line would.
 */
function leadingMarkers(line: string, start = 0): number {
  let count = 0;
  let i = start;
  while (i < line.length && count <= MAX_MARKERS) {
    const ch = line[i];
    if (ch === ' ' || ch === '\t') i++;
    else if (ch === '>') {
      count++;
      i++;
    } else if ((ch === '-' || ch === '*' || ch === '+') && (line[i + 1] === ' ' || line[i + 1] === '\t')) {
      count++;
      i += 2;
    } else {
      let end = i;
      while (end < line.length && end - i < 10 && line[end] >= '0' && line[end] <= '9') end++;
      if (end === i || (line[end] !== '.' && line[end] !== ')') || (line[end + 1] !== ' ' && line[end + 1] !== '\t')) break;
      count++;
      i = end + 2;
    }
  }
  return count;
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
