/**
 * Run every rule over a linked graph, apply the configured severities and
 * inline suppressions, and return sorted diagnostics.
 */
import type { Config } from '../config/config.ts';
import type { FileFacts } from '../extract/extract.ts';
import type { LinkedGraph, LinkFindings } from '../graph/link-graph.ts';
import { rules } from './index.ts';
import type { RuleContext, SkippedFile } from './rule.ts';
import type { Diagnostic } from '../schema.ts';

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/**
 * Run every enabled rule over the linked graph and return the diagnostics,
 * with configured severities, suppressions applied and in a stable order.
 * Reads the graph and findings; changes neither.
 */
export function runChecks(
  graph: LinkedGraph,
  findings: LinkFindings,
  facts: FileFacts[],
  skipped: SkippedFile[],
  config: Pick<Config, 'rules' | 'validationMaxAgeDays'>,
  extras: Pick<RuleContext, 'history' | 'today'> = {},
): Diagnostic[] {
  const suppressed = suppressionIndex(facts);
  const referencesById = new Map(graph.references.map((reference) => [reference.id, reference]));
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.id] ?? rule.defaultSeverity;
    if (setting === 'off') continue;
    for (const finding of rule.check({ graph, findings, facts, skipped, config, ...extras })) {
      const rulesOnLine = suppressed.get(`${finding.file}:${finding.line}`);
      if (rulesOnLine && (rulesOnLine.size === 0 || rulesOnLine.has(rule.id))) continue;
      const { reference, ...place } = finding;
      if (reference) {
        const target = referencesById.get(reference);
        if (target && !target.problem) target.problem = rule.id;
      }
      diagnostics.push({ rule: rule.id, severity: setting, ...place });
    }
  }
  return diagnostics.map(dropUndefined).sort(compareDiagnostics);
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
