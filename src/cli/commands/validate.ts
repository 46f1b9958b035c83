import path from 'node:path';
import { recordValidation, validationValue } from '../../core/fix/record-validation.ts';
import { unifiedDiff } from '../../core/fix/unified-diff.ts';
import type { Process, ScanResult } from '../../core/schema.ts';
import { didYouMean, nearestNames } from '../../core/text/did-you-mean.ts';
import { git } from '../../node/git.ts';
import { openRepository } from '../../node/git-history.ts';
import { readRegularFile, readRepositoryFile } from '../../node/read-files.ts';
import { UnsafeWriteError, writeRepositoryFile } from '../../node/repo-write.ts';
import { scanRepository } from '../../node/scan.ts';
import { terminalLines, terminalText } from '../../reporters/escape.ts';
import { CACHE_OPTIONS, cacheFrom, cacheUsage, gitDirFrom, parseOptions, repositoryFrom, UsageError, type CliIo } from '../context.ts';

export const summary = 'Record a revalidation: set a process\'s Last Validated to today and the commit';

export const usage = `waymark validate <process> [--repo DIR] [--dry-run] [--no-cache] [--cache-dir DIR]

  <process> is the process's name, id, or document path or file name. Sets the value of its
  \`Last Validated\` line to today (WAYMARK_TODAY when set) and the commit checked
  out, e.g. \`2026-11-26 (commit 1a2b3c4)\`, and writes nothing else; without
  such a line, one is added after \`Last Updated\`. Once validated, the
  staleness warnings that date from before it stop.

  --dry-run           print the change as a unified diff and write nothing
${cacheUsage(22)}`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { 'dry-run': { type: 'boolean' }, ...CACHE_OPTIONS }, true);
  if (positionals.length !== 1) throw new UsageError('`waymark validate` takes one process (its name, id or document path)');
  const gitDir = gitDirFrom(values['git-dir'], io);
  const scan = await scanRepository(repositoryFrom(values.repo, io), { trustConfig: values['trust-config'], gitDir, cache: cacheFrom(values, io) });
  const process = findProcess(scan, positionals[0]);
  const document = scan.graph.documents.find((doc) => doc.path === process.file);
  const read = await readRepositoryFile(scan.root, process.file, scan.config.maxFileSize);
  if (!document || !('text' in read)) throw new UsageError(`\`${process.file}\` cannot be read${'skipped' in read ? `: ${read.skipped}` : ''}`);
  // The reader strips a byte order mark; it goes back where it was.
  const raw = await readRegularFile(path.join(scan.root, process.file), scan.config.maxFileSize);
  const bom = 'bytes' in raw && raw.bytes[0] === 0xef && raw.bytes[1] === 0xbb && raw.bytes[2] === 0xbf ? '\ufeff' : '';
  const commit = await headCommit(scan.root, gitDir);
  const record = { date: scan.today ?? '', commit };
  const edit = recordValidation(read.text, document.metadata, record);
  if ('problem' in edit) {
    io.stderr(`waymark: cannot record the validation of \`${terminalText(process.name)}\` in \`${terminalText(process.file)}\`: ${terminalText(edit.problem)}\n`);
    return 1;
  }
  if (values['dry-run']) {
    io.stdout(terminalLines(unifiedDiff(read.text, edit.text, { oldLabel: `a/${process.file}`, newLabel: `b/${process.file}` })));
    return 0;
  }
  try {
    await writeRepositoryFile(scan.root, process.file, bom + edit.text, { overwrite: true });
  } catch (error) {
    if (!(error instanceof UnsafeWriteError)) throw error;
    io.stderr(`waymark: ${terminalText(error.message)}\n`);
    return 2;
  }
  io.stdout(`validated ${terminalText(process.name)}: ${terminalText(process.file)}:${edit.line} Last Validated ${terminalText(validationValue(record))}\n`);
  return 0;
}

/** The process a name, id, alias or document path names; bad usage with "did you mean" when none does. */
function findProcess(scan: ScanResult, wanted: string): Process {
  const lower = wanted.trim().toLowerCase();
  const found = scan.graph.processes.filter(
    (process) =>
      process.id === lower ||
      process.file === wanted ||
      path.posix.basename(process.file, '.md') === wanted ||
      process.name.toLowerCase() === lower ||
      process.aliases.some((alias) => alias.toLowerCase() === lower),
  );
  if (found.length === 1) return found[0];
  if (found.length > 1) throw new UsageError(`\`${wanted}\` names ${found.length} processes: ${found.map((p) => `\`${p.id}\``).join(', ')}; give the id`);
  const byLowerName = new Map(scan.graph.processes.map((process) => [process.name.toLowerCase(), process.name]));
  const hint = didYouMean(nearestNames(lower, [...byLowerName.keys()]).map((name) => byLowerName.get(name)!));
  throw new UsageError(`no process \`${wanted}\`${hint ? `; ${hint}` : scan.graph.processes.length ? '' : ' (the repository defines no process)'}`);
}

/** HEAD, abbreviated as git abbreviates it in this repository; undefined without git or before the first commit. */
async function headCommit(root: string, gitDir: string | undefined): Promise<string | undefined> {
  const repository = await openRepository(root, { gitDir }).catch(() => undefined);
  if (!repository) return undefined;
  return (await git(repository, ['rev-parse', '--short', repository.head])).trim() || undefined;
}
