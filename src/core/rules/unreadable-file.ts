import { documentProblems, type Rule } from './rule.ts';

/** Files skipped as binary, oversized, invalid UTF-8 or outside the root, and documents that could not be parsed. */
export const unreadableFile: Rule = {
  id: 'unreadable-file',
  defaultSeverity: 'info',
  description: 'A file was skipped: binary, too large, not UTF-8, or a link out of the repository.',
  check(context) {
    const files = context.skipped.map((file) => ({ file: file.path, line: 1, column: 1, message: `skipped \`${file.path}\`: ${file.reason}` }));
    return [...files, ...documentProblems(context, 'unreadable-file')];
  },
};
