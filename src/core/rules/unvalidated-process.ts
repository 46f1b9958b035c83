import { titlePosition, type Rule } from './rule.ts';

/** A live process whose document has never recorded a validation. */
export const unvalidatedProcess: Rule = {
  id: 'unvalidated-process',
  defaultSeverity: 'warning',
  description: 'A process has never been validated.',
  check(context) {
    return context.graph.processes
      .filter((process) => !process.lastValidated && process.status !== 'deprecated')
      .map((process) => {
        const entry = context.findings.documentsByPath.get(process.file)?.metadata.find((item) => item.key === 'last validated');
        return {
          file: process.file,
          ...(entry ? { line: entry.line, column: 1 } : titlePosition(context, process.file)),
          message: `the process \`${process.name}\` has never been validated`,
          suggestion: 'validate it against the code and record the date in `Last Validated`',
        };
      });
  },
};
