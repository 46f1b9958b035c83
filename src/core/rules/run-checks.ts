/**
 * The rules step: every rule over a linked graph, severities and inline
 * suppressions applied, diagnostics sorted.
 */
import type { Config } from '../config/config.ts';
import type { FileFacts } from '../extract/extract.ts';
import type { LinkedGraph, LinkFindings } from '../graph/link-graph.ts';
import { rules } from './index.ts';
import type { Finding, Rule, RuleContext, SkippedFile } from './rule.ts';
import type { Diagnostic, Graph, Severity } from '../schema.ts';

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
  config: Pick<Config, 'rules' | 'validationMaxAgeDays'> & Partial<Pick<Config, 'contextWords'>>,
  extras: CheckExtras = {},
): CheckOutcome {
  const { explain, ...context } = extras;
  const suppressed = suppressionIndex(facts);
  const diagnostics: Diagnostic[] = [];
  const referenceProblems = new Map<string, string>();
  for (const rule of rules) {
    if (config.rules[rule.id] === 'off') continue;
    for (const finding of rule.check({ graph, findings, facts, skipped, config, ...context })) {
      const verdict = severityOf(rule, finding, config.rules);
      if (verdict.severity === 'off') continue;
      const rulesOnLine = suppressed.get(`${finding.file}:${finding.line}`);
      if (rulesOnLine && (rulesOnLine.size === 0 || rulesOnLine.has(rule.id))) continue;
      const { reference, class: _class, evidence, ...place } = finding;
      if (reference && !referenceProblems.has(reference)) referenceProblems.set(reference, rule.id);
      const diagnostic: Diagnostic = { rule: rule.id, severity: verdict.severity, ...place };
      if (explain) diagnostic.evidence = [verdict.why, ...(evidence ?? [])];
      diagnostics.push(diagnostic);
    }
  }
  return { diagnostics: diagnostics.map(dropUndefined).sort(compareDiagnostics), referenceProblems };
}

/** What a check needs besides the graph: git history, today, and whether to explain severities. */
export type CheckExtras = Pick<RuleContext, 'history' | 'today'> & { explain?: boolean };

/**
 * A finding's severity, and why. `off` for its rule silences all of it. A finding of a class:
 * the config's `rule/class`, else the class's default, lowered to the config's `rule` when that
 * is lower. A finding without one: the config's `rule`, else the rule's default.
 */
export function severityOf(rule: Rule, finding: Finding, settings: Config['rules']): { severity: Severity | 'off'; why: string } {
  const ruleSetting = settings[rule.id];
  if (finding.class !== undefined) {
    const known = rule.classes?.[finding.class];
    // A class the rule does not declare is a bug in the rule, not in the repository.
    if (!known) throw new Error(`rule ${rule.id} reported undeclared class \`${finding.class}\``);
    const key = `${rule.id}/${finding.class}`;
    const configured = settings[key];
    if (configured) return { severity: configured, why: `${configured}: the config sets \`${key}\`` };
    const why = `${finding.class}: ${known.description}`;
    // Lowering a rule lowers all of it; raising one class takes `rule/class`.
    if (ruleSetting && rank(ruleSetting) < rank(known.severity)) return { severity: ruleSetting, why: `${ruleSetting}: the config sets \`${rule.id}\` (${why})` };
    return { severity: known.severity, why: `${known.severity}: ${why}` };
  }
  if (ruleSetting) return { severity: ruleSetting, why: `${ruleSetting}: the config sets \`${rule.id}\`` };
  return { severity: rule.defaultSeverity, why: `${rule.defaultSeverity}: the rule's default` };
}

const ranks = { off: 0, info: 1, warning: 2, error: 3 } as const;
function rank(setting: Severity | 'off'): number {
  return ranks[setting];
}

/**
 * The checked graph: the linked graph with its diagnostics, and each
 * reference a rule reported marked with that rule (a new reference object;
 * the linked graph is left as it was).
 */
export function checkGraph(
  linked: { graph: LinkedGraph; findings: LinkFindings; facts: FileFacts[]; skipped: SkippedFile[] },
  config: Pick<Config, 'rules' | 'validationMaxAgeDays'> & Partial<Pick<Config, 'contextWords'>>,
  extras: CheckExtras = {},
): Graph {
  const { diagnostics, referenceProblems } = runChecks(linked.graph, linked.findings, linked.facts, linked.skipped, config, extras);
  const references = linked.graph.references.map((reference) => {
    const problem = referenceProblems.get(reference.id);
    return withoutLineText(problem && !reference.problem ? { ...reference, problem } : reference);
  });
  const documents = linked.graph.documents.map((document) => ({ ...document, references: document.references.map(withoutLineText) }));
  return { ...linked.graph, documents, references, diagnostics };
}

/** `lineText` is evidence for the rules, not part of the graph a site or a tool reads. */
function withoutLineText<T extends { lineText?: string }>(reference: T): Omit<T, 'lineText'> {
  const { lineText: _lineText, ...rest } = reference;
  return rest;
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
  const { suggestion, evidence, ...rest } = diagnostic;
  return { ...rest, ...(suggestion === undefined ? {} : { suggestion }), ...(evidence === undefined ? {} : { evidence }) };
}
