import path from 'node:path';
import { RunTiming } from '../../node/run-timing.ts';
import { checkOutputFolder, markOutputFolder, OutputFolderError } from '../../node/output-dir.ts';
import { terminalText } from '../../reporters/escape.ts';
import { reporters, textFormat } from '../../reporters/index.ts';
import { baseOption, CACHE_OPTIONS, cacheUsage, cacheFrom, colorFor, gitDirFrom, parseOptions, pathPrefix, repositoryFrom, version, type CliIo } from '../context.ts';

export const summary = 'Build the static site (Astro + Pagefind); fails on errors unless --no-strict';

export const usage = `waymark build [--repo DIR] [--out DIR] [--base PATH] [--previous-manifest FILE|URL] [--no-strict] [--quiet] [--timing] [--no-cache] [--cache-dir DIR]

  --out DIR                   output folder (default dist); emptied first, so it must
                              be empty or an earlier build's (never the repository,
                              a folder holding it, or one with files git tracks)
  --base PATH                 serve the site under a sub-path, e.g. /docs/
  --previous-manifest F|URL   the last published links.json (default: config
                              previousManifest); the build fails if a URL it
                              lists would now 404 and no alias or redirect covers it
  --no-strict                 build even when there are error-level problems
  --quiet                     print nothing but errors
  --timing                    print where the build's time went to stderr
${cacheUsage(30)}`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, {
    out: { type: 'string', default: 'dist' },
    base: { type: 'string' },
    strict: { type: 'boolean' },
    'no-strict': { type: 'boolean' },
    quiet: { type: 'boolean' },
    timing: { type: 'boolean' },
    'previous-manifest': { type: 'string' },
    ...CACHE_OPTIONS,
  });
  const out = path.resolve(io.cwd, values.out!);
  const repo = repositoryFrom(values.repo, io);
  const previous = values['previous-manifest'];
  // Before anything is read or built: a build empties its output folder.
  try {
    await checkOutputFolder(repo, out, values.out);
  } catch (error) {
    if (!(error instanceof OutputFolderError)) throw error;
    io.stderr(`waymark: ${terminalText(error.message)}\n`);
    return 2;
  }
  // Astro is heavy: load it only for the command that needs it, after the settings its native addons read as they load.
  (await import('../../astro/native-memory.ts')).limitNativeMemory();
  const [{ buildSite }, { LinkContractError }] = await Promise.all([import('../../astro/build-site.ts'), import('../../node/links-fs.ts')]);
  const timing = values.timing ? new RunTiming(0) : undefined;
  let result: Awaited<ReturnType<typeof buildSite>>;
  try {
    result = await buildSite({
      repo,
      out,
      base: baseOption(values.base),
      strict: values['no-strict'] ? false : values.strict,
      quiet: values.quiet,
      trustConfig: values['trust-config'],
      gitDir: gitDirFrom(values['git-dir'], io),
      cache: cacheFrom(values, io),
      previousManifest: previous && !/^https?:\/\//i.test(previous) ? path.resolve(io.cwd, previous) : previous,
      timing,
    });
  } catch (error) {
    if (!(error instanceof LinkContractError)) throw error;
    io.stderr(`waymark: ${terminalText(error.message)}\n`);
    return 2;
  } finally {
    // Whatever a build left there is Waymark's: the next build may empty it.
    await markOutputFolder(out);
    if (timing) io.stderr(timing.report());
  }
  // Notes, redirects and URLs quote the config and the previous manifest: escaped like every printed value.
  for (const note of result.notes) io.stderr(`waymark: ${terminalText(note)}\n`);
  if (result.linkProblems.length) {
    io.stderr(`waymark: invalid redirects in waymark.config.json\n${result.linkProblems.map((p) => `  ${terminalText(p)}`).join('\n')}\n`);
    return 1;
  }
  if (result.lostUrls.length) {
    io.stderr(lostUrlReport(result.lostUrls));
    return 1;
  }
  if (result.failed) {
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    const report = { diagnostics: errors, pathPrefix: pathPrefix(result.root, io.cwd), version };
    io.stderr(reporters[textFormat(Boolean(io.isTTY))](report, { color: colorFor(io.env, io.isTTY) }));
    io.stderr('waymark: build stopped on the errors above (use --no-strict to build anyway)\n');
    return 1;
  }
  if (!values.quiet) io.stderr(`waymark: built ${result.pages} pages into ${terminalText(shownFolder(io.cwd, out))}\n`);
  return 0;
}

/** The output folder as the user would type it: relative to where the command runs when inside it, else absolute (never `../../tmp/site`). */
function shownFolder(cwd: string, out: string): string {
  const relative = path.relative(cwd, out);
  if (relative === '') return '.';
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? out : relative.split(path.sep).join('/');
}

/** One block per URL that would now 404: the URL, what it was, what to do. */
function lostUrlReport(lost: { url: string; was?: string; hint: string }[]): string {
  const lines = lost.map((l) => `  ${terminalText(l.url)}${l.was ? ` (${terminalText(l.was)})` : ''}\n    ${terminalText(l.hint)}\n`);
  const count = lost.length === 1 ? 'a URL' : `${lost.length} URLs`;
  return `waymark: build stopped: ${count} published before would now 404\n${lines.join('')}`;
}
