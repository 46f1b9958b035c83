import { fixRepository, formatFixReport } from '../../node/fix-files.ts';
import { gitDirFrom, parseOptions, repositoryFrom, type CliIo } from '../context.ts';

export const summary = 'Rewrite references whose lines moved or whose file was renamed (needs git)';

export const usage = `waymark fix [--repo DIR] [--dry-run] [--to-symbols]

  Rewrites, in place, the code references that \`waymark check\` reports as
  \`moved-lines\` with a fix. Only the reference text changes; files git does
  not track are never touched.

  --dry-run           print the changes as a unified diff and write nothing
  --to-symbols        also rewrite line references that cover exactly one block
                      (\`infra/lb.tf:12-30\` → \`infra/lb.tf#aws_lb.web\`), which survive line drift
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { 'dry-run': { type: 'boolean' }, 'to-symbols': { type: 'boolean' } });
  const dryRun = Boolean(values['dry-run']);
  const report = await fixRepository(repositoryFrom(values.repo, io), {
    dryRun,
    toSymbols: values['to-symbols'],
    trustConfig: values['trust-config'],
    gitDir: gitDirFrom(values['git-dir'], io),
  });
  const printed = formatFixReport(report, { dryRun });
  io.stdout(printed.stdout);
  io.stderr(printed.stderr);
  return printed.exitCode;
}
