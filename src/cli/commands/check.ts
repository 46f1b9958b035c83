import { fingerprinter } from '../../core/baseline/fingerprint.ts';
import type { Diagnostic } from '../../core/schema.ts';
import { RunTiming } from '../../node/run-timing.ts';
import { scanRepository } from '../../node/scan.ts';
import { reporters, textFormat } from '../../reporters/index.ts';
import { countBySeverity } from '../../reporters/report.ts';
import { CHANGED_SINCE_OPTIONS, changedSinceUsage, runChangedSince, sourceUrlFrom, withOptionalRef } from '../changed-since.ts';
import { BASELINE_OPTIONS, baselineNotes, baselineUsage, rewriteBaseline, scanAppliesBaseline } from '../baseline-flags.ts';
import { CACHE_OPTIONS, cacheUsage, cacheFrom, colorFor, gitDirFrom, parseOptions, pathPrefix, progressLine, repositoryFrom, UsageError, version, type CliIo } from '../context.ts';

export const summary = 'Check references, markers, tasks and metadata; exit 1 on errors';

export const usage = `waymark check [--repo DIR] [--format F] [--max-warnings N] [--quiet] [--explain] [--timing] [--watch] [--suppress-all | --prune-suppressions | --no-suppressions] [--changed-since [REF]] [--no-cache] [--cache-dir DIR]

  --format F          stylish (grouped by file), compact (one line per problem),
                      json, sarif (GitHub code scanning), github (annotations) or
                      markdown (a job summary or pull-request comment);
                      default text: stylish on a terminal, compact in a pipe.
                      Colour only on a terminal; NO_COLOR and FORCE_COLOR honoured
  --max-warnings N    exit 1 when there are more than N warnings
  --quiet             report errors only (and show no progress)
  --explain           say why each problem got its severity (the evidence weighed)
  --timing            print where the run's time went to stderr
  --watch             stay running: check again on every save (engine kept in memory)
${baselineUsage}${changedSinceUsage}${cacheUsage(22)}`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(withOptionalRef(args), {
    format: { type: 'string', default: 'text' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean' },
    explain: { type: 'boolean' },
    ...BASELINE_OPTIONS,
    ...CHANGED_SINCE_OPTIONS,
    timing: { type: 'boolean' },
    watch: { type: 'boolean' },
    ...CACHE_OPTIONS,
  });
  // Own keys only: `--format toString` must not find Object.prototype.toString.
  const format = values.format === 'text' ? textFormat(Boolean(io.stdoutIsTTY)) : values.format!;
  const reporter = Object.hasOwn(reporters, format) ? reporters[format] : undefined;
  if (!reporter) throw new UsageError(`unknown format \`${values.format}\` (text, stylish, compact, json, sarif, github or markdown)`);
  const limit = values['max-warnings'];
  // Digits only: Number() would take '' as 0 and '0x10' as 16.
  if (limit !== undefined && !/^\d+$/.test(limit)) throw new UsageError('`--max-warnings` takes a whole number');
  const maxWarnings = limit === undefined ? Infinity : Number(limit);
  const show = (diagnostics: Diagnostic[]) => (values.quiet ? diagnostics.filter((diagnostic) => diagnostic.severity === 'error') : diagnostics);
  if (values.watch) {
    const { watchCheck } = await import('../watch-check.ts');
    return watchCheck({
      repo: repositoryFrom(values.repo, io),
      io,
      trustConfig: values['trust-config'],
      gitDir: gitDirFrom(values['git-dir'], io),
      cache: cacheFrom(values, io),
      render: (diagnostics, root) => reporter({ diagnostics: show(diagnostics), pathPrefix: pathPrefix(root, io.cwd), version }),
    });
  }
  const progress = progressLine(io, values.quiet);
  // From the start of the process: start-up and loading modules are part of what a user waits for.
  const timing = values.timing ? new RunTiming(0) : undefined;
  const root = repositoryFrom(values.repo, io);
  const scan = {
    trustConfig: values['trust-config'],
    gitDir: gitDirFrom(values['git-dir'], io),
    cache: cacheFrom(values, io),
    explain: values.explain,
    onProgress: progress.onProgress,
    ...(values['no-suppressions'] ? { suppressions: false as const } : {}),
    timing,
  };
  const ref = values['changed-since'];
  if (ref !== undefined) {
    if (!scanAppliesBaseline(values)) throw new UsageError('`--changed-since` reads the suppressions of the base; record or prune them without it');
    const run = { root, ref: ref || undefined, scan, reporter, format, quiet: values.quiet, maxWarnings, io };
    return runChangedSince(run).finally(progress.done);
  }
  const scanned = await scanRepository(root, { ...scan, ...(scanAppliesBaseline(values) ? {} : { suppressions: false }) }).finally(progress.done);
  const { graph, baseline, config } = scanAppliesBaseline(values) ? scanned : await rewriteBaseline(scanned, values, io);
  const shown = show(graph.diagnostics);
  const prefix = pathPrefix(scanned.root, io.cwd);
  const extras = { fingerprint: fingerprinter(graph), suppressed: baseline?.suppressed.length, sourceUrl: sourceUrlFrom(io.env, config, prefix), quietlySkipped: scanned.quietlySkipped };
  const render = () => reporter({ diagnostics: shown, pathPrefix: prefix, version, ...extras }, { color: colorFor(io.env, io.stdoutIsTTY) });
  io.stdout(timing ? timing.measure('render', render) : render());
  io.stderr(baselineNotes(baseline, prefix));
  if (timing) io.stderr(timing.report());
  return exitCodeFor(graph.diagnostics, maxWarnings);
}

export function exitCodeFor(diagnostics: Diagnostic[], maxWarnings = Infinity): number {
  const counts = countBySeverity(diagnostics);
  return counts.error > 0 || counts.warning > maxWarnings ? 1 : 0;
}
