import type { Document, Reference } from '../schema.ts';
import { isExplicit, standingOf, type Standing } from './reference-context.ts';
import { didYouMean, type Finding, type FindingClass, type Rule, type RuleContext } from './rule.ts';

/** The classes of a missing file, from most to least sure it is broken (README: "How sure"). */
const CLASSES: Record<string, FindingClass> = {
  explicit: {
    severity: 'error',
    description: 'a link, code-reference field, file list or code comment that describes the present names a file that does not exist',
  },
  mention: {
    severity: 'error',
    description: 'a backticked path in prose that describes the present names a file that does not exist',
  },
  claimed: {
    severity: 'error',
    description: 'a task marked Complete lists the file as created or modified, yet it does not exist',
  },
  planned: {
    severity: 'info',
    description: 'the reference stands in a plan, a future section, an unchecked item or a line saying it is planned: a file still to be written',
  },
  example: {
    severity: 'info',
    description: 'the reference is an example or placeholder (`e.g.`, a template section, a prompt or agent file)',
  },
  archived: {
    severity: 'info',
    description: 'the document is archived or superseded: it describes a state the repository has left',
  },
  historical: {
    severity: 'info',
    description: 'the document or section records the past (a change log, a done log, a report of its day)',
  },
};

/**
 * A path or glob that matches no file. How sure that is a broken reference depends on how it is
 * written and where (issue 12): each finding gets a class, the class its severity.
 */
export const missingFile: Rule = {
  id: 'missing-file',
  defaultSeverity: 'error',
  description: 'A reference names a file that does not exist in the repository.',
  classes: CLASSES,
  check(context) {
    const folderExists = folderIndex(context.graph.paths);
    return context.graph.references
      .filter((reference) => reference.status === 'missing' && (reference.kind === 'path' || reference.kind === 'glob'))
      // A folder named in prose (`build/`) is often generated; only a claimed reference must exist.
      .filter((reference) => !(reference.origin === 'mention' && reference.path?.endsWith('/')))
      .map((reference) => missingFinding(reference, context, folderExists));
  },
};

function missingFinding(reference: Reference, context: RuleContext, folderExists: (folder: string) => boolean): Finding {
  const document = context.findings.documentsByPath.get(reference.source.file);
  const standing = standingOf({ reference, document, words: context.config.contextWords, folderExists });
  const claim = standing.place === 'archived' || standing.place === 'historical' ? undefined : completeClaim(reference, document);
  const base =
    reference.kind === 'glob' ? `no file matches \`${reference.path}\`` : `\`${reference.path}\` does not exist`;
  const finding: Finding = {
    ...reference.source,
    reference: reference.id,
    message: claim ? `${base}, yet ${claim} says it was created or modified` : base,
    suggestion: didYouMean(reference.candidates),
    class: claim ? 'claimed' : classOf(reference, standing),
    evidence: [standing.how, ...(claim ? [`${claim} is marked Complete`] : standing.why)],
  };
  return finding;
}

function classOf(reference: Reference, standing: Standing): string {
  if (standing.place !== 'present') return standing.place;
  return isExplicit(reference) ? 'explicit' : 'mention';
}

/** Which Complete task lists this file as created or modified: the plan's task, or the summary's. */
function completeClaim(reference: Reference, document: Document | undefined): string | undefined {
  if (!document || reference.origin !== 'files-modified') return undefined;
  const task = document.tasks.find((item) => item.files.some((file) => file.reference === reference.id));
  if (task) return task.status === 'complete' ? `task ${task.taskId}` : undefined;
  if ((document.kind === 'summary' || document.kind === 'status-update') && document.taskStatus === 'complete') {
    return document.taskId ? `the summary of task ${document.taskId}` : 'the summary';
  }
  return undefined;
}

/** Whether a folder holds any file, from the repository's paths. */
function folderIndex(paths: readonly string[]): (folder: string) => boolean {
  let folders: Set<string> | undefined;
  return (folder) => {
    if (!folders) {
      folders = new Set();
      for (const path of paths) {
        for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) folders.add(path.slice(0, at));
      }
    }
    return folders.has(folder);
  };
}
