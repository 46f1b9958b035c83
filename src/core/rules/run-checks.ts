/**
 * The rules step: every rule over a linked graph, severities and inline
 * suppressions applied, diagnostics sorted.
 */
import type { Config } from '../config/config.ts';
import type { FileFacts } from '../extract/extract.ts';
import type { LinkedGraph, LinkFindings } from '../graph/link-graph.ts';
import { rules } from './index.ts';
import type { RuleContext, SkippedFile } from './rule.ts';
import type { Diagnostic, Graph } from '../schema.ts';

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** What the rules found: the diagnostics, and which rule each reference first raised. */
export interface CheckOutcome {
  /** Severity-resolved, unsuppressed, sorted. */
  diagnostics: Diagnostic[];
  /** Reference id → id of the first rule that reported it (rules run in `rules` order). */
  referenceProblems: Map<string, string>;
}

/**
 * Run every rule over a linked graph, apply the configured severities and
 * inline suppressions. Reads the graph and returns what it found; nothing
 * it is given changes.
 */
export function runChecks(
  graph: LinkedGraph,
  findings: LinkFindings,
  facts: FileFacts[],
  skipped: SkippedFile[],
  config: Pick<Config, 'rules' | 'validationMaxAgeDays'>,
  extras: Pick<RuleContext, 'history' | 'today'> = {},
): CheckOutcome {
  const suppressed = suppressionIndex(facts);
  const diagnostics: Diagnostic[] = [];
  const referenceProblems = new Map<string, string>();
  for (const rule of rules) {
    const setting = config.rules[rule.id] ?? rule.defaultSeverity;
    if (setting === 'off') continue;
    for (const finding of rule.check({ graph, findings, facts, skipped, config, ...extras })) {
      const rulesOnLine = suppressed.get(`${finding.file}:${finding.line}`);
      if (rulesOnLine && (rulesOnLine.size === 0 || rulesOnLine.has(rule.id))) continue;
      const { reference, ...place } = finding;
      if (reference && !referenceProblems.has(reference)) referenceProblems.set(reference, rule.id);
      diagnostics.push({ rule: rule.id, severity: setting, ...place });
    }
  }
  return { diagnostics: diagnostics.map(dropUndefined).sort(compareDiagnostics), referenceProblems };
}

/**
 * The checked graph: the linked graph with its diagnostics, and each
 * reference a rule reported marked with that rule (a new reference object;
 * the linked graph is left as it was).
 */
export function checkGraph(
  linked: { graph: LinkedGraph; findings: LinkFindings; facts: FileFacts[]; skipped: SkippedFile[] },
  config: Pick<Config, 'rules' | 'validationMaxAgeDays'>,
  extras: Pick<RuleContext, 'history' | 'today'> = {},
): Graph {
  const { diagnostics, referenceProblems } = runChecks(linked.graph, linked.findings, linked.facts, linked.skipped, config, extras);
  const references = linked.graph.references.map((reference) => {
    const problem = referenceProblems.get(reference.id);
    return problem && !reference.problem ? { ...reference, problem } : reference;
  });
  return { ...linked.graph, references, diagnostics };
}

/** `file:line` → rule ids suppressed there (empty set: all rules). */
function suppressionIndex(facts: FileFacts[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const fact of facts) {
    for (const suppression of fact.suppressions) {
      index.set(`${fact.path}:${suppression.line}`, new Set(suppression.rules));
    }
  }
  return index;
}

function dropUndefined(diagnostic: Diagnostic): Diagnostic {
  const { suggestion, ...rest } = diagnostic;
  return suggestion === undefined ? rest : { ...rest, suggestion };
}
