import type { Diagnostic } from '../../core/schema.ts';
import { RunTiming } from '../../node/run-timing.ts';
import { scanRepository } from '../../node/scan.ts';
import { reporters } from '../../reporters/index.ts';
import { countBySeverity } from '../../reporters/report.ts';
import { CACHE_OPTIONS, cacheUsage, cacheFrom, gitDirFrom, parseOptions, pathPrefix, progressLine, repositoryFrom, UsageError, version, type CliIo } from '../context.ts';

export const summary = 'Check references, markers, tasks and metadata; exit 1 on errors';

export const usage = `waymark check [--repo DIR] [--format text|json|sarif|github] [--max-warnings N] [--quiet] [--timing] [--watch] [--no-cache] [--cache-dir DIR]

  --format F          text (default), json, sarif (GitHub code scanning) or github (annotations)
  --max-warnings N    exit 1 when there are more than N warnings
  --quiet             report errors only (and show no progress)
  --timing            print where the run's time went to stderr
  --watch             stay running: check again on every save (engine kept in memory)
${cacheUsage(22)}`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, {
    format: { type: 'string', default: 'text' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean' },
    timing: { type: 'boolean' },
    watch: { type: 'boolean' },
    ...CACHE_OPTIONS,
  });
  // Own keys only: `--format toString` must not find Object.prototype.toString.
  const reporter = Object.hasOwn(reporters, values.format!) ? reporters[values.format!] : undefined;
  if (!reporter) throw new UsageError(`unknown format \`${values.format}\` (text, json, sarif or github)`);
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
  const { graph, root } = await scanRepository(repositoryFrom(values.repo, io), {
    trustConfig: values['trust-config'],
    gitDir: gitDirFrom(values['git-dir'], io),
    cache: cacheFrom(values, io),
    onProgress: progress.onProgress,
    timing,
  }).finally(progress.done);
  const shown = show(graph.diagnostics);
  const report = timing ? timing.measure('render', () => reporter({ diagnostics: shown, pathPrefix: pathPrefix(root, io.cwd), version })) : reporter({ diagnostics: shown, pathPrefix: pathPrefix(root, io.cwd), version });
  io.stdout(report);
  if (timing) io.stderr(timing.report());
  return exitCodeFor(graph.diagnostics, maxWarnings);
}

export function exitCodeFor(diagnostics: Diagnostic[], maxWarnings = Infinity): number {
  const counts = countBySeverity(diagnostics);
  return counts.error > 0 || counts.warning > maxWarnings ? 1 : 0;
}
