import { stat } from 'node:fs/promises';
import path from 'node:path';
import { git, openScope } from '../../node/git.ts';
import { UnsafeWriteError, writeRepositoryFile } from '../../node/repo-write.ts';
import { terminalText } from '../../reporters/escape.ts';
import { configTemplate, GITHUB_WORKFLOW, GITLAB_CI, guessHosting } from '../templates.ts';
import { githubWorkflowAnyRepo, gitlabCiAnyRepo, isPackageSpec, packageSpec } from '../any-repo-templates.ts';
import { parseOptions, UsageError, type CliIo } from '../context.ts';
import { revalidationWorkflow } from '../revalidation-template.ts';

export const summary = 'Write a commented waymark.config.json and a CI workflow into the repository';

export const usage = `waymark init [--repo DIR] [--ci github|gitlab|none] [--package SPEC] [--force]

  Writes waymark.config.json (commented; every field optional) and a CI file:
  .github/workflows/waymark.yml (check with SARIF upload, build, publish to
  Pages) or waymark.gitlab-ci.yml (include it from .gitlab-ci.yml). With
  GitHub, also .github/workflows/waymark-revalidation.yml, commented out: a
  weekly job keeping one issue per process owner of what to revalidate.

  --ci KIND   github, gitlab or none (default: gitlab when .gitlab-ci.yml exists
              or the origin remote is on gitlab.com, else github)
  --package SPEC
              in a repository without package.json, CI runs
              \`npx --yes --package SPEC waymark\` (default: this version from the
              registry; a tarball or git URL works before it is published)
  --force     overwrite files that exist (by default they are kept); a file or
              folder on the way that is a symbolic link is refused all the same
`;

const CI_FILES = { github: '.github/workflows/waymark.yml', gitlab: 'waymark.gitlab-ci.yml' } as const;
/** Written with the GitHub workflow, commented out: it opens issues, so the team turns it on. */
const REVALIDATION_FILE = '.github/workflows/waymark-revalidation.yml';

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { ci: { type: 'string' }, force: { type: 'boolean' }, package: { type: 'string' } });
  if (values.package !== undefined && !isPackageSpec(values.package)) throw new UsageError('`--package` takes a package name, version, URL or path');
  if (values.ci !== undefined && !['github', 'gitlab', 'none'].includes(values.ci)) {
    throw new UsageError('`--ci` takes github, gitlab or none');
  }
  // Never the embedded example: init writes files, so only into the folder the user named or stands in.
  const root = path.resolve(io.cwd, values.repo ?? io.env.WAYMARK_REPO ?? '.');
  if (!(await isDirectory(root))) throw new UsageError(`\`${root}\` is not a directory`);
  const hosting = guessHosting(await originUrl(root));
  const ci = (values.ci ?? ((await exists(path.join(root, '.gitlab-ci.yml'))) || hosting.host === 'gitlab' ? 'gitlab' : 'github')) as
    | keyof typeof CI_FILES
    | 'none';

  const files: [string, string][] = [['waymark.config.json', configTemplate(path.basename(root), hosting)]];
  // Not an npm project: no `npm ci` to install Waymark, so CI runs it with npx.
  const npmProject = await exists(path.join(root, 'package.json'));
  const spec = values.package ?? packageSpec();
  const ciFile = { github: npmProject ? GITHUB_WORKFLOW : githubWorkflowAnyRepo(spec), gitlab: npmProject ? GITLAB_CI : gitlabCiAnyRepo(spec) };
  if (ci !== 'none') files.push([CI_FILES[ci], ciFile[ci]]);
  if (ci === 'github') {
    const scheduled = npmProject ? revalidationWorkflow('      - run: npm ci\n', 'npx waymark') : revalidationWorkflow('', `npx --yes --package ${spec} waymark`);
    files.push([REVALIDATION_FILE, scheduled]);
  }
  let refused = false;
  for (const [name, text] of files) {
    let outcome;
    try {
      outcome = await writeRepositoryFile(root, name, text, { overwrite: values.force });
    } catch (error) {
      if (!(error instanceof UnsafeWriteError)) throw error;
      io.stderr(`waymark: did not write ${name}: ${terminalText(error.message)}\n`);
      refused = true;
      continue;
    }
    if (outcome === 'kept') io.stderr(`waymark: kept the existing ${name} (--force overwrites it)\n`);
    else io.stdout(`wrote ${name}\n`);
  }
  if (refused) return 2;
  io.stdout(nextSteps(ci, npmProject ? undefined : spec));
  return 0;
}

function nextSteps(ci: keyof typeof CI_FILES | 'none', spec?: string): string {
  const include = ci === 'gitlab' ? '\n  - add `include: { local: waymark.gitlab-ci.yml }` to .gitlab-ci.yml' : '';
  const pages = ci === 'github' ? '\n  - set Settings → Pages → Source to "GitHub Actions"' : '';
  if (spec) {
    return `
Next:
  - npx --yes --package ${spec} waymark check                 (what it reports now)
  - npx --yes --package ${spec} waymark check --suppress-all  (record today's problems; commit waymark-suppressions.json)
  - npx --yes --package ${spec} waymark dev                   (preview the site while you write)${include}${pages}
`;
  }
  return `
Next:
  - npm i -D waymark            (if it is not a dev dependency yet)
  - npx waymark check           (fix or suppress what it reports)
  - npx waymark dev             (preview the site while you write)${include}${pages}
`;
}

async function originUrl(root: string): Promise<string | undefined> {
  try {
    const { scope } = await openScope(root);
    return scope ? (await git(scope, ['remote', 'get-url', 'origin'])).trim() : undefined;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
