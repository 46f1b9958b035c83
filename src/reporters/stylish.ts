import { styleText } from 'node:util';
import { ruleDocsUrl } from '../core/rules/rule-docs.ts';
import type { Diagnostic } from '../core/schema.ts';
import { terminalText } from './escape.ts';
import { countBySeverity, displayPath, evidenceLines, messageWithSuggestion, plural, problemSummary, type CheckReport, type Reporter } from './report.ts';

type Style = Parameters<typeof styleText>[0];

const SEVERITY_STYLE: Record<Diagnostic['severity'], Style> = { error: 'red', warning: 'yellow', info: 'cyan' };
const SEVERITY_ORDER: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2 };

/**
 * The report people read in a terminal, after ESLint's stylish: problems
 * grouped under their file, each starting with `path:line:col` so terminals
 * and editors open it on a click, then the totals and a summary by rule with
 * the link to each rule's page. Colour only when the caller says so.
 */
export const stylishReporter: Reporter = (report, options = {}) => {
  // Escaped first, styled after: the escapes Waymark adds are the only ones that reach the terminal.
  const paint = (style: Style, text: string) => (options.color ? styleText(style, text, { validateStream: false }) : text);
  const byFile = new Map<string, Diagnostic[]>();
  for (const diagnostic of report.diagnostics) {
    const list = byFile.get(diagnostic.file) ?? [];
    list.push(diagnostic);
    byFile.set(diagnostic.file, list);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    const shownFile = terminalText(displayPath(report, file));
    out.push(paint('underline', shownFile));
    const places = list.map((diagnostic) => `${shownFile}:${diagnostic.line}:${diagnostic.column}`);
    const placeWidth = Math.max(...places.map((place) => place.length));
    const severityWidth = Math.max(...list.map((diagnostic) => diagnostic.severity.length));
    list.forEach((diagnostic, index) => {
      const severity = paint(SEVERITY_STYLE[diagnostic.severity], diagnostic.severity.padEnd(severityWidth));
      const message = terminalText(messageWithSuggestion(diagnostic));
      out.push(`  ${places[index].padEnd(placeWidth)}  ${severity}  ${message}  ${paint('dim', terminalText(diagnostic.rule))}`);
      out.push(...evidenceLines(diagnostic, '      ').map((line) => paint('dim', line)));
    });
    out.push('');
  }
  const counts = countBySeverity(report.diagnostics);
  const summary = problemSummary(report.diagnostics);
  out.push(counts.error ? paint(['red', 'bold'], `✖ ${summary}`) : counts.warning ? paint(['yellow', 'bold'], `⚠ ${summary}`) : summary);
  const quiet = skippedSummary(report.quietlySkipped);
  if (quiet) out.push(paint('dim', quiet));
  const byRule = ruleSummary(report.diagnostics);
  if (byRule.length) {
    const countWidth = Math.max(...byRule.map((row) => row.count.length));
    const ruleWidth = Math.max(...byRule.map((row) => row.rule.length));
    out.push('');
    for (const row of byRule) {
      const url = ruleDocsUrl(row.rule, report.version);
      const text = `  ${row.count.padEnd(countWidth)}  ${terminalText(row.rule).padEnd(ruleWidth)}${url ? `  ${url}` : ''}`;
      out.push(text.trimEnd());
    }
  }
  out.push('');
  return out.join('\n');
};

/** One row per rule: `2 errors`, worst severity first, then most problems, then by id. */
function ruleSummary(diagnostics: Diagnostic[]): { rule: string; count: string }[] {
  const rows = new Map<string, { severity: Diagnostic['severity']; count: number }>();
  for (const diagnostic of diagnostics) {
    const key = `${diagnostic.rule}\u0000${diagnostic.severity}`;
    const row = rows.get(key) ?? { severity: diagnostic.severity, count: 0 };
    row.count++;
    rows.set(key, row);
  }
  return [...rows]
    .sort(([a, x], [b, y]) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || y.count - x.count || (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, row]) => ({ rule: key.split('\u0000')[0], count: row.severity === 'info' ? `${row.count} info` : plural(row.count, row.severity) }));
}

/** `Skipped 2 binary files and 1 symbolic link (its target is read).`, or nothing. */
function skippedSummary(skipped: CheckReport['quietlySkipped']): string | undefined {
  const parts = [
    ...(skipped?.binary ? [plural(skipped.binary, 'binary file')] : []),
    ...(skipped?.links ? [`${plural(skipped.links, 'symbolic link')} (${skipped.links === 1 ? 'its target is' : 'their targets are'} read)`] : []),
  ];
  return parts.length ? `Skipped ${parts.join(' and ')}.` : undefined;
}
