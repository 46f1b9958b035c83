import type { Rule } from './rule.ts';

const list = (items: string[]) => items.map((item) => `\`${item}\``).join(', ');

/**
 * A bare file name or task id that matches more than one thing, and that the
 * document's context (its folder, the section's folder, the subtree its other
 * references share) could not settle. A warning: the reader can still tell
 * which one is meant; the finding lists the candidates (issue 12, class 2).
 */
export const ambiguousReference: Rule = {
  id: 'ambiguous-reference',
  perFile: true,
  defaultSeverity: 'warning',
  description: 'A bare file name or task id matches more than one file or task, and its context does not say which.',
  check({ graph, findings }) {
    const paths = graph.references
      .filter((reference) => reference.status === 'ambiguous' && reference.kind !== 'id')
      .map((reference) => ({
        ...reference.source,
        reference: reference.id,
        message: `\`${reference.path}\` matches ${reference.candidates.length} files: ${list(reference.candidates)}`,
        suggestion: 'write the path from the repository root',
        evidence: [
          `${reference.candidates.length} paths end with \`${reference.path}\``,
          "neither the document's folder, nor a folder named earlier in its section, nor the subtree of its other references picks one",
        ],
      }));
    const tasks = findings.taskLookups.flatMap((lookup) =>
      lookup.outcome.status === 'ambiguous'
        ? [
            {
              file: lookup.file,
              line: lookup.line,
              column: lookup.column,
              reference: lookup.reference,
              message: `task \`${lookup.taskId}\` is defined in several places: ${list(lookup.outcome.keys)}`,
              suggestion: 'move the mention next to its plan, or name the plan',
            },
          ]
        : [],
    );
    return [...paths, ...tasks];
  },
};
