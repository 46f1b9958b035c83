import { brokenLink, climbProblem } from '../graph/link-resolve.ts';
import type { Reference } from '../schema.ts';
import { didYouMean, type Finding, type Rule } from './rule.ts';

// -- markdown links (issue 12): said as GitHub resolves them; climbing above the root is GitHub's URL space (class 11), not a missing file.
const CLIMB_CLASSES = {
  'github-url': { severity: 'error', description: 'A link climbs above the repository root to a GitHub URL that is not a page of the repository (a 404).' },
  'other-repository': { severity: 'info', description: 'A link climbs out of the repository into another one on GitHub, which Waymark cannot check.' },
} as const;

function linkFinding(reference: Reference, github: string | undefined): Partial<Finding> | undefined {
  if (reference.origin !== 'link' || reference.kind !== 'path' || !reference.path) return undefined;
  const problem = climbProblem(reference.path, reference.source.file, github);
  if (!problem) return brokenLink(reference.path, reference.source.file, reference.candidates);
  return { message: problem.message, suggestion: problem.suggestion, class: problem.class, evidence: ['a markdown link, resolved in GitHub\'s URL space'] };
}
// --

/** A path or glob that matches no file. Files a plan intends to create are not expected to exist yet. */
export const missingFile: Rule = {
  id: 'missing-file',
  defaultSeverity: 'error',
  description: 'A reference names a file that does not exist in the repository.',
  classes: { ...CLIMB_CLASSES },
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
        ...linkFinding(reference, findings.github),
      }));
  },
};
