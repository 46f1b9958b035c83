import { scanRepository } from '../../node/scan.ts';
import { gitDirFrom, parseOptions, progressLine, repositoryFrom, type CliIo } from '../context.ts';

export const summary = 'Print the whole cross-linked graph as JSON';

export const usage = `waymark graph [--repo DIR] [--no-cache]

  Prints every process, task, change, file, marker, environment, diagnostic and
  every reference with its source, raw text, resolved target and status.

  --no-cache    read every file afresh, and leave the cache (config cacheDir) alone
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { 'no-cache': { type: 'boolean' } });
  const progress = progressLine(io, false);
  const { graph } = await scanRepository(repositoryFrom(values.repo, io), {
    trustConfig: values['trust-config'],
    gitDir: gitDirFrom(values['git-dir'], io),
    cache: !values['no-cache'],
    onProgress: progress.onProgress,
  }).finally(progress.done);
  io.stdout(`${JSON.stringify(graph, null, 2)}\n`);
  return 0;
}
