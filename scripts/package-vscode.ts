/**
 * Package the VS Code extension (editors/vscode) as a .vsix:
 *
 *   npm run package:vscode -- [--out waymark-<version>.vsix]
 *
 * The extension is staged in a scratch folder (the repository is not written
 * to): its manifest with this package's version, its README, and one bundle
 * (esbuild) of its source with `vscode-languageclient` and the engine's
 * language table inside, so the .vsix needs no node_modules and `vsce` runs
 * with `--no-dependencies`. Nothing here uses the network.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extensionRoot = path.join(projectRoot, 'editors', 'vscode');

/** Build the extension into `vsixPath`; resolves to the path written. Throws with vsce's output when packaging fails. */
export async function packageVscodeExtension(vsixPath: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const stage = await mkdtemp(path.join(os.tmpdir(), 'waymark-vscode-'));
  try {
    const manifest = JSON.parse(await readFile(path.join(extensionRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
    const { version } = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    await writeFile(path.join(stage, 'package.json'), `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
    await copyFile(path.join(extensionRoot, 'README.md'), path.join(stage, 'README.md'));
    await build({
      entryPoints: [path.join(extensionRoot, 'src', 'extension.mts')],
      outfile: path.join(stage, 'dist', 'extension.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Provided by the editor at run time.
      external: ['vscode'],
      minify: true,
      logLevel: 'error',
    });
    const out = path.resolve(vsixPath);
    await mkdir(path.dirname(out), { recursive: true });
    const vsce = path.join(projectRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    const packaged = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', out], {
      cwd: stage,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (packaged.status !== 0) throw new Error(`vsce package failed (${packaged.status ?? packaged.signal}):\n${packaged.stdout}${packaged.stderr}`);
    return out;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  const { version } = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const written = await packageVscodeExtension(values.out ?? `waymark-${version}.vsix`);
  process.stderr.write(`waymark: wrote ${path.relative(process.cwd(), written) || written}\n`);
}
