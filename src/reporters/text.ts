import { terminalText } from './escape.ts';
import { countBySeverity, displayPath, type Reporter } from './report.ts';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `path:line:col  severity  message  rule-id`, one sorted line per problem, then a summary. */
export const textReporter: Reporter = (report) => {
  const lines = report.diagnostics.map((diagnostic) => {
    const where = `${displayPath(report, diagnostic.file)}:${diagnostic.line}:${diagnostic.column}`;
    const message = diagnostic.suggestion ? `${diagnostic.message}; ${diagnostic.suggestion}` : diagnostic.message;
    // File names and quoted values come from the repository: one escaping for every text output.
    const why = (diagnostic.evidence ?? []).map((reason) => `\n    because ${terminalText(reason)}`).join('');
    return terminalText(`${where}  ${diagnostic.severity}  ${message}  ${diagnostic.rule}`) + why;
  });
  const counts = countBySeverity(report.diagnostics);
  const total = counts.error + counts.warning + counts.info;
  const summary =
    total === 0
      ? 'No problems found.'
      : `${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info)`;
  return [...lines, ...(lines.length ? [''] : []), summary, ''].join('\n');
};
