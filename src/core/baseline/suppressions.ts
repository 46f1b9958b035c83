/**
 * `waymark-suppressions.json`: the problems a repository had when it turned
 * Waymark on (`waymark check --suppress-all`), so that from then on only new
 * ones fail. Like ESLint's bulk suppressions, an entry counts the problems of
 * one rule in one file, here per fingerprint (`fingerprint.ts`): when a file
 * has more of them than its entry allows, every one of that kind is reported,
 * since nothing says which is the new one. Entries no problem uses any more
 * are reported, so a fixed problem that comes back is never hidden by a
 * stale entry; `--prune-suppressions` drops them.
 */
import { z } from 'zod';
import { compareText } from '../text/compare.ts';
import type { Diagnostic } from '../schema.ts';
import type { Fingerprinter } from './fingerprint.ts';

/** The file the CLI reads and writes, at the repository root. */
export const SUPPRESSIONS_FILE = 'waymark-suppressions.json';

/** Problems of one rule in one file with one fingerprint, allowed up to `count`. */
export const SuppressionEntry = z
  .object({
    /** Repository-relative path of the file the problems are in. */
    file: z.string(),
    /** Rule id. */
    rule: z.string(),
    /** What the problems are about (`fingerprinter`), independent of line numbers and messages. */
    fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
    /** How many such problems the file may have. */
    count: z.number().int().min(1),
  })
  .strict();
export type SuppressionEntry = z.infer<typeof SuppressionEntry>;

/** The whole file. */
export const SuppressionsFile = z
  .object({
    /** Format version; 1. */
    version: z.literal(1),
    /** Entries sorted by file, rule, fingerprint, so the file diffs cleanly. */
    suppressions: z.array(SuppressionEntry),
  })
  .strict();
export type SuppressionsFile = z.infer<typeof SuppressionsFile>;

/** What applying a suppressions file to a check's problems gives. */
export interface BaselineOutcome {
  /** Problems beyond the baseline: these fail `check` and `build`. */
  active: Diagnostic[];
  /** Problems the baseline allows: known debt, shown apart. */
  suppressed: Diagnostic[];
  /** Entries (or the part of their count) no problem uses any more. */
  unused: SuppressionEntry[];
}

/** Info-level problems never fail anything, so they are neither recorded nor suppressed. */
const counts = (diagnostic: Diagnostic) => diagnostic.severity !== 'info';

const keyOf = (entry: Pick<SuppressionEntry, 'file' | 'rule' | 'fingerprint'>) => `${entry.file}\0${entry.rule}\0${entry.fingerprint}`;

function compareEntries(a: SuppressionEntry, b: SuppressionEntry): number {
  return compareText(a.file, b.file) || compareText(a.rule, b.rule) || compareText(a.fingerprint, b.fingerprint);
}

/** Problems grouped by entry key, in their order. */
function groupProblems(diagnostics: Diagnostic[], fingerprint: Fingerprinter): Map<string, { entry: SuppressionEntry; problems: Diagnostic[] }> {
  const groups = new Map<string, { entry: SuppressionEntry; problems: Diagnostic[] }>();
  for (const diagnostic of diagnostics.filter(counts)) {
    const entry = { file: diagnostic.file, rule: diagnostic.rule, fingerprint: fingerprint(diagnostic), count: 0 };
    const key = keyOf(entry);
    const group = groups.get(key) ?? { entry, problems: [] };
    group.entry.count++;
    group.problems.push(diagnostic);
    groups.set(key, group);
  }
  return groups;
}

/** A suppressions file recording every problem of `diagnostics` (`--suppress-all`). */
export function suppressAll(diagnostics: Diagnostic[], fingerprint: Fingerprinter): SuppressionsFile {
  const entries = [...groupProblems(diagnostics, fingerprint).values()].map((group) => group.entry);
  return { version: 1, suppressions: entries.sort(compareEntries) };
}

/** Split `diagnostics` into problems beyond the baseline and suppressed ones; list what the baseline holds that nothing uses. */
export function applySuppressions(diagnostics: Diagnostic[], fingerprint: Fingerprinter, file: SuppressionsFile): BaselineOutcome {
  const allowed = new Map(file.suppressions.map((entry) => [keyOf(entry), entry]));
  const groups = groupProblems(diagnostics, fingerprint);
  const suppressedSet = new Set<Diagnostic>();
  for (const [key, group] of groups) {
    const entry = allowed.get(key);
    if (entry && group.problems.length <= entry.count) for (const problem of group.problems) suppressedSet.add(problem);
  }
  const unused: SuppressionEntry[] = [];
  for (const entry of file.suppressions) {
    const seen = groups.get(keyOf(entry))?.problems.length ?? 0;
    if (seen < entry.count) unused.push({ ...entry, count: entry.count - seen });
  }
  return {
    active: diagnostics.filter((diagnostic) => !suppressedSet.has(diagnostic)),
    suppressed: diagnostics.filter((diagnostic) => suppressedSet.has(diagnostic)),
    unused: unused.sort(compareEntries),
  };
}

/** `file` with what was fixed taken out: counts lowered to what is left, entries with none dropped; nothing added. */
export function pruneSuppressions(diagnostics: Diagnostic[], fingerprint: Fingerprinter, file: SuppressionsFile): SuppressionsFile {
  const groups = groupProblems(diagnostics, fingerprint);
  const kept = file.suppressions.flatMap((entry) => {
    const seen = groups.get(keyOf(entry))?.problems.length ?? 0;
    return seen === 0 ? [] : [{ ...entry, count: Math.min(entry.count, seen) }];
  });
  return { version: 1, suppressions: kept.sort(compareEntries) };
}

/** The file as Waymark writes it: two-space JSON, one entry per line group, a final newline. */
export function suppressionsText(file: SuppressionsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A suppressions file's text, checked; `problem` says in one sentence what is wrong with it. */
export function parseSuppressions(text: string): { file: SuppressionsFile } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { problem: `\`${SUPPRESSIONS_FILE}\` is not valid JSON` };
  }
  const parsed = SuppressionsFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `\`${SUPPRESSIONS_FILE}\`: \`${issue.path.join('.') || '(root)'}\` ${issue.message}` };
  }
  return { file: parsed.data };
}
