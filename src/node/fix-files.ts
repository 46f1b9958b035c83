/**
 * `waymark fix`: rewrite the references whose lines moved or whose file was
 * renamed, in place. Only files git tracks are touched (so every change can
 * be reviewed and undone), only the reference text changes, and each file is
 * replaced atomically (write a temporary file, then rename it over).
 */
import { randomBytes } from 'node:crypto';
import { lstat, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyReplacements, type Replacement, type SkippedReplacement } from '../core/fix/fix.ts';
import { planFixes, relocate, renameFixes } from '../core/history/relocate.ts';
import type { Reference } from '../core/schema.ts';
import { symbolTable } from '../core/graph/symbol-index.ts';
import { supportsSymbols, type SymbolBlock } from '../core/extract/symbols.ts';
import { proposeSymbolConversions } from '../core/fix/to-symbols.ts';
import { unifiedDiff } from '../core/fix/unified-diff.ts';
import { terminalText } from '../reporters/escape.ts';
import { git, openScope, type LocateOptions } from './git.ts';
import { decodeText, isInside, readRegularFile, readRepositoryFile } from './read-files.ts';
import { scanRepository } from './scan.ts';

export interface FileFix {
  /** Repository-relative path of the document. */
  file: string;
  /** `fixed` (written), `planned` (dry run), `unchanged` (nothing applied) or `refused` (see `reason`). */
  status: 'fixed' | 'planned' | 'unchanged' | 'refused';
  applied: Replacement[];
  skipped: SkippedReplacement[];
  /** Unified diff of the change (empty when nothing changed). */
  diff: string;
  reason?: string;
}

export interface FixOptions {
  /** Compute and show the changes, write nothing. */
  dryRun?: boolean;
  /** Also turn line references that cover exactly one block into `path#symbol` references. */
  toSymbols?: boolean;
  /** `--git-dir`: the git directory to read, instead of looking for `.git`. */
  gitDir?: string;
}

/** Apply each document's replacements; never touches untracked files, symbolic links or files outside `root`. */
export async function applyFixes(root: string, plan: Map<string, Replacement[]>, options: FixOptions = {}): Promise<FileFix[]> {
  const files = [...plan.keys()].sort();
  const tracked = await trackedFiles(root, files, { gitDir: options.gitDir });
  const results: FileFix[] = [];
  for (const file of files) {
    const replacements = plan.get(file)!;
    const refuse = (reason: string): FileFix => ({ file, status: 'refused', applied: [], skipped: [], diff: '', reason });
    if (!tracked.has(file)) {
      results.push(refuse('it is not tracked by git'));
      continue;
    }
    results.push(await fixFile(root, file, replacements, options).catch((error: NodeJS.ErrnoException) => refuse(`it could not be written (${error.code ?? error.message})`)));
  }
  return results;
}

async function fixFile(root: string, file: string, replacements: Replacement[], options: FixOptions): Promise<FileFix> {
  const absolute = path.join(root, file);
  const refused = (reason: string): FileFix => ({ file, status: 'refused', applied: [], skipped: [], diff: '', reason });
  if (!isInside(root, absolute)) return refused('the path leaves the repository');
  const info = await lstat(absolute);
  if (info.isSymbolicLink()) return refused('it is a symbolic link');
  if (!info.isFile()) return refused('it is not a regular file');
  // Opened as checked: a file swapped for a link or a FIFO since the lstat is refused, not followed or waited on.
  const read = await readRegularFile(absolute, Number.MAX_SAFE_INTEGER);
  if ('skipped' in read) return refused(read.skipped);
  const bytes = read.bytes;
  const decoded = decodeText(file, bytes);
  if (!('text' in decoded)) return refused(decoded.skipped);
  // Positions were taken on the text without its byte-order mark; keep the mark on write.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? '\ufeff' : '';
  const result = applyReplacements(decoded.text, replacements);
  if (result.applied.length === 0) return { file, status: 'unchanged', applied: [], skipped: result.skipped, diff: '' };
  const diff = unifiedDiff(decoded.text, result.text, { oldLabel: `a/${terminalText(file)}`, newLabel: `b/${terminalText(file)}` });
  if (!options.dryRun) await writeAtomically(absolute, bom + result.text, info.mode);
  return { file, status: options.dryRun ? 'planned' : 'fixed', applied: result.applied, skipped: result.skipped, diff };
}

