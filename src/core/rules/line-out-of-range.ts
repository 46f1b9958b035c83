import type { Rule } from './rule.ts';

/** A line or range past the end of the file it names: the code moved or shrank. */
export const lineOutOfRange: Rule = {
  id: 'line-out-of-range',
  perFile: true,
  defaultSeverity: 'error',
  description: 'A reference names lines past the end of its file.',
  check({ graph, findings }) {
    return graph.references.flatMap((reference) => {
      if (reference.status !== 'ok' || !reference.lines || reference.targets.length !== 1) return [];
      const target = reference.targets[0];
      const lineCount = findings.lineCounts.get(target);
      if (lineCount === undefined || Math.max(reference.lines.start, reference.lines.end) <= lineCount) return [];
      const range =
        reference.lines.start === reference.lines.end
          ? `line ${reference.lines.start} is`
          : `lines ${reference.lines.start}-${reference.lines.end} are`;
      return [
        {
          ...reference.source,
          reference: reference.id,
          message: `\`${target}\` has ${lineCount} line${lineCount === 1 ? '' : 's'}, so ${range} past its end`,
          suggestion: 'update the line numbers (`waymark fix` rewrites them when git shows where the lines went)',
        },
      ];
    });
  },
};
