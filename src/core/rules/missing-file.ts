import { describeFate, describeIgnoreRule, everInHistory, missingPathVerdict } from '../history/missing-paths.ts';
import { rewriteReference } from '../history/relocate.ts';
import type { Reference } from '../schema.ts';
import { didYouMean, type Finding, type Rule, type RuleContext } from './rule.ts';

/** A path or glob that matches no file. Files a plan intends to create are not expected to exist yet. */
export const missingFile: Rule = {
  id: 'missing-file',
  defaultSeverity: 'error',
  description: 'A reference names a file that does not exist in the repository.',
  classes: {
    gitignored: {
      severity: 'info',
      description: "the repository's `.gitignore` matches the path: it is generated or written at run time, by design absent from a checkout",
    },
    deleted: { severity: 'error', description: 'the file existed in history and a commit deleted it: the reference is stale' },
    renamed: { severity: 'error', description: 'the file existed in history and a commit renamed it: `waymark fix` rewrites the reference' },
  },
  check(context) {
    const { graph, findings } = context;
    return graph.references
      .filter((reference) => reference.status === 'missing' && (reference.kind === 'path' || reference.kind === 'glob'))
      .filter((reference) => !(reference.origin === 'files-modified' && findings.documentsByPath.get(reference.source.file)?.kind === 'plan'))
      // A folder named in prose (`build/`) is often generated; only a claimed reference must exist.
      .filter((reference) => !(reference.origin === 'mention' && reference.path?.endsWith('/')))
      .map((reference) => {
        const finding: Finding = {
          ...reference.source,
          reference: reference.id,
          message:
            reference.kind === 'glob'
              ? `no file matches \`${reference.path}\``
              : `\`${reference.path}\` does not exist`,
          suggestion: didYouMean(reference.candidates),
        };
        return withGitEvidence(finding, reference, context);
      });
  },
};

/**
 * What git says about the path (h-git's block): ignored by the repository
 * (class `gitignored`), deleted or renamed (named in the message; a rename is
 * the suggestion), or never in history (evidence only, for the confidence
 * model to weigh).
 */
function withGitEvidence(finding: Finding, reference: Reference, { graph, history }: Pick<RuleContext, 'graph' | 'history'>): Finding {
  const verdict = missingPathVerdict(reference, history, graph.paths);
  if (!verdict || !history) return finding;
  const evidence: string[] = [];
  if (verdict.ignored) {
    return {
      ...finding,
      class: 'gitignored',
      message: `${finding.message} (ignored by ${describeIgnoreRule(verdict.ignored)}: generated or local by design)`,
      suggestion: undefined,
      evidence: [`\`${verdict.path}\` is matched by ${describeIgnoreRule(verdict.ignored)}`],
    };
  }
  if (verdict.distrusted) {
    evidence.push(
      `${describeIgnoreRule(verdict.distrusted.rule)} matches \`${verdict.distrusted.path}\`, but ${verdict.distrusted.why}: not taken as generated`,
    );
  }
  const fate = verdict.facts.fate;
  if (fate) {
    const told = describeFate(fate, history.commits);
    evidence.push(`git: \`${verdict.path}\` was ${told}`);
    if (fate.kind === 'renamed') {
      return { ...finding, class: 'renamed', message: `${finding.message}: it was ${told}`, suggestion: renameSuggestion(reference, verdict.path, fate.to, graph.paths), evidence };
    }
    return { ...finding, class: 'deleted', message: `${finding.message}: it was ${told}`, evidence };
  }
  // For the confidence model: a path no commit ever had is weaker evidence of a broken reference.
  evidence.push(everInHistory(reference, history) ? `git: \`${verdict.path}\` is in history` : `git: no commit on the first-parent history ever had \`${verdict.path}\``);
  return { ...finding, evidence };
}

/** The rewritten reference `waymark fix` applies (path-only references), else where to point it. */
function renameSuggestion(reference: Reference, from: string, to: string, paths: readonly string[]): string | undefined {
  if (!paths.includes(to)) return undefined;
  const rewritten = reference.lines ? undefined : rewriteReference(reference, reference.source.file, from, to);
  return rewritten ? `\`${rewritten}\` (run \`waymark fix\`)` : `point the reference at \`${to}\` and check its lines`;
}