async function writeAtomically(target: string, text: string, mode: number): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.waymark-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { mode: mode & 0o7777, flag: 'wx' });
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Which of `files` git tracks (the index knows them); none when there is no git. */
async function trackedFiles(root: string, files: string[], options: LocateOptions = {}): Promise<Set<string>> {
  const tracked = new Set<string>();
  const { scope } = await openScope(root, options).catch(() => ({ scope: undefined }));
  if (!scope) return tracked;
  for (let i = 0; i < files.length; i += 500) {
    const chunk = files.slice(i, i + 500);
    try {
      const text = await git(scope, ['--literal-pathspecs', 'ls-files', '-z', '--error-unmatch', '--', ...chunk]);
      for (const name of text.split('\0')) if (name) tracked.add(name);
    } catch {
      // --error-unmatch fails the whole chunk when one file is untracked: ask one by one.
      for (const file of chunk) {
        const text = await git(scope, ['--literal-pathspecs', 'ls-files', '-z', '--error-unmatch', '--', file]).catch(() => '');
        if (text.split('\0').includes(file)) tracked.add(file);
      }
    }
  }
  return tracked;
}

export interface FixReport {
  /** Real path of the repository root. */
  root: string;
  /** False when the repository has no git history (nothing can be fixed). */
  hasHistory: boolean;
  files: FileFix[];
}

/** Scan, read history, rewrite (or with `dryRun`, only diff) every reference that moved cleanly. */
export async function fixRepository(repo: string, options: FixOptions & { trustConfig?: boolean } = {}): Promise<FixReport> {
  const scan = await scanRepository(repo, { trustConfig: options.trustConfig, gitDir: options.gitDir });
  const { graph, root } = scan;
  // The scan already read history; no history there means no git, and reading again would not change that.
  const { history } = scan;
  const plan = history ? planFixes(relocate(graph, history), renameFixes(graph, history)) : new Map<string, Replacement[]>();
  if (options.toSymbols) await addSymbolConversions(root, graph.references, plan, scan.config.maxFileSize);
  if (!history && plan.size === 0) return { root, hasHistory: false, files: [] };
  return { root, hasHistory: Boolean(history), files: await applyFixes(root, plan, options) };
}

/** Plan `path:12-48` → `path#symbol` rewrites; a span already rewritten for moved lines is left to that fix. */
async function addSymbolConversions(
  root: string,
  references: Reference[],
  plan: Map<string, Replacement[]>,
  maxFileSize: number,
): Promise<void> {
  const candidates = references.filter((reference) => reference.status === 'ok' && reference.lines && !reference.anchor && reference.targets.length === 1);
  const targets = [...new Set(candidates.map((reference) => reference.targets[0]))].filter(supportsSymbols);
  const tables = new Map<string, SymbolBlock[]>();
  for (const target of targets) {
    const outcome = await readRepositoryFile(root, target, maxFileSize);
    if ('text' in outcome) tables.set(target, symbolTable(target, outcome.text));
  }
  const byId = new Map(candidates.map((reference) => [reference.id, reference]));
  for (const conversion of proposeSymbolConversions(candidates, tables)) {
    const reference = byId.get(conversion.referenceId)!;
    const replacements = plan.get(reference.source.file) ?? [];
    const { line, column } = reference.source;
    if (replacements.some((existing) => existing.line === line && existing.column === column)) continue;
    replacements.push({ line, column, oldText: conversion.oldText, newText: conversion.newText });
    plan.set(reference.source.file, replacements);
  }
}

/** What `waymark fix` prints: diffs (dry run) or a line per fixed file on stdout, problems and a summary on stderr. */
export function formatFixReport(report: FixReport, options: FixOptions = {}): { stdout: string; stderr: string; exitCode: number } {
  if (!report.hasHistory) return { stdout: '', stderr: 'waymark: no git history here, so there is nothing to fix\n', exitCode: 0 };
  const out: string[] = [];
  const err: string[] = [];
  let references = 0;
  let files = 0;
  let problems = 0;
  for (const fix of report.files) {
    if (fix.status === 'refused') {
      err.push(`waymark: left \`${terminalText(fix.file)}\` alone: ${terminalText(String(fix.reason))}\n`);
      problems++;
      continue;
    }
    for (const { replacement, reason } of fix.skipped) {
      err.push(
        `waymark: ${terminalText(fix.file)}:${replacement.line}:${replacement.column}: did not rewrite \`${terminalText(replacement.oldText)}\`: ${terminalText(reason)}\n`,
      );
      problems++;
    }
    if (fix.applied.length === 0) continue;
    references += fix.applied.length;
    files++;
    if (options.dryRun) out.push(fix.diff);
    else out.push(`fixed ${terminalText(fix.file)} (${plural(fix.applied.length, 'reference')})\n`);
  }
  const verb = options.dryRun ? 'would rewrite' : 'rewrote';
  err.push(
    references === 0
      ? 'waymark: no references to fix\n'
      : `waymark: ${verb} ${plural(references, 'reference')} in ${plural(files, 'file')}${options.dryRun ? ' (dry run, nothing written)' : ''}\n`,
  );
  return { stdout: out.join(''), stderr: err.join(''), exitCode: problems > 0 ? 1 : 0 };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
