import { workflowData, workflowProperty } from './escape.ts';
import { displayPath, type Reporter } from './report.ts';

const commands = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`. */
export const githubReporter: Reporter = (report) =>
  report.diagnostics
    .map((diagnostic) => {
      const properties = [
        `file=${workflowProperty(displayPath(report, diagnostic.file))}`,
        `line=${diagnostic.line}`,
        `col=${diagnostic.column}`,
        `title=${workflowProperty(`waymark ${diagnostic.rule}`)}`,
      ].join(',');
      const message = diagnostic.suggestion ? `${diagnostic.message}; ${diagnostic.suggestion}` : diagnostic.message;
      return `::${commands[diagnostic.severity]} ${properties}::${workflowData(message)}\n`;
    })
    .join('');
