import path from 'node:path';
import { textReporter } from '../../reporters/text.ts';
import { parseOptions, pathPrefix, repositoryFrom, version, type CliIo } from '../context.ts';

export const summary = 'Build the static site (Astro + Pagefind); fails on errors unless --no-strict';

export const usage = `waymark build [--repo DIR] [--out DIR] [--base PATH] [--no-strict] [--quiet]

  --out DIR       output folder (default dist)
  --base PATH     serve the site under a sub-path, e.g. /docs/
  --no-strict     build even when there are error-level problems
  --quiet         print nothing but errors
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, {
    out: { type: 'string', default: 'dist' },
    base: { type: 'string' },
    strict: { type: 'boolean' },
    'no-strict': { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  const out = path.resolve(io.cwd, values.out!);
  // Astro is heavy: load it only for the command that needs it.
  const { buildSite } = await import('../../node/build-site.ts');
  const result = await buildSite({
    repo: repositoryFrom(values.repo, io),
    out,
    base: values.base,
    strict: values['no-strict'] ? false : values.strict,
    quiet: values.quiet,
    trustConfig: values['trust-config'],
  });
  if (result.failed) {
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    io.stderr(textReporter({ diagnostics: errors, pathPrefix: pathPrefix(result.root, io.cwd), version }));
    io.stderr('waymark: build stopped on the errors above (use --no-strict to build anyway)\n');
    return 1;
  }
  if (!values.quiet) io.stderr(`waymark: built ${result.pages} pages into ${path.relative(io.cwd, out) || '.'}\n`);
  return 0;
}
