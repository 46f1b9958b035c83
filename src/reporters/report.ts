/** What every reporter receives: the diagnostics of one check run, and how to print their paths. */
import type { Fingerprinter } from '../core/baseline/fingerprint.ts';
import type { ImpactItem } from '../core/pull-request/impact.ts';
import type { Diagnostic } from '../core/schema.ts';

export interface CheckReport {
  diagnostics: Diagnostic[];
  /** Prepended to every path, so annotations land when the scanned repository is a sub-folder. */
  pathPrefix: string;
  /** Waymark's version, for SARIF. */
  version: string;
  /** Each problem's fingerprint, the baseline's (SARIF `partialFingerprints`), when the caller has the graph. */
  fingerprint?: Fingerprinter;
  /** How many problems the baseline suppressed (they are not in `diagnostics`). */
  suppressed?: number;
  /** A "view source" URL template (`{path}`, `{line}`, `{endLine}`) for links to problems. */
  sourceUrl?: string;
  /** With `--changed-since`: `diagnostics` are the problems the change brings; this is the rest of the picture. */
  pullRequest?: {
    /** The commit compared with; absent when there was none. */
    base?: { commit: string; ref?: string };
    /** Documented code the change edits. */
    impact: ImpactItem[];
    /** Problems that were there at the base too, so they do not fail the change. */
    existing: number;
    /** What was assumed (a shallow clone, a missing ref). */
    notes: string[];
  };
}

export type Reporter = (report: CheckReport) => string;

/** How many diagnostics of each severity. */
export function countBySeverity(diagnostics: Diagnostic[]): Record<Diagnostic['severity'], number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const diagnostic of diagnostics) counts[diagnostic.severity]++;
  return counts;
}

/** A file as reports print it: relative to where the command runs. */
export function displayPath(report: CheckReport, file: string): string {
  return report.pathPrefix + file;
}
