/**
 * One escaping function per output format, for every path and value that
 * comes from a repository, its config or a server and is printed: a name or
 * URL must not break a line in two, forge a `::error::` workflow command, send
 * escape sequences to a terminal or turn text around with a bidi override.
 */

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the
 * bidi embeddings, overrides, isolates and marks (a U+202E in a file name
 * shows `txt.exe` as `exe.txt`).
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same, without the C0 range. */
const INVISIBLE_BEYOND_C0 = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function shown(ch: string): string {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  const code = ch.charCodeAt(0);
  return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
}

/** Text for a terminal or a plain log: every control and bidi character shown as `\n`, `\x1b`, `\u202e`. */
export function terminalText(text: string): string {
  return text.replace(INVISIBLE, shown);
}

/**
 * Text with line breaks of its own (a message of several lines, a stack),
 * each line made safe for a terminal.
 */
export function terminalLines(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}

/**
 * The message part of a GitHub workflow command (`::error …::<data>`): `%`,
 * CR and LF as GitHub's runner decodes them (%25, %0D, %0A), so a value can
 * never start a line of its own; other controls shown as in a terminal.
 */
export function workflowData(text: string): string {
  return text
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(INVISIBLE, shown);
}

/** A property value of a workflow command (`file=…,title=…`): as data, plus `:` → %3A and `,` → %2C. */
export function workflowProperty(text: string): string {
  return workflowData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * JSON text. `JSON.stringify` escapes C0 controls but writes C1 controls,
 * DEL, the line separators and bidi characters as they are; these become
 * `\u` escapes, which parse back to the same value.
 */
export function jsonText(value: unknown, indent?: number): string {
  // Not the C0 range: stringify escapes those inside strings, and the raw ones left are its own indentation.
  return JSON.stringify(value, null, indent).replace(INVISIBLE_BEYOND_C0, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Markdown: ASCII punctuation backslash-escaped (no link, emphasis, HTML or heading can start), controls shown as in a terminal. */
export function markdownText(text: string): string {
  // Inline text only (it never starts a line), so `-`, `+`, `.` and `#` cannot start a list or heading.
  return terminalText(text).replace(/[\\`*_[\]<>!|~&@$]/g, '\\$&');
}

/** Markdown code span around any text: a fence longer than every backtick run inside it (CommonMark), controls shown. */
export function markdownCode(text: string): string {
  const value = terminalText(text);
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') || value === '' ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}
