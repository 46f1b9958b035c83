/** What every reporter receives: the diagnostics of one check run, and how to print their paths. */
import type { Fingerprinter } from '../core/baseline/fingerprint.ts';
import type { ImpactItem } from '../core/pull-request/impact.ts';
import type { Diagnostic } from '../core/schema.ts';
import { terminalText } from './escape.ts';

export interface CheckReport {
  diagnostics: Diagnostic[];
  /** Prepended to every path, so annotations land when the scanned repository is a sub-folder. */
  pathPrefix: string;
  /** Waymark's version, for SARIF and the rule pages' URLs. */
  version: string;
  /** Files skipped without a diagnostic (binary content, symbolic-link aliases): a count in the summary, never a line each. */
  quietlySkipped?: { binary: number; links: number };
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

/** How the caller's output looks; reporters never ask the process (they stay pure). */
interface ReporterOptions {
  /** Colour and emphasis with ANSI escapes (the caller decides: a terminal, `NO_COLOR`, `FORCE_COLOR`). */
  color?: boolean;
}

export type Reporter = (report: CheckReport, options?: ReporterOptions) => string;

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

export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `3 problems (1 error, 1 warning, 1 info)`, or `No problems found.` */
export function problemSummary(diagnostics: Diagnostic[]): string {
  const counts = countBySeverity(diagnostics);
  const total = counts.error + counts.warning + counts.info;
  if (total === 0) return 'No problems found.';
  return `${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info)`;
}

/** The message with its suggestion, as one line of text. */
/** `--explain`'s reasons, one indented `because …` line each, made safe for a terminal. */
export function evidenceLines(diagnostic: Diagnostic, indent: string): string[] {
  return (diagnostic.evidence ?? []).map((reason) => `${indent}because ${terminalText(reason)}`);
}

export function messageWithSuggestion(diagnostic: Diagnostic): string {
  return diagnostic.suggestion ? `${diagnostic.message}; ${diagnostic.suggestion}` : diagnostic.message;
}
