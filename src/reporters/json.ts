import { jsonText } from './escape.ts';
import { displayPath, type Reporter } from './report.ts';

/** The diagnostics as a JSON array, paths prefixed like the other reporters. */
export const jsonReporter: Reporter = (report) =>
  `${jsonText(
    report.diagnostics.map((diagnostic) => ({ ...diagnostic, file: displayPath(report, diagnostic.file) })),
    2,
  )}\n`;
