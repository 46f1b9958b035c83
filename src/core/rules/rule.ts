/** The shape every rule has: an id, a default severity, and a pure check over the linked graph. */
import type { Config } from '../config/config.ts';
import type { FileFacts } from '../extract/extract.ts';
import type { RepositoryHistory } from '../history/history.ts';
import type { LinkedGraph, LinkFindings } from '../graph/link-graph.ts';
import type { Severity } from '../schema.ts';

export interface SkippedFile {
  path: string;
  reason: string;
  /**
   * `binary`: NUL bytes in the content; `link`: a symbolic link to a file
   * read under its own path. Both are expected in a repository (`.DS_Store`,
   * a `README.md` → `docs/index.md` alias), so they are counted, not reported.
   */
  kind?: 'binary' | 'link';
}

export interface RuleContext {
  graph: LinkedGraph;
  findings: LinkFindings;
  facts: FileFacts[];
  skipped: SkippedFile[];
  config: Pick<Config, 'validationMaxAgeDays'> & Partial<Pick<Config, 'contextWords'>>;
  /** What git knows, when the repository has history; rules that need it skip without it. */
  history?: RepositoryHistory;
  /** Today as `YYYY-MM-DD` (env `WAYMARK_TODAY`, else the clock), passed in so rules stay pure. */
  today?: string;
}

/** A problem before severity and suppressions are applied. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  message: string;
  suggestion?: string;
  /** Id of the reference the problem is about, so the graph can mark it. */
  reference?: string;
  /**
   * Which of the rule's finding classes this is (a key of `Rule.classes`): the class, not
   * the rule, then decides the default severity, and config can set it as `rule/class`.
   */
  class?: string;
  /** What the rule weighed, in words, for `--explain` ("written as a backticked mention"). */
  evidence?: string[];
}

/** A kind of finding within a rule that deserves its own severity (a planned file is not a broken one). */
export interface FindingClass {
  severity: Severity | 'off';
  /** Why this class gets that severity: one sentence for `--explain`, the README table and the rule's page. */
  description: string;
}

export interface Rule {
  id: string;
  /**
   * The rule's findings about a file depend only on what that file holds (its
   * references, markers, document, facts) and on the repository's lookups
   * (file list, the documents and line counts its references target,
   * processes, history), and land on that file: run over some files' items,
   * it finds exactly their problems. The resident engine rechecks only the
   * files a change touches with these; the other rules run whole each time.
   */
  perFile?: boolean;
  defaultSeverity: Severity;
  /** One sentence for `--help`, SARIF rule metadata and the site. */
  description: string;
  /** Finding classes with their own default severity; a finding without a class gets `defaultSeverity`. */
  classes?: Record<string, FindingClass>;
  check(context: RuleContext): Finding[];
}

/** Problems the document parser found while reading, for the rule that owns them. */
export function documentProblems(context: Pick<RuleContext, 'facts'>, rule: string): Finding[] {
  return context.facts.flatMap((fact) =>
    fact.documentProblems
      .filter((problem) => problem.rule === rule)
      .map((problem) => ({
        file: fact.path,
        line: problem.line,
        column: problem.column,
        message: problem.message,
        suggestion: problem.suggestion,
        ...(problem.class ? { class: problem.class } : {}),
      })),
  );
}

/** Where a document-level problem points: its H1, else its first line. */
export function titlePosition(context: RuleContext, file: string): { line: number; column: number } {
  const heading = context.findings.documentsByPath.get(file)?.headings.find((item) => item.depth === 1);
  return { line: heading?.line ?? 1, column: 1 };
}
