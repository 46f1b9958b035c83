import { languageOf } from '../extract/languages.ts';
import { documentProblems, type Rule, type SkippedFile } from './rule.ts';

/**
 * Whether a skipped file is left out of the report: a symbolic link whose
 * target is read anyway, or binary content in a file whose name promises no
 * text Waymark reads (`.DS_Store`, `data.bin`). A `.md` or `.ps1` with NUL
 * bytes stays reported: it is likely UTF-16, and its markers would be lost.
 */
function isQuiet(file: SkippedFile): boolean {
  return file.kind === 'link' || (file.kind === 'binary' && languageOf(file.path) === 'unknown');
}

/** How many files were skipped without a word: for a summary line, never one line each. */
export function quietlySkipped(skipped: readonly SkippedFile[]): { binary: number; links: number } {
  const counts = { binary: 0, links: 0 };
  for (const file of skipped) if (isQuiet(file)) counts[file.kind === 'link' ? 'links' : 'binary']++;
  return counts;
}

/** Files skipped as binary, oversized, invalid UTF-8 or outside the root, and documents that could not be parsed. */
export const unreadableFile: Rule = {
  id: 'unreadable-file',
  perFile: true,
  defaultSeverity: 'info',
  description: 'A file was skipped: binary, too large, not UTF-8, or a link out of the repository.',
  check(context) {
    const files = context.skipped
      .filter((file) => !isQuiet(file))
      .map((file) => ({ file: file.path, line: 1, column: 1, message: `skipped \`${file.path}\`: ${file.reason}` }));
    return [...files, ...documentProblems(context, 'unreadable-file')];
  },
};
