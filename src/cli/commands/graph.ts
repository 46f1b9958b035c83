import { scanRepository } from '../../node/scan.ts';
import { parseOptions, repositoryFrom, type CliIo } from '../context.ts';

export const summary = 'Print the whole cross-linked graph as JSON';

export const usage = `waymark graph [--repo DIR]

  Prints every process, task, change, file, marker, environment, diagnostic and
  every reference with its source, raw text, resolved target and status.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, {});
  const { graph } = await scanRepository(repositoryFrom(values.repo, io), { trustConfig: values['trust-config'] });
  io.stdout(`${JSON.stringify(graph, null, 2)}\n`);
  return 0;
}
