import { countBySeverity, displayPath, type Reporter } from './report.ts';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * File names and quoted values come from the repository: control characters
 * are shown as `\n`, `\x1b`, … so a name cannot break a line in two or send
 * escape sequences to the terminal.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const code = ch.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** `path:line:col  severity  message  rule-id`, one sorted line per problem, then a summary. */
export const textReporter: Reporter = (report) => {
  const lines = report.diagnostics.map((diagnostic) => {
    const where = `${displayPath(report, diagnostic.file)}:${diagnostic.line}:${diagnostic.column}`;
    const message = diagnostic.suggestion ? `${diagnostic.message}; ${diagnostic.suggestion}` : diagnostic.message;
    return printable(`${where}  ${diagnostic.severity}  ${message}  ${diagnostic.rule}`);
  });
  const counts = countBySeverity(report.diagnostics);
  const total = counts.error + counts.warning + counts.info;
  const summary =
    total === 0
      ? 'No problems found.'
      : `${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info)`;
  return [...lines, ...(lines.length ? [''] : []), summary, ''].join('\n');
};
