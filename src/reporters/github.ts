import { displayPath, type Reporter } from './report.ts';

const commands = { error: 'error', warning: 'warning', info: 'notice' } as const;

// Workflow commands treat these characters as syntax; GitHub documents the escapes.
const escapeData = (value: string) => value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (value: string) => escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`. */
export const githubReporter: Reporter = (report) =>
  report.diagnostics
    .map((diagnostic) => {
      const properties = [
        `file=${escapeProperty(displayPath(report, diagnostic.file))}`,
        `line=${diagnostic.line}`,
        `col=${diagnostic.column}`,
        `title=${escapeProperty(`waymark ${diagnostic.rule}`)}`,
      ].join(',');
      const message = diagnostic.suggestion ? `${diagnostic.message}; ${diagnostic.suggestion}` : diagnostic.message;
      return `::${commands[diagnostic.severity]} ${properties}::${escapeData(message)}\n`;
    })
    .join('');
