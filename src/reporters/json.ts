import { PROBLEM_REPORT_SCHEMA_URL } from '../core/json-schemas.ts';
import type { ProblemReport } from '../core/schema.ts';
import { jsonText } from './escape.ts';
import { displayPath, type Reporter } from './report.ts';

/** `{ version, $schema, problems }` (see `ProblemReport`), paths prefixed like the other reporters. */
export const jsonReporter: Reporter = (report) => {
  const output: ProblemReport = {
    version: 1,
    $schema: PROBLEM_REPORT_SCHEMA_URL,
    problems: report.diagnostics.map((diagnostic) => ({ ...diagnostic, file: displayPath(report, diagnostic.file) })),
  };
  return `${jsonText(output, 2)}\n`;
};
