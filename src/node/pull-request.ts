/**
 * `waymark check --changed-since <ref>`: scan the head with the base's config
 * and suppressions (a pull request from a fork cannot hide its own errors by
 * editing them), scan the base, and say what the change touches and which
 * problems it brings. Without a usable base, the head alone, with a note.
 */
import { stat } from 'node:fs/promises';
import { citedCodeFiles, impactOf, introducedProblems, type ChangedText, type ImpactItem } from '../core/pull-request/impact.ts';
import type { Diagnostic, ScanResult } from '../core/schema.ts';
import { checkOutBase, findBase } from './base-ref.ts';
import { openScope } from './git.ts';
import { loadUserConfig } from './load-config.ts';
import { readRepositoryFile } from './read-files.ts';
import { scanRepository, type ScanOptions } from './scan.ts';
import { readSuppressionsFile } from './suppressions-file.ts';

/** What a pull request changes, as `check` reports it. */
export interface PullRequestCheck {
  /** The head, scanned with the base's config and suppressions. */
  head: ScanResult;
  /** The commit compared with and how it was named; absent when there was none. */
  base?: { commit: string; ref?: string };
  /** Problems the base did not have (all of the head's without a base). */
  introduced: Diagnostic[];
  /** Documented code the change edits. */
  impact: ImpactItem[];
  /** What was assumed: a shallow clone, a missing ref. */
  notes: string[];
}

/** Scan `root` against the base `ref` (default: the default branch). Never fetches, never writes into the repository. */
export async function checkChangedSince(
  root: string,
  ref: string | undefined,
  options: ScanOptions & { env: Record<string, string | undefined> },
): Promise<PullRequestCheck> {
  const { env, ...scanOptions } = options;
  const { scope } = await openScope(root, { gitDir: options.gitDir, env });
  const found = scope ? await findBase(scope, ref, env) : { notes: ['not a git repository, so there is no base to compare with'] };
  if (!scope || !found.commit) {
    // No base to read the suppressions from, and the head's own could be the change's: none applies.
    const head = await scanRepository(root, { ...scanOptions, suppressions: false });
    return { head, introduced: head.graph.diagnostics, impact: [], notes: [...found.notes, 'checking without a base: every problem counts as new'] };
  }
  const checkout = await checkOutBase(scope, found.commit);
  if (!(await stat(checkout.root).then((info) => info.isDirectory(), () => false))) {
    // A sub-project the change adds: nothing to compare with.
    await checkout.dispose();
    const head = await scanRepository(root, scanOptions);
    return { head, introduced: head.graph.diagnostics, impact: [], notes: [...found.notes, 'this folder does not exist at the base: every problem counts as new'] };
  }
  try {
    // The base decides the config and the suppressions, whatever the head's files say.
    const baseConfig = await loadUserConfig(checkout.root, { trustConfig: options.trustConfig });
    const baseSuppressions = scanOptions.suppressions === false ? false : ((await readSuppressionsFile(checkout.root)) ?? false);
    const [head, base] = await Promise.all([
      scanRepository(root, { ...scanOptions, userConfig: baseConfig, suppressions: baseSuppressions }),
      // No cache: the base lives in a folder that is gone after this run.
      scanRepository(checkout.root, { trustConfig: options.trustConfig, today: options.today, userConfig: baseConfig, suppressions: false }),
    ]);
    const texts = await citedTexts(head, base.root);
    return {
      head,
      base: { commit: found.commit, ref: found.ref },
      introduced: introducedProblems({ graph: head.graph, diagnostics: head.graph.diagnostics }, { graph: base.graph, diagnostics: base.graph.diagnostics }),
      impact: impactOf(head.graph, texts),
      notes: found.notes,
    };
  } finally {
    await checkout.dispose();
  }
}

/** The cited code files' texts now and at the base (`baseRoot` real), read inside each root, never through a link out. */
async function citedTexts(head: ScanResult, baseRoot: string): Promise<Map<string, ChangedText>> {
  const texts = new Map<string, ChangedText>();
  const max = head.config.maxFileSize;
  const text = (outcome: Awaited<ReturnType<typeof readRepositoryFile>>) => ('text' in outcome ? outcome.text : undefined);
  for (const file of citedCodeFiles(head.graph)) {
    const [now, before] = await Promise.all([readRepositoryFile(head.root, file, max), readRepositoryFile(baseRoot, file, max)]);
    texts.set(file, { head: text(now), base: text(before) });
  }
  return texts;
}
