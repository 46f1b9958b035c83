/**
 * `waymark check --changed-since [REF]`: what a change touches. The report
 * lists the problems the change brings (the base did not have them), the
 * documented code it edits, and exits 1 only on a new error-level problem.
 */
import type { ParseArgsConfig } from 'node:util';
import { fingerprinter } from '../core/baseline/fingerprint.ts';
import { isWebUrl } from '../core/urls/urls.ts';
import type { Config } from '../core/config/config.ts';
import { checkChangedSince } from '../node/pull-request.ts';
import type { ScanOptions } from '../node/scan.ts';
import { terminalText } from '../reporters/escape.ts';
import { impactSentence } from '../reporters/markdown.ts';
import { countBySeverity, type CheckReport, type Reporter } from '../reporters/report.ts';
import { pathPrefix, version, type CliIo } from './context.ts';

export const CHANGED_SINCE_OPTIONS = {
  'changed-since': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const changedSinceUsage = `  --changed-since [REF]
                      pull-request mode: list the documented code the change
                      edits; fail only on problems the merge base with REF
                      (default: the default branch) did not have; config and
                      suppressions are read from that base; never fetches
`;

/** `--changed-since` with no value (last, or before another option) means "the default branch": parseArgs needs a value, so give it an empty one. */
export function withOptionalRef(args: string[]): string[] {
  return args.flatMap((arg, index) => (arg === '--changed-since' && (index === args.length - 1 || args[index + 1].startsWith('-')) ? ['--changed-since='] : [arg]));
}

/**
 * A "view source" template for links in reports: the commit being checked on
 * GitHub Actions, else the config's `site.repoUrl`.
 */
export function sourceUrlFrom(env: Record<string, string | undefined>, config: Pick<Config, 'site'>, prefix: string): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  if (server && repository && sha && /^[\w.-]+\/[\w.-]+$/.test(repository) && /^[0-9a-f]{40,64}$/.test(sha)) {
    const template = `${server.replace(/\/+$/, '')}/${repository}/blob/${sha}/{path}#L{line}-L{endLine}`;
    // Paths in reports are relative to where the command runs, which in Actions is the checkout's root.
    if (isWebUrl(template) && !prefix.startsWith('..')) return template;
  }
  return config.site.repoUrl;
}

interface PullRequestRun {
  root: string;
  ref: string | undefined;
  scan: ScanOptions;
  reporter: Reporter;
  format: string;
  quiet?: boolean;
  maxWarnings: number;
  io: CliIo;
}

/** Run the pull-request check and print it; the exit code. */
export async function runChangedSince({ root, ref, scan, reporter, format, quiet, maxWarnings, io }: PullRequestRun): Promise<number> {
  const result = await checkChangedSince(root, ref, { ...scan, env: io.env });
  const { head, introduced, impact, notes } = result;
  const prefix = pathPrefix(head.root, io.cwd);
  // Code scanning compares with the base's analysis itself: SARIF carries every problem, the other formats the new ones.
  const listed = format === 'sarif' ? head.graph.diagnostics : introduced;
  const shown = quiet ? listed.filter((diagnostic) => diagnostic.severity === 'error') : listed;
  const report: CheckReport = {
    diagnostics: shown,
    pathPrefix: prefix,
    version,
    fingerprint: fingerprinter(head.graph),
    suppressed: head.baseline?.suppressed.length ?? 0,
    sourceUrl: sourceUrlFrom(io.env, head.config, prefix),
    pullRequest: { base: result.base, impact, existing: head.graph.diagnostics.length - introduced.length, notes },
  };
  for (const note of notes) io.stderr(`waymark: ${terminalText(note)}\n`);
  io.stdout(reporter(report));
  if (format !== 'markdown') {
    const lines = impact.map((item) => `  ${terminalText(impactSentence(item, report, 'text'))}\n`);
    const block = lines.length ? `This change edits documented code:\n${lines.join('')}` : 'This change edits no documented code.\n';
    // Text readers get it with the report; machine formats keep stdout to their format.
    (format === 'stylish' || format === 'compact' ? io.stdout : io.stderr)(block);
    const existing = report.pullRequest!.existing;
    if (existing > 0) io.stderr(`waymark: ${existing} ${existing === 1 ? 'problem was' : 'problems were'} there at the base and ${existing === 1 ? 'does' : 'do'} not fail this change\n`);
  }
  const counts = countBySeverity(introduced);
  return counts.error > 0 || counts.warning > maxWarnings ? 1 : 0;
}
