import { didYouMean } from '../text/did-you-mean.ts';
import type { Rule } from './rule.ts';

/** A path or glob that matches no file. Files a plan intends to create are not expected to exist yet. */
export const missingFile: Rule = {
  id: 'missing-file',
  defaultSeverity: 'error',
  description: 'A reference names a file that does not exist in the repository.',
  check({ graph, findings }) {
    return graph.references
      .filter((reference) => reference.status === 'missing' && (reference.kind === 'path' || reference.kind === 'glob'))
      .filter((reference) => !(reference.origin === 'files-modified' && findings.documentsByPath.get(reference.source.file)?.kind === 'plan'))
      // A folder named in prose (`build/`) is often generated; only a claimed reference must exist.
      .filter((reference) => !(reference.origin === 'mention' && reference.path?.endsWith('/')))
      .map((reference) => ({
        ...reference.source,
        reference: reference.id,
        message:
          reference.kind === 'glob'
            ? `no file matches \`${reference.path}\``
            : `\`${reference.path}\` does not exist`,
        suggestion: didYouMean(reference.candidates),
      }));
  },
};
