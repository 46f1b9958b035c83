/**
 * Lines of `text` as an editor numbers them: `\n`, `\r\n` and a lone `\r`
 * each end a line, and a final line break does not start another line.
 *
 * @example
 * countLines('a\r\nb\n') // → 2
 */
export function countLines(text: string): number {
  if (text === '') return 0;
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) lines++;
    // CRLF counts once.
    else if (code === 13 && text.charCodeAt(i + 1) !== 10) lines++;
  }
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13 ? lines - 1 : lines;
}
