import { terminalText } from './escape.ts';
import { displayPath, evidenceLines, messageWithSuggestion, problemSummary, type Reporter } from './report.ts';

/**
 * `path:line:col  severity  message  rule-id`, one sorted line per problem,
 * then a summary: the form scripts and `grep` read (`--format compact`, and
 * the default when stdout is not a terminal). Never coloured.
 */
export const compactReporter: Reporter = (report) => {
  const lines = report.diagnostics.flatMap((diagnostic) => {
    const where = `${displayPath(report, diagnostic.file)}:${diagnostic.line}:${diagnostic.column}`;
    // File names and quoted values come from the repository: one escaping for every text output.
    return [terminalText(`${where}  ${diagnostic.severity}  ${messageWithSuggestion(diagnostic)}  ${diagnostic.rule}`), ...evidenceLines(diagnostic, '    ')];
  });
  return [...lines, ...(lines.length ? [''] : []), problemSummary(report.diagnostics), ''].join('\n');
};
