/**
 * The VS Code extension (editors/vscode) packages with `vsce` without the
 * network, into a .vsix that holds its manifest, its README and one entry
 * point with the language client bundled in; and that entry point, loaded
 * with a stand-in for the `vscode` module, starts the workspace's own
 * `waymark lsp` only when the workspace is trusted.
 */
import { chmodSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { packageVscodeExtension } from '../scripts/package-vscode.ts';
import { projectRoot } from './helpers.ts';

const rootPackage = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8'));
const clientPackage = JSON.parse(await readFile(path.join(projectRoot, 'node_modules', 'vscode-languageclient', 'package.json'), 'utf8'));

/** Any request that tries the network fails at once: a dead proxy, honoured by Node (`NODE_USE_ENV_PROXY`) and npm. */
const OFFLINE: NodeJS.ProcessEnv = {
  ...process.env,
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  NO_PROXY: '',
  NODE_USE_ENV_PROXY: '1',
  npm_config_offline: 'true',
};

let scratch: string;
let entries: Map<string, Buffer>;

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const read = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            read.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(read));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'waymark-vsix-test-'));
  entries = await readZip(await packageVscodeExtension(path.join(scratch, 'waymark.vsix'), OFFLINE));
}, 180_000);

afterAll(async () => {
  // npm, run by the packaging, may still be writing its cache under `user/` while the folder goes (ENOTEMPTY once in CI).
  if (scratch) await rm(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

const text = (name: string) => {
  const entry = entries.get(name);
  if (!entry) throw new Error(`${name} is not in the .vsix (it holds ${[...entries.keys()].join(', ')})`);
  return entry.toString('utf8');
};

describe('the .vsix', () => {
  it('holds the manifest, the README and one bundled entry point, and no node_modules', () => {
    expect([...entries.keys()].sort()).toEqual(['[Content_Types].xml', 'extension.vsixmanifest', 'extension/dist/extension.js', 'extension/package.json', 'extension/readme.md']);
  });

  it('its manifest starts the entry point, at the version of the package, on the editor the client needs', () => {
    const manifest = JSON.parse(text('extension/package.json'));
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.version).toBe(rootPackage.version);
    // The client refuses to run on an older editor than its own engine says.
    expect(manifest.engines.vscode).toBe(clientPackage.engines.vscode);
    expect(manifest.contributes.configuration.properties['waymark.serverPath'].type).toBe('string');
    expect(text('extension.vsixmanifest')).toContain(`<Identity Language="en-US" Id="waymark" Version="${rootPackage.version}" Publisher="waymark" />`);
  });

  it('limits itself in untrusted workspaces, where the server path comes from user settings only', () => {
    const manifest = JSON.parse(text('extension/package.json'));
    expect(manifest.capabilities.untrustedWorkspaces).toMatchObject({ supported: 'limited', restrictedConfigurations: ['waymark.serverPath'] });
  });

  it('bundles the language client: the entry point needs only `vscode` and Node built-ins', () => {
    const entry = text('extension/dist/extension.js');
    const required = new Set([...entry.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]));
    expect([...required].filter((name) => name !== 'vscode' && !isBuiltin(name))).toEqual([]);
    expect(required).toContain('vscode');
    // The protocol's method names come with the client.
    expect(entry).toContain('textDocument/publishDiagnostics');
    expect(entry).toContain('initializationOptions');
  });
});

// ---------------------------------------------------------------------------
// The entry point, run against a stand-in for the editor

/**
 * A value every property of which is another such value, callable,
 * constructible and awaitable (to undefined): the parts of the editor's API a
 * test does not set.
 */
function anything(): any {
  return new Proxy(function () {}, {
    get: (_target, key) => {
      if (key === 'then') return (onFulfilled?: (value: undefined) => unknown) => Promise.resolve(onFulfilled?.(undefined));
      if (key === Symbol.toPrimitive) return () => '';
      return anything();
    },
    apply: () => anything(),
    construct: () => anything(),
  });
}

/** `given`, with anything it does not have. */
function filled<T extends object>(given: T): T {
  return new Proxy(given, { get: (target, key) => (key in target ? target[key as keyof T] : anything()) });
}

/**
 * The `vscode` module as the extension sees it: one workspace folder, its
 * trust, the user's `waymark.serverPath`, and an output channel that records.
 * The bundle copies the module's own keys (`import * as`), so every namespace
 * the extension itself uses is named here.
 */
function fakeEditor(folder: string, trusted: boolean, serverPath = '') {
  const lines: string[] = [];
  const vscode = filled({
    version: '1.95.0',
    workspace: filled({
      isTrusted: trusted,
      workspaceFolders: [{ uri: { fsPath: folder }, name: 'repo', index: 0 }],
      getConfiguration: () => ({ get: (key: string) => (key === 'serverPath' ? serverPath : undefined) }),
    }),
    window: filled({ createOutputChannel: () => filled({ appendLine: (line: string) => lines.push(line) }) }),
    commands: filled({}),
  });
  return { vscode, lines, context: { subscriptions: [] as unknown[] } };
}

/** Load the packaged entry point with `vscode` resolved to the stand-in, the rest as Node resolves it. */
function loadEntry(vscode: unknown): { activate: (context: unknown) => Promise<void> } {
  const module = { exports: {} as any };
  const nodeRequire = createRequire(import.meta.url);
  const load = new Function('require', 'module', 'exports', text('extension/dist/extension.js'));
  load((name: string) => (name === 'vscode' ? vscode : nodeRequire(name)), module, module.exports);
  return module.exports;
}

/**
 * A stand-in server at `file`: it writes its arguments and the client's
 * `initialize` request beside itself (`initialize.json`), then exits.
 */
async function fakeServer(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const log = path.join(path.dirname(file), 'initialize.json');
  await writeFile(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
let data = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  data = Buffer.concat([data, chunk]);
  const header = /Content-Length: (\\d+)\\r\\n\\r\\n/.exec(data.toString('latin1'));
  if (!header) return;
  const start = header.index + header[0].length;
  if (data.length < start + Number(header[1])) return;
  const request = JSON.parse(data.subarray(start, start + Number(header[1])).toString('utf8'));
  fs.writeFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), request }));
  process.exit(0);
});
`,
  );
  chmodSync(file, 0o755);
  return log;
}

async function initializeSeen(log: string): Promise<{ argv: string[]; request: { method: string; params: { initializationOptions: unknown } } }> {
  // The fake server may be caught between creating its log and writing it: wait for whole JSON, not for the file.
  const whole = async (): Promise<boolean> => {
    try {
      JSON.parse(await readFile(log, 'utf8'));
      return true;
    } catch {
      return false;
    }
  };
  await expect.poll(whole, { timeout: 20_000 }).toBe(true);
  return JSON.parse(await readFile(log, 'utf8'));
}

/** Activate with PATH holding only Node, so no other waymark is found; activation goes on into the client, which is not awaited. */
function activate(editor: ReturnType<typeof fakeEditor>): Promise<void> {
  const previousPath = process.env.PATH;
  process.env.PATH = path.dirname(process.execPath);
  try {
    return loadEntry(editor.vscode).activate(editor.context).catch(() => {});
  } finally {
    process.env.PATH = previousPath;
  }
}

describe('the entry point', () => {
  let folder: string;
  let workspaceLog: string;
  beforeAll(async () => {
    // A workspace with its own waymark, which is repository content.
    folder = path.join(scratch, 'workspace');
    workspaceLog = await fakeServer(path.join(folder, 'node_modules', '.bin', 'waymark'));
  });

  it("in an untrusted workspace, starts neither the workspace's own waymark nor any other", async () => {
    const editor = fakeEditor(folder, false);
    await activate(editor);
    expect(editor.lines.join('\n')).toMatch(/not trusted, so its own node_modules\/\.bin\/waymark is not run/);
    expect(editor.lines.join('\n')).not.toMatch(/^Starting/m);
  });

  it('in an untrusted workspace, starts the waymark of the user settings and tells it the workspace is not trusted', async () => {
    const userServer = path.join(scratch, 'user', 'waymark');
    const log = await fakeServer(userServer);
    const editor = fakeEditor(folder, false, userServer);
    void activate(editor);
    const seen = await initializeSeen(log);
    expect(editor.lines[0]).toBe(`Starting \`${userServer} lsp\` (untrusted workspace).`);
    expect(seen.argv).toEqual(['lsp', '--stdio']);
    expect(seen.request.method).toBe('initialize');
    expect(seen.request.params.initializationOptions).toEqual({ trusted: false });
  });

  it("in a trusted workspace, starts the workspace's own waymark and tells it the workspace is trusted", async () => {
    const editor = fakeEditor(folder, true);
    void activate(editor);
    const seen = await initializeSeen(workspaceLog);
    expect(editor.lines[0]).toBe(`Starting \`${path.join(folder, 'node_modules', '.bin', 'waymark')} lsp\` (trusted workspace).`);
    expect(seen.argv).toEqual(['lsp', '--stdio']);
    expect(seen.request.params.initializationOptions).toEqual({ trusted: true });
  });
});
