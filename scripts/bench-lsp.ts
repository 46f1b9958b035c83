/**
 * Benchmark of the language server: the time from a `didChange` to the
 * published diagnostics that show the change, debounce included, over 20
 * edits of one open document, as an editor sees it through the protocol.
 * Called by scripts/bench.ts for the repositories whose resident mode it
 * measures; on its own, for one repository that is already a git work tree:
 *
 *   node bin/run-ts.mjs scripts/bench-lsp.ts --repo DIR [--document docs/x.md] [--cache-dir DIR] [--bin waymark.mjs] [--log] [--pause MS]
 *
 * Each edit puts one new reference to a file that does not exist into the
 * document's text (replacing the previous edit's), so the diagnostics must
 * change: the clock stops at the first `publishDiagnostics` for the document
 * that names the new file. Edits are a second apart, so the history refresh
 * the server runs once typing stops happens between them, as in use.
 * Nothing is asserted on time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const LSP_EDITS = 20;
/** How long the server may take to open the repository (one full scan) before the first diagnostics. */
const OPEN_TIMEOUT_MS = 600_000;
const EDIT_TIMEOUT_MS = 60_000;

/** One repository's measurement. */
export interface LspLatency {
  /** From `initialize` to the first diagnostics of the open document: the server's start and scan. */
  openMs: number;
  /** Per edit, from `didChange` sent to the diagnostics that show it. */
  edits: number[];
  /**
   * The server's CPU (user + system, with its finished git processes) from the first edit to a second after the last,
   * divided by the edits: an edit's check and the history refresh after it. Linux only (`/proc/<pid>/stat`).
   */
  cpuPerEditMs?: number;
}

export interface LspTarget {
  /** `node` runs this file: `bin/waymark.mjs`, or a bundled engine's. */
  bin: string;
  /** The repository (a git work tree). */
  dir: string;
  /** Repository-relative path of the markdown document to edit. */
  document: string;
  /** `--cache-dir` for the server (the bench's, so it opens from the cache its checks wrote). */
  cacheDir?: string;
  /** How many edits (default `LSP_EDITS`). */
  edits?: number;
  /** Ms between one edit's diagnostics and the next edit (default 1000). */
  pauseMs?: number;
  /** Print the server's log messages (`window/logMessage`) to stderr, with the time since start. */
  log?: boolean;
}

/** The edited text: the document with a reference to `benchmark-missing-<n>.tf` after its first line that cites code, or at its end. */
function edited(original: string, edit: number): { text: string; marker: string } {
  const marker = `infra/benchmark-missing-${edit}.tf`;
  const line = `**Code Reference**: \`${marker}:1-5\``;
  const lines = original.split('\n');
  const at = lines.findIndex((text) => /^\*\*Code Reference\*\*:/.test(text));
  if (at < 0) return { text: `${original}\n${line}\n`, marker };
  return { text: [...lines.slice(0, at + 1), '', line, ...lines.slice(at + 1)].join('\n'), marker };
}

/** Start `waymark lsp`, open `document`, time `LSP_EDITS` edits, shut down. Resolves to an error instead of throwing. */
export async function runLspLatency(target: LspTarget): Promise<LspLatency | { error: string }> {
  const args = [target.bin, 'lsp', '--stdio', ...(target.cacheDir ? ['--cache-dir', target.cacheDir] : [])];
  const child = spawn(process.execPath, args, { cwd: target.dir, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const uri = pathToFileURL(path.join(target.dir, target.document)).href;
  let waiter: ((params: PublishDiagnosticsParams) => void) | undefined;
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    if (params.uri === uri) waiter?.(params);
  });
  if (target.log) {
    const t0 = performance.now();
    connection.onNotification(LogMessageNotification.type, (params) => {
      process.stderr.write(`${Math.round(performance.now() - t0)} ms: ${params.message}\n`);
    });
  }
  connection.listen();
  /** The next diagnostics of the document that satisfy `accept`. */
  const diagnosticsWhere = (accept: (params: PublishDiagnosticsParams) => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics ${what} within ${timeoutMs / 1000} s${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`)), timeoutMs);
      waiter = (params) => {
        if (!accept(params)) return;
        clearTimeout(timer);
        waiter = undefined;
        resolve();
      };
    });
  try {
    const original = await readFile(path.join(target.dir, target.document), 'utf8');
    const started = performance.now();
    const opened = diagnosticsWhere(() => true, OPEN_TIMEOUT_MS, 'after opening the document');
    const rootUri = pathToFileURL(target.dir).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(target.dir) }],
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions: { trusted: false },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version: 1, text: original } });
    await opened;
    const openMs = performance.now() - started;
    const edits: number[] = [];
    const cpuBefore = processCpuMs(child.pid);
    for (let edit = 1; edit <= (target.edits ?? LSP_EDITS); edit++) {
      const { text, marker } = edited(original, edit);
      const shown = diagnosticsWhere((params) => params.diagnostics.some((diagnostic) => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value).includes(marker)), EDIT_TIMEOUT_MS, `naming \`${marker}\``);
      const sent = performance.now();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: edit + 1 }, contentChanges: [{ text }] });
      await shown;
      edits.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, target.pauseMs ?? 1000));
    }
    const cpuAfter = processCpuMs(child.pid);
    return { openMs, edits, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuPerEditMs: (cpuAfter - cpuBefore) / edits.length } : {}) };
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    await Promise.race([connection.sendRequest(ShutdownRequest.type).then(() => connection.sendNotification(ExitNotification.type)), new Promise((resolve) => setTimeout(resolve, 5000))]).catch(() => {});
    connection.dispose();
    if (child.exitCode === null) {
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      child.kill('SIGTERM');
    }
    await exited;
  }
}

