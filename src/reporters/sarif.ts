import { rules } from '../core/rules/index.ts';
import { ruleDocsUrl } from '../core/rules/rule-docs.ts';
import { jsonText } from './escape.ts';
import { displayPath, type Reporter } from './report.ts';

const levels = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * A path as a relative URI reference. Each segment is encoded whole: `encodeURI`
 * would leave `#` and `?` (a file `c#-notes.md` would become a fragment) and a
 * leading `a:` (read as a scheme).
 */
const toUri = (file: string) => file.split('/').map(encodeURIComponent).join('/');

/** SARIF 2.1.0 as GitHub code scanning accepts it: rules in the driver, one result per diagnostic. */
export const sarifReporter: Reporter = (report) => {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'waymark',
            version: report.version,
            informationUri: 'https://www.npmjs.com/package/waymark',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.description },
              helpUri: ruleDocsUrl(rule.id, report.version),
              defaultConfiguration: { level: levels[rule.defaultSeverity] },
            })),
          },
        },
        results: report.diagnostics.map((diagnostic) => ({
          ruleId: diagnostic.rule,
          ruleIndex: ruleIndex.get(diagnostic.rule),
          level: levels[diagnostic.severity],
          message: { text: diagnostic.suggestion ? `${diagnostic.message}; ${diagnostic.suggestion}` : diagnostic.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(displayPath(report, diagnostic.file)), uriBaseId: '%SRCROOT%' },
                region: { startLine: diagnostic.line, startColumn: diagnostic.column },
              },
            },
          ],
          // The baseline's fingerprint: code scanning follows an alert across commits as the baseline does.
          partialFingerprints: report.fingerprint
            ? { 'waymark/v1': report.fingerprint(diagnostic) }
            : { waymarkLocation: `${diagnostic.rule}:${diagnostic.file}:${diagnostic.message}` },
        })),
      },
    ],
  };
  return `${jsonText(sarif, 2)}\n`;
};
