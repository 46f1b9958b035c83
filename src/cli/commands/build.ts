import path from 'node:path';
import { textReporter } from '../../reporters/text.ts';
import { gitDirFrom, parseOptions, pathPrefix, repositoryFrom, version, type CliIo } from '../context.ts';

export const summary = 'Build the static site (Astro + Pagefind); fails on errors unless --no-strict';

export const usage = `waymark build [--repo DIR] [--out DIR] [--base PATH] [--previous-manifest FILE|URL] [--no-strict] [--quiet] [--no-cache]

  --out DIR                   output folder (default dist)
  --base PATH                 serve the site under a sub-path, e.g. /docs/
  --previous-manifest F|URL   the last published links.json (default: config
                              previousManifest); the build fails if a URL it
                              lists would now 404 and no alias or redirect covers it
  --no-strict                 build even when there are error-level problems
  --quiet                     print nothing but errors
  --no-cache                  read every file afresh, and leave the cache (config cacheDir) alone
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, {
    out: { type: 'string', default: 'dist' },
    base: { type: 'string' },
    strict: { type: 'boolean' },
    'no-strict': { type: 'boolean' },
    quiet: { type: 'boolean' },
    'previous-manifest': { type: 'string' },
    'no-cache': { type: 'boolean' },
  });
  const out = path.resolve(io.cwd, values.out!);
  const previous = values['previous-manifest'];
  // Astro is heavy: load it only for the command that needs it.
  const [{ buildSite }, { LinkContractError }] = await Promise.all([import('../../node/build-site.ts'), import('../../node/links-fs.ts')]);
  let result: Awaited<ReturnType<typeof buildSite>>;
  try {
    result = await buildSite({
      repo: repositoryFrom(values.repo, io),
      out,
      base: values.base,
      strict: values['no-strict'] ? false : values.strict,
      quiet: values.quiet,
      trustConfig: values['trust-config'],
      gitDir: gitDirFrom(values['git-dir'], io),
      cache: !values['no-cache'],
      previousManifest: previous && !/^https?:\/\//i.test(previous) ? path.resolve(io.cwd, previous) : previous,
    });
  } catch (error) {
    if (!(error instanceof LinkContractError)) throw error;
    io.stderr(`waymark: ${error.message}\n`);
    return 2;
  }
  for (const note of result.notes) io.stderr(`waymark: ${note}\n`);
  if (result.linkProblems.length) {
    io.stderr(`waymark: invalid redirects in waymark.config.json\n${result.linkProblems.map((p) => `  ${p}`).join('\n')}\n`);
    return 1;
  }
  if (result.lostUrls.length) {
    io.stderr(lostUrlReport(result.lostUrls));
    return 1;
  }
  if (result.failed) {
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    io.stderr(textReporter({ diagnostics: errors, pathPrefix: pathPrefix(result.root, io.cwd), version }));
    io.stderr('waymark: build stopped on the errors above (use --no-strict to build anyway)\n');
    return 1;
  }
  if (!values.quiet) io.stderr(`waymark: built ${result.pages} pages into ${path.relative(io.cwd, out) || '.'}\n`);
  return 0;
}

/** One block per URL that would now 404: the URL, what it was, what to do. */
function lostUrlReport(lost: { url: string; was?: string; hint: string }[]): string {
  const lines = lost.map((l) => `  ${l.url}${l.was ? ` (${l.was})` : ''}\n    ${l.hint}\n`);
  const count = lost.length === 1 ? 'a URL' : `${lost.length} URLs`;
  return `waymark: build stopped: ${count} published before would now 404\n${lines.join('')}`;
}