/** A process's user + system CPU with its waited-for children's, in ms, from `/proc/<pid>/stat`; undefined where there is none. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // The fields after the command (in parentheses, which may hold spaces): utime, stime, cutime, cstime are the 14th to 17th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, at) => sum + Number(fields[at]), 0);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** `getconf CLK_TCK`: 100 on Linux. */
const CLOCK_TICKS = 100;

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** The report's section: one row per repository. */
export function lspSection(rows: { name: string; files: number; latency: LspLatency | { error: string } }[]): string[] {
  return [
    '## Language server',
    '',
    `\`waymark lsp\` driven through the protocol: the time from sending \`textDocument/didChange\` (the whole text of an open document, with a new`,
    `reference to a missing file) to the \`publishDiagnostics\` that name it, debounce included; ${LSP_EDITS} edits a second apart, so the`,
    'history refresh the server runs when typing stops happens between them. Open: from `initialize` to the first diagnostics (start and scan).',
    '',
    '| Repository | Files | Open | Edits | p50 | p95 | max |',
    '| ---------- | ----: | ---: | ----: | --: | --: | --: |',
    ...rows.map(({ name, files, latency }) => {
      if ('error' in latency) return `| ${name} | ${files.toLocaleString('en')} | n/a (${latency.error.replaceAll('|', '\\|')}) | | | | |`;
      const { edits } = latency;
      return `| ${name} | ${files.toLocaleString('en')} | ${formatMs(latency.openMs)} | ${edits.length} | ${formatMs(percentile(edits, 50))} | ${formatMs(percentile(edits, 95))} | ${formatMs(Math.max(...edits))} |`;
    }),
  ];
}

/** The target line for the report: p95 ≤ 100 ms. */
export function lspTarget(name: string, latency: LspLatency | { error: string }): string {
  const label = `- ${name}: language server p95 ≤ 100 ms over ${LSP_EDITS} edits:`;
  if ('error' in latency) return `${label} n/a – not measured`;
  const p95 = percentile(latency.edits, 95);
  return `${label} ${Math.round(p95)} ms ${p95 <= 100 ? '✅ met' : '❌ not met'}`;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { repo: { type: 'string' }, document: { type: 'string' }, 'cache-dir': { type: 'string' }, bin: { type: 'string' }, log: { type: 'boolean' }, pause: { type: 'string' } }, strict: true });
  if (!values.repo) throw new Error('usage: node bin/run-ts.mjs scripts/bench-lsp.ts --repo DIR [--document FILE] [--cache-dir DIR] [--bin FILE]');
  const dir = path.resolve(values.repo);
  const files = spawnSync('git', ['-C', dir, 'ls-files', '-z'], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout.split('\0').filter(Boolean);
  const document = values.document ?? files.find((file) => file.startsWith('docs/processes/') && file.endsWith('.md')) ?? files.find((file) => file.endsWith('.md'));
  if (!document) throw new Error(`no markdown document in ${dir}`);
  const bin = values.bin ? path.resolve(values.bin) : path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'waymark.mjs');
  process.stderr.write(`bench-lsp: ${path.basename(dir)}, editing ${document}\n`);
  const latency = await runLspLatency({ bin, dir, document, cacheDir: values['cache-dir'], log: values.log, pauseMs: values.pause === undefined ? undefined : Number(values.pause) });
  const cpu = 'error' in latency || latency.cpuPerEditMs === undefined ? [] : ['', `Server CPU per edit (check and history refresh, git included): ${formatMs(latency.cpuPerEditMs)}`];
  process.stdout.write(`${[...lspSection([{ name: path.basename(dir), files: files.length, latency }]), ...cpu, '', lspTarget(path.basename(dir), latency)].join('\n')}\n`);
  return 'error' in latency ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`bench-lsp: ${(error as Error).message}\n`);
    return 2;
  });
}
