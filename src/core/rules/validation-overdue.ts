import { daysBetween } from '../text/days-between.ts';
import type { Finding, Rule } from './rule.ts';

const PRODUCTION = /^prod(uction)?$/i;

/** Whether an environment value names production, by value: thousands of markers repeat a few values. */
const productionValues = new Map<string, boolean>();
function namesProduction(value: string): boolean {
  let found = productionValues.get(value);
  if (found === undefined) {
    found = value.split(/\s*(?:,|&|\/|\band\b)\s*/i).some((name) => PRODUCTION.test(name.trim()));
    if (productionValues.size < 10_000) productionValues.set(value, found);
  }
  return found;
}

/** A process running in production whose last validation is older than `validationMaxAgeDays`. */
export const validationOverdue: Rule = {
  id: 'validation-overdue',
  defaultSeverity: 'warning',
  description: 'A process implemented by production code has not been validated within the configured number of days.',
  check({ graph, findings, config, today }) {
    if (!today) return [];
    const production = new Set<string>();
    for (const marker of graph.markers) {
      if (!marker.processId || !marker.environment) continue;
      if (namesProduction(marker.environment)) production.add(marker.processId);
    }
    const found: Finding[] = [];
    for (const process of graph.processes) {
      if (!production.has(process.id) || !process.lastValidated || process.status === 'deprecated') continue;
      const age = daysBetween(process.lastValidated, today);
      if (age === undefined || age <= config.validationMaxAgeDays) continue;
      const entry = findings.documentsByPath.get(process.file)?.metadata.find((item) => item.key === 'last validated');
      found.push({
        file: process.file,
        line: entry?.line ?? 1,
        column: 1,
        message: `the production process \`${process.name}\` was last validated on ${process.lastValidated}, ${age} days ago (the limit is ${config.validationMaxAgeDays})`,
        suggestion: 'validate the process against production and update `Last Validated`',
      });
    }
    return found;
  },
};
