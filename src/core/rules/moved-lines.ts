import { commitDay, UNCOMMITTED, type CommitInfo } from '../history/history.ts';
import { SAME_CODE_SIMILARITY } from '../history/line-map.ts';
import { relocations, rewriteReference, type Relocation } from '../history/relocate.ts';
import type { Finding, Rule } from './rule.ts';

/**
 * The lines a document cites are no longer where the reference says: they
 * moved, their file was renamed, or they were deleted or rewritten since the
 * reference was written. Clean moves carry the exact replacement text, which
 * `waymark fix` applies.
 */
export const movedLines: Rule = {
  id: 'moved-lines',
  perFile: true,
  defaultSeverity: 'warning',
  description: 'The lines a document cites moved, their file was renamed, or they were deleted or rewritten since the reference was written.',
  check({ graph, history }) {
    if (!history) return [];
    return relocations(graph, history).flatMap((relocation) => {
      const found = describe(relocation);
      if (!found) return [];
      const { reference } = relocation.cited;
      return [{ ...reference.source, reference: reference.id, ...found }];
    });
  },
};

function describe(relocation: Relocation): Pick<Finding, 'message' | 'suggestion'> | undefined {
  const { lines, file, path, base, newText } = relocation;
  const since = sinceWritten(base);
  const fix = newText === undefined ? undefined : `\`${newText}\` (run \`waymark fix\`)`;
  // A path-only reference to a renamed file is `missing-file`'s (class `renamed`), with the same fix.
  if (file) return undefined;
  const written = relocation.cited.reference.lines;
  if (!lines || !written || lines.kind === 'unchanged') return undefined;
  const old = span(written.start, written.end);
  const single = written.start === written.end;
  const were = single ? 'was' : 'were';
  const are = single ? 'is' : 'are';
  if (lines.kind === 'deleted') {
    return {
      message: lines.file ? `\`${path}\` was deleted ${since}` : `${old} of \`${path}\` ${were} deleted ${since}`,
      suggestion: 'point the reference at the code that replaced them, or remove it',
    };
  }
  const stayed = lines.start === written.start && lines.end === written.end;
  const renamed = lines.path !== path;
  // Rewritten in place is what `stale-reference` reports; here only when the range itself drifted.
  if (lines.kind === 'rewritten' && !renamed && stayed) return undefined;
  const now = bare(lines.start, lines.end);
  const approximate = lines.kind === 'rewritten' && !lines.exact;
  // No guess at the new place unless it is demonstrably the same code.
  if (approximate && lines.similarity < SAME_CODE_SIMILARITY) {
    return {
      message: renamed ? `\`${path}\` was renamed to \`${lines.path}\` ${since}; ${old} ${were} rewritten` : `${old} of \`${path}\` ${were} rewritten ${since}`,
      suggestion: 'check the code and update the range',
    };
  }
  const edits = lines.kind === 'rewritten' && lines.exact ? ', with edits inside,' : '';
  let message: string;
  if (!renamed) {
    message = approximate
      ? `${old} of \`${path}\` ${were} rewritten ${since}; now about ${span(lines.start, lines.end)}`
      : edits
        ? `${old} of \`${path}\` ${are} now ${now}${edits} ${since}`
        : `${old} of \`${path}\` moved to ${now} ${since}`;
  } else {
    const tail = approximate
      ? `; ${old} ${were} rewritten and ${are} now about ${now}`
      : stayed && !edits
        ? ''
        : `; ${old} ${are} now ${now}${edits.replace(/,$/, '')}`;
    message = `\`${path}\` was renamed to \`${lines.path}\` ${since}${tail}`;
  }
  if (!approximate) return { message, suggestion: fix ?? `point the reference at \`${lines.path}\` ${span(lines.start, lines.end)}` };
  const guess = rewriteReference(relocation.cited.reference, relocation.cited.document.path, path, lines.path, lines);
  return { message, suggestion: guess ? `check the code and the range, perhaps \`${guess}\`` : 'check the code and update the range' };
}

function sinceWritten(base: CommitInfo): string {
  if (base.hash === UNCOMMITTED) return 'since the reference was written';
  return `since the reference was written in ${base.short} (${commitDay(base)})`;
}

function span(start: number, end: number): string {
  return start === end ? `line ${start}` : `lines ${start}-${end}`;
}

function bare(start: number, end: number): string {
  return start === end ? `${start}` : `${start}-${end}`;
}
