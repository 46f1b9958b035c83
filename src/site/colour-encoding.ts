/**
 * A file's syntax colours as one short string, so a build can compute them
 * once (or take them from its cache) and hand them to the file page through
 * the content layer: each token is its kind letter (`.` for plain text) and
 * its length in the line, lines joined by `\n`. The text itself is not
 * repeated: the page has the file's lines. `-` says "shown plain".
 *
 * @example
 * encodeColours(['let a'], [[{ text: 'let', kind: 'k' }, { text: ' a' }]]); // 'k3.2'
 */
import type { ColouredToken } from './highlight.ts';

/** The encoding of "no colours: the file is shown plain". */
export const PLAIN = '-';

const TOKEN = /([a-z.])(\d+)/g;

/**
 * `tokens` (one list per line of `lines`) as a string; undefined when the
 * tokens do not spell the lines exactly, which the encoding could not keep.
 */
export function encodeColours(lines: readonly string[], tokens: readonly ColouredToken[][] | undefined): string | undefined {
  if (!tokens) return PLAIN;
  if (tokens.length !== lines.length) return undefined;
  const out: string[] = [];
  for (const [i, line] of tokens.entries()) {
    let code = '';
    let at = 0;
    for (const token of line) {
      const kind = token.kind ?? '.';
      if (!/^[a-z.]$/.test(kind) || lines[i].slice(at, at + token.text.length) !== token.text) return undefined;
      code += `${kind}${token.text.length}`;
      at += token.text.length;
    }
    if (at !== lines[i].length) return undefined;
    out.push(code);
  }
  return out.join('\n');
}

/** The tokens `encodeColours` encoded, cut from `lines` again; undefined for {@link PLAIN} or a code that does not fit the lines. */
export function decodeColours(lines: readonly string[], code: string): ColouredToken[][] | undefined {
  if (code === PLAIN) return undefined;
  const codes = code.split('\n');
  if (codes.length !== lines.length) return undefined;
  return codes.map((lineCode, i) => {
    const line = lines[i];
    const tokens: ColouredToken[] = [];
    let at = 0;
    for (const [, kind, length] of lineCode.matchAll(TOKEN)) {
      const text = line.slice(at, at + Number(length));
      at += Number(length);
      tokens.push(kind === '.' ? { text } : { text, kind });
    }
    return tokens;
  });
}
