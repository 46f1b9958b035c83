/**
 * `check --suppress-all` and `--prune-suppressions`: record today's problems
 * as the baseline, or drop what was fixed from it; and the notes every run
 * with a baseline prints (how much debt it hides, which entries are unused).
 */
import type { ParseArgsConfig } from 'node:util';
import { fingerprinter } from '../core/baseline/fingerprint.ts';
import { applySuppressions, pruneSuppressions, suppressAll, SUPPRESSIONS_FILE, type SuppressionEntry } from '../core/baseline/suppressions.ts';
import type { ScanResult } from '../core/schema.ts';
import { readSuppressionsFile, writeSuppressionsFile } from '../node/suppressions-file.ts';
import { terminalText } from '../reporters/escape.ts';
import type { CliIo } from './context.ts';

export const BASELINE_OPTIONS = {
  'suppress-all': { type: 'boolean' },
  'prune-suppressions': { type: 'boolean' },
  'no-suppressions': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export const baselineUsage = `  --suppress-all      record every problem found now in ${SUPPRESSIONS_FILE};
                      from then on check and build fail only on new ones
  --prune-suppressions
                      drop the entries of ${SUPPRESSIONS_FILE} that were fixed
  --no-suppressions   report every problem, ${SUPPRESSIONS_FILE} or not
`;

/**
 * Whether the scan should apply the repository's suppressions file itself:
 * not when the flags rewrite it (they need every problem, then apply it here).
 */
export function scanAppliesBaseline(values: { 'suppress-all'?: boolean; 'prune-suppressions'?: boolean }): boolean {
  return !values['suppress-all'] && !values['prune-suppressions'];
}

/** Rewrite the suppressions file as the flags ask, and give back the scan as the rewritten baseline leaves it. */
export async function rewriteBaseline(
  scanned: ScanResult,
  values: { 'suppress-all'?: boolean; 'prune-suppressions'?: boolean },
  io: CliIo,
): Promise<ScanResult> {
  const fingerprint = fingerprinter(scanned.graph);
  const all = scanned.graph.diagnostics;
  const previous = await readSuppressionsFile(scanned.root);
  let file;
  if (values['suppress-all']) {
    file = suppressAll(all, fingerprint);
    const total = file.suppressions.reduce((sum, entry) => sum + entry.count, 0);
    io.stderr(`waymark: recorded ${total} ${total === 1 ? 'problem' : 'problems'} in ${SUPPRESSIONS_FILE}; commit it\n`);
  } else if (previous) {
    file = pruneSuppressions(all, fingerprint, previous);
    const dropped = applySuppressions(all, fingerprint, previous).unused.reduce((sum, entry) => sum + entry.count, 0);
    io.stderr(`waymark: pruned ${dropped} fixed ${dropped === 1 ? 'problem' : 'problems'} from ${SUPPRESSIONS_FILE}\n`);
  } else {
    io.stderr(`waymark: there is no ${SUPPRESSIONS_FILE} to prune\n`);
    return scanned;
  }
  await writeSuppressionsFile(scanned.root, file);
  const { active, suppressed, unused } = applySuppressions(all, fingerprint, file);
  return { ...scanned, graph: { ...scanned.graph, diagnostics: active }, baseline: { suppressed, unused } };
}

/** How many problems the baseline hides, and each entry no problem uses any more (so a fixed problem cannot come back unseen). */
export function baselineNotes(baseline: ScanResult['baseline'], pathPrefix: string): string {
  if (!baseline) return '';
  const lines: string[] = [];
  const hidden = baseline.suppressed.length;
  if (hidden > 0) lines.push(`waymark: ${hidden} known ${hidden === 1 ? 'problem' : 'problems'} suppressed by ${SUPPRESSIONS_FILE}`);
  if (baseline.unused.length > 0) {
    const count = baseline.unused.reduce((sum, entry) => sum + entry.count, 0);
    lines.push(
      `waymark: ${count} suppressed ${count === 1 ? 'problem is' : 'problems are'} gone (fixed?); run \`waymark check --prune-suppressions\` so ${count === 1 ? 'it' : 'they'} cannot come back unseen:`,
      ...baseline.unused.map((entry: SuppressionEntry) => `  ${terminalText(pathPrefix + entry.file)}  ${entry.rule}${entry.count > 1 ? ` ×${entry.count}` : ''}`),
    );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
