/**
 * The VS Code client of `waymark lsp`: finds the executable, starts it over
 * stdio and restarts it when its settings or the workspace's trust change.
 * Everything else (diagnostics, definition, hover, completion, code actions,
 * references) is the server's; this file only connects the two.
 *
 * Trust: in an untrusted workspace nothing from the repository runs. The
 * workspace's own `node_modules/.bin/waymark` is repository content, so it is
 * not started there (`waymark.serverPath` comes from user settings only, as
 * the manifest's `restrictedConfigurations` says), and the server is told
 * `{ trusted: false }` so it runs no `waymark.config.mjs`.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { knownFileNames } from '../../../src/core/extract/languages.ts';

/** What the server is told at `initialize` (`initializationOptions`). */
interface WaymarkInitializationOptions {
  /** The workspace is trusted: the server may run the repository's `waymark.config.mjs`. Anything but `true` means it may not. */
  trusted: boolean;
}

const SECTION = 'waymark';
const isWindows = process.platform === 'win32';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
/** Restarts run one after another: a settings change can fire several events at once. */
let restarting: Promise<void> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Waymark', { log: true });
  context.subscriptions.push(
    output,
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SECTION)) void restart();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart()),
    vscode.commands.registerCommand('waymark.restartServer', () => restart()),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function restart(): Promise<void> {
  restarting = restarting.then(async () => {
    const previous = client;
    client = undefined;
    await previous?.stop().catch((error: unknown) => output.appendLine(`Stopping the server: ${String(error)}`));
    await start();
  });
  return restarting;
}

async function start(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const trusted = vscode.workspace.isTrusted;
  const command = serverCommand(folder?.uri.fsPath, trusted);
  if (!command) {
    output.appendLine(
      trusted
        ? 'No `waymark` found: set `waymark.serverPath`, install waymark in the workspace (`npm install -D waymark`) or put it on the PATH.'
        : 'No `waymark` found. The workspace is not trusted, so its own node_modules/.bin/waymark is not run: set `waymark.serverPath` in your user settings, or put waymark on the PATH.',
    );
    return;
  }
  output.appendLine(`Starting \`${command} lsp\` (${trusted ? 'trusted' : 'untrusted'} workspace).`);
  const serverOptions: ServerOptions = {
    command,
    args: ['lsp', '--stdio'],
    // npm's `.cmd` shims only run through a shell.
    options: { cwd: folder?.uri.fsPath, shell: isWindows && /\.cmd$/i.test(command) },
  };
  const initializationOptions: WaymarkInitializationOptions = { trusted };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    initializationOptions,
    outputChannel: output,
  };
  const started = new LanguageClient(SECTION, 'Waymark', serverOptions, clientOptions);
  client = started;
  try {
    await started.start();
  } catch (error) {
    output.appendLine(`The server did not start: ${String(error)}`);
  }
}

/**
 * The executable to start: `waymark.serverPath`, else the workspace's own
 * install (trusted workspaces only), else `waymark` on the PATH; undefined
 * when there is none.
 */
function serverCommand(folder: string | undefined, trusted: boolean): string | undefined {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>('serverPath')?.trim();
  if (configured) return folder && !path.isAbsolute(configured) ? path.resolve(folder, configured) : configured;
  if (trusted && folder) {
    const local = path.join(folder, 'node_modules', '.bin', isWindows ? 'waymark.cmd' : 'waymark');
    if (existsSync(local)) return local;
  }
  return onPath(isWindows ? ['waymark.cmd', 'waymark.exe'] : ['waymark']);
}

function onPath(names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
  }
  return undefined;
}

/**
 * Markdown and every file whose comments Waymark reads, by the names of the
 * engine's language table (bundled from src/core, so the two cannot drift).
 * Globs match case-sensitively, so whole names come in their usual spellings.
 */
function documentSelector(): DocumentSelector {
  const { extensions, names, heads } = knownFileNames();
  const spellings = (name: string) => [name, name.charAt(0).toUpperCase() + name.slice(1), name.toUpperCase()];
  const wholeNames = [...new Set([...names, ...heads].flatMap(spellings))];
  const variants = [...new Set(heads.flatMap(spellings))].map((head) => `${head}.*`);
  return [
    { scheme: 'file', language: 'markdown' },
    { scheme: 'file', pattern: `**/*.{${extensions.join(',')}}` },
    { scheme: 'file', pattern: `**/{${[...wholeNames, ...variants].join(',')}}` },
  ];
}
