import { scanRepository } from '../../node/scan.ts';
import { jsonText } from '../../reporters/escape.ts';
import { CACHE_OPTIONS, cacheUsage, cacheFrom, gitDirFrom, parseOptions, progressLine, repositoryFrom, type CliIo } from '../context.ts';

export const summary = 'Print the whole cross-linked graph as JSON';

export const usage = `waymark graph [--repo DIR] [--no-cache] [--cache-dir DIR]

  Prints every process, task, change, file, marker, environment, diagnostic and
  every reference with its source, raw text, resolved target and status.

${cacheUsage(22)}`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, CACHE_OPTIONS);
  const progress = progressLine(io, false);
  const { graph } = await scanRepository(repositoryFrom(values.repo, io), {
    trustConfig: values['trust-config'],
    gitDir: gitDirFrom(values['git-dir'], io),
    cache: cacheFrom(values, io),
    onProgress: progress.onProgress,
    // The whole graph, every problem in it: the baseline is a policy of check and build.
    suppressions: false,
  }).finally(progress.done);
  io.stdout(`${jsonText(graph, 2)}\n`);
  return 0;
}
