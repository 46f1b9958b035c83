import { isFileName } from '../extract/reference-parse.ts';
import type { Reference } from '../schema.ts';
import { didYouMean, type Rule } from './rule.ts';

/** A path or glob that matches no file. Files a plan intends to create are not expected to exist yet. */
export const missingFile: Rule = {
  id: 'missing-file',
  defaultSeverity: 'error',
  description: 'A reference names a file that does not exist in the repository.',
  classes: {
    'other-repository': {
      severity: 'info',
      description: 'The path points into another repository (it climbs out of this one, or starts with an `externalRoots` name), which Waymark cannot see.',
    },
    'unmatched-folder': {
      severity: 'info',
      description: 'A folder mentioned in prose (`build/`, `shadcn/ui`) that matches nothing: often generated, or not a path at all; only a file name or an explicit reference must exist.',
    },
    'pattern': {
      severity: 'info',
      description: 'A glob with no literal folder (`**/*.mdx`, `*.tf`) describes files rather than names one; matching nothing is not a broken reference.',
    },
  },
  check({ graph, findings }) {
    return graph.references
      .filter((reference) => reference.status === 'missing' && (reference.kind === 'path' || reference.kind === 'glob'))
      .filter((reference) => !(reference.origin === 'files-modified' && findings.documentsByPath.get(reference.source.file)?.kind === 'plan'))
      .map((reference) => ({
        ...reference.source,
        reference: reference.id,
        message:
          reference.outside === 'other-repository'
            ? `\`${reference.path}\` is in another repository, which Waymark cannot check`
            : reference.kind === 'glob'
              ? `no file matches \`${reference.path}\``
              : `\`${reference.path}\` does not exist`,
        suggestion: didYouMean(reference.candidates),
        ...tokenClass(reference),
      }));
  },
};

// --- where the path points (h-tokens): classes decided by the token's shape and resolution ---

function tokenClass(reference: Reference): { class?: string; evidence?: string[] } {
  const path = reference.path ?? '';
  if (reference.outside === 'other-repository') {
    return { class: 'other-repository', evidence: ['the path leaves this repository: another repository holds it'] };
  }
  if (reference.kind === 'glob' && !/^[^*?[{]*\//.test(path.replace(/^(?:\.\.?\/)+/, ''))) {
    return { class: 'pattern', evidence: ['a glob without a literal folder describes files, it names none'] };
  }
  // `scripts/hooks/*` in prose is the folder `scripts/hooks/` by another name: the same rule.
  const folderGlob = reference.kind === 'glob' && /^[^*?[{]+\/\*{1,2}$/.test(path);
  if (reference.origin === 'mention' && ((reference.kind === 'path' && isFolderShaped(path)) || folderGlob)) {
    return { class: 'unmatched-folder', evidence: ['a folder-shaped mention (no file name) that matches nothing'] };
  }
  return {};
}

/** `build/`, `src/lib`, `shadcn/ui`: ends in a slash, or its last segment has no extension and it has a folder. */
function isFolderShaped(path: string): boolean {
  if (path.endsWith('/')) return true;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return path.includes('/') && !last.includes('.') && !isFileName(last);
}
