/**
 * Every rule's reference page: `docs/rules/<rule-id>.md`, shipped in the
 * package, at a URL pinned to the version that reported the problem (a page
 * describes the rule as that version runs it, so the link never drifts).
 */
import { rules } from './index.ts';

/** Rule ids a diagnostic can carry: the registered rules and `git-history`, which the scan itself reports. */
export const DOCUMENTED_RULES: readonly string[] = [...rules.map((rule) => rule.id), 'git-history'];

/** The published package's files, one version per URL. */
const PACKAGE_FILES = 'https://unpkg.com/waymark@';

/**
 * The reference page of `ruleId` for this Waymark version, or undefined for an id without one.
 *
 * @example
 * ruleDocsUrl('missing-file', '0.2.0') // → 'https://unpkg.com/waymark@0.2.0/docs/rules/missing-file.md'
 */
export function ruleDocsUrl(ruleId: string, version: string): string | undefined {
  return DOCUMENTED_RULES.includes(ruleId) ? `${PACKAGE_FILES}${encodeURIComponent(version)}/docs/rules/${ruleId}.md` : undefined;
}
