/**
 * JSON with comments, the way `tsconfig.json` and VS Code settings allow it:
 * `//` and `/* … *\/` comments and trailing commas. `waymark init` writes a
 * commented `waymark.config.json`, and commenting a field out must not leave
 * a config that no longer parses.
 */

/**
 * Blank out comments and trailing commas (outside strings) with spaces, so
 * `JSON.parse` accepts the text and its error positions still point at the
 * original line and column.
 *
 * @example
 * JSON.parse(stripJsonComments('{ "a": 1, // one\n }')); // { a: 1 }
 */
export function stripJsonComments(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  };
  let pendingComma = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      pendingComma = -1;
      i = endOfString(text, i);
    } else if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop - 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop - 1;
    } else if (ch === ',') {
      pendingComma = i;
    } else if (ch === '}' || ch === ']') {
      if (pendingComma >= 0) out[pendingComma] = ' ';
      pendingComma = -1;
    } else if (!/\s/.test(ch)) {
      pendingComma = -1;
    }
  }
  return out.join('');
}

/** Index of the closing quote of the string opening at `start` (or the end of the text). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
