import { pathsEndingWith, type FileIndex } from '../graph/resolve.ts';
import type { Reference } from '../schema.ts';
import type { Rule } from './rule.ts';

/** A line or range past the end of the file it names: the code moved or shrank. */
export const lineOutOfRange: Rule = {
  id: 'line-out-of-range',
  perFile: true,
  defaultSeverity: 'error',
  description: 'A reference names lines past the end of its file.',
  classes: {
    'past-end': { severity: 'error', description: 'the lines lie past the end of the file the reference names' },
    'other-file-of-that-name': {
      severity: 'warning',
      description:
        'a short name (`main.rs:124-137`) that several files end with was read as the one nearest the document, which names it no longer way, and whose end the lines pass, while one other file of that name holds them: which one it means is not sure, the full path says it',
    },
  },
  check({ graph, findings }) {
    const longest = longestSpellings(graph.references);
    return graph.references.flatMap((reference) => {
      if (reference.status !== 'ok' || !reference.lines || reference.targets.length !== 1) return [];
      const target = reference.targets[0];
      const lineCount = findings.lineCounts.get(target);
      const last = Math.max(reference.lines.start, reference.lines.end);
      if (lineCount === undefined || last <= lineCount) return [];
      const range = reference.lines.start === reference.lines.end ? `line ${reference.lines.start} is` : `lines ${reference.lines.start}-${reference.lines.end} are`;
      const message = `\`${target}\` has ${lineCount} line${lineCount === 1 ? '' : 's'}, so ${range} past its end`;
      // The document names the file read by a longer path elsewhere (`app/ai/gmo_ai.py` in its file table): it means that one.
      const named = (longest.get(`${reference.source.file}\0${target}`) ?? 0) > asWritten(reference).split('/').length;
      const holders = named ? [] : otherHolders(reference, target, last, findings);
      // One other file that holds the lines points at it; several (`handlers.go:75`) point nowhere.
      if (holders.length === 1) {
        return [
          {
            ...reference.source,
            reference: reference.id,
            class: 'other-file-of-that-name',
            message: `${message}; \`${reference.path}\` may mean \`${holders[0]}\`, which holds them`,
            suggestion: `write the full path of the file the lines are in (\`${holders[0]}\`?)`,
            evidence: [`\`${reference.path}\` ends several files' paths; \`${target}\`, the one read, is the nearest the document, and only \`${holders[0]}\` holds the lines`],
          },
        ];
      }
      return [
        {
          ...reference.source,
          reference: reference.id,
          class: 'past-end',
          message,
          suggestion: 'update the line numbers (`waymark fix` rewrites them when git shows where the lines went)',
        },
      ];
    });
  },
};

/** The path as written, without a leading `./`. */
function asWritten(reference: Reference): string {
  return (reference.path ?? '').replace(/^(?:\.\/)+/, '');
}

/** Per document and file it resolves a reference to, the most folders any of those references writes. */
function longestSpellings(references: readonly Reference[]): Map<string, number> {
  const longest = new Map<string, number>();
  for (const reference of references) {
    if (reference.status !== 'ok' || reference.targets.length !== 1 || !reference.path) continue;
    const key = `${reference.source.file}\0${reference.targets[0]}`;
    longest.set(key, Math.max(longest.get(key) ?? 0, asWritten(reference).split('/').length));
  }
  return longest;
}

/**
 * For a name written short (`main.rs`, `routes/tables.rs`) and read as one of the files it ends: the
 * other files it ends that hold line `last`. A path written in full has none.
 */
function otherHolders(reference: Reference, target: string, last: number, { index, lineCounts }: { index: FileIndex; lineCounts: ReadonlyMap<string, number> }): string[] {
  const written = asWritten(reference);
  if (!written || written.startsWith('../') || written.startsWith('/') || !target.endsWith(`/${written}`)) return [];
  // Written from the document's folder (`lb.tf` beside the runbook): that file is meant, not one of a name.
  const folder = reference.source.file.slice(0, reference.source.file.lastIndexOf('/') + 1);
  if (target === `${folder}${written}`) return [];
  return pathsEndingWith(index, written).filter((path) => path !== target && (lineCounts.get(path) ?? 0) >= last);
}
