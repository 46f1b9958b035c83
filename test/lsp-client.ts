/**
 * A language-server client for the tests: starts `node bin/waymark.mjs lsp
 * --stdio` in a repository, speaks the protocol through
 * vscode-languageserver-protocol, and keeps what the server sends (published
 * diagnostics, log and shown messages) so a test can wait for a state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  UnregistrationRequest,
  type ClientCapabilities,
  type Registration,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { Repo } from './git-repo.ts';
import { binPath, fixturesDir } from './helpers.ts';

/** `test/fixtures/<scenario>/repo` copied into a scratch git repository and committed on `date` (remove with `removeRepos`). */
export function committedFixture(scenario: string, date: string, message: string): Repo {
  const repo = new Repo();
  cpSync(path.join(fixturesDir, scenario, 'repo'), repo.dir, { recursive: true });
  repo.commit(date, message);
  return repo;
}

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly logs: string[] = [];
  readonly shown: string[] = [];
  /** What the server registered dynamically (`client/registerCapability`). */
  readonly registrations: Registration[] = [];
  /** The ids of registrations the server withdrew (`client/unregisterCapability`). */
  readonly unregistered: string[] = [];
  /** Every publish, in order: `file (count)`. */
  readonly publishes: string[] = [];
  stdout = '';
  stderr = '';
  private readonly versions = new Map<string, number>();
  private waiters: Array<() => void> = [];

  private constructor(
    readonly root: string,
    private readonly child: ChildProcess,
  ) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (chunk) => (this.stderr += String(chunk)));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const file = this.fileOf(params.uri);
      this.diagnostics.set(file, params.diagnostics);
      this.publishes.push(`${file} (${params.diagnostics.length})`);
      this.wake();
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
      this.wake();
    });
    this.connection.onNotification(ShowMessageNotification.type, (params) => {
      this.shown.push(params.message);
      this.wake();
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      this.wake();
    });
    this.connection.onRequest(UnregistrationRequest.type, (params) => {
      this.unregistered.push(...params.unregisterations.map((registration) => registration.id));
      this.wake();
    });
    this.connection.listen();
  }

  /** Start the server for `root` and finish the handshake. */
  static async start(
    root: string,
    initializationOptions: unknown = { trusted: false },
    capabilities: ClientCapabilities = {},
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<{ client: LspClient; initialized: InitializeResult }> {
    // No cache: a test leaves nothing in a shared folder.
    const child = spawn(process.execPath, [binPath, 'lsp', '--stdio', '--no-cache'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new LspClient(root, child);
    const initialized = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: client.uri(''),
      workspaceFolders: [{ uri: client.uri(''), name: path.basename(root) }],
      capabilities,
      initializationOptions,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, initialized };
  }

  uri(file: string): string {
    return pathToFileURL(path.join(this.root, file)).href;
  }

  fileOf(uri: string): string {
    return path.relative(this.root, new URL(uri).pathname).split(path.sep).join('/');
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolve once `ready()` holds (checked on every message), or fail after `ms` with `what`. */
  async until<T>(what: string, ready: () => T | undefined | false, ms = 60_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = ready();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; published: ${this.publishes.join(', ')}; stderr: ${this.stderr}`);
      await new Promise<void>((wake) => {
        this.waiters.push(wake);
        setTimeout(wake, 250);
      });
    }
  }

  /** `line:col rule` of a file's published diagnostics (1-based, as `waymark check` prints them). */
  lines(file: string): string[] {
    return (this.diagnostics.get(file) ?? []).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)}`).sort();
  }

  async open(file: string, text: string, languageId = 'markdown'): Promise<void> {
    this.versions.set(file, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: this.uri(file), languageId, version: 1, text } });
  }

  /** Replace the whole text of an open document. */
  async change(file: string, text: string): Promise<void> {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: this.uri(file), version }, contentChanges: [{ text }] });
  }

  async close(file: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uri(file) } });
  }

  /** Shut down politely and wait for the process to end; its exit code. */
  async stop(): Promise<number | null> {
    const ended = new Promise<number | null>((done) => this.child.once('exit', (code) => done(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await ended;
    this.connection.dispose();
    return code;
  }
}
