/**
 * The fact cache: a warm scan says exactly what a cold one says, a changed
 * file is read again, a damaged, foreign or forged cache is ignored (and the
 * results stay right), file texts never reach the disk, and the cache lives
 * in the user's cache folder, never in the repository. No timings: what is
 * checked is which files and how many bytes were read, and what came out.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { parseUserConfig, resolveConfig } from '../src/core/config/config.ts';
import { ConfigError } from '../src/node/load-config.ts';
import { collectFacts } from '../src/node/collect-facts.ts';
import { cacheSettings, MAX_CACHE_FILE, openCacheFolder, repositoryCacheId, unseal, userCacheRoot, writeSealed, type CacheFolder, type CacheSettings } from '../src/node/cache-folder.ts';
import { cacheKey, FactCache, parseShard, SHARDS, shardName } from '../src/node/fact-cache.ts';
import { factsOf } from '../src/node/file-record.ts';
import { isBinaryByName } from '../src/node/read-files.ts';
import { scanRepository } from '../src/node/scan.ts';
import { diagnosticLines, projectRoot } from './helpers.ts';

const scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'waymark-cache-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SECRET = 'this sentence is only ever in the file itself';
/** Where the cache lived before it moved out of repositories. */
const OLD_CACHE = 'node_modules/.cache/waymark';
/** The tests' stand-in for the user's cache folder. */
const CACHE_ROOT = path.join(scratch, 'user-cache/waymark');
const SETTINGS: CacheSettings = { root: CACHE_ROOT };
/** An hour ago: older than the racy window, so stamps are trusted. */
const PAST = Date.now() / 1000 - 3600;

let counter = 0;
/** A copy of the example repository plus awkward files, every file dated an hour ago. */
function repository(): string {
  const root = path.join(scratch, `repo-${++counter}`);
  cpSync(path.join(projectRoot, 'content/example-infra'), root, {
    recursive: true,
    filter: (source) => !source.split(path.sep).includes('node_modules'),
  });
  writeFileSync(path.join(root, 'notes.md'), `# Notes\n\n${SECRET}.\n`);
  writeFileSync(path.join(root, 'scripts-extra.sh'), `#!/bin/sh\necho "${SECRET}"\n# Reference: docs/nowhere.md\n`);
  writeFileSync(path.join(root, 'blob.dat'), Buffer.from([1, 0, 2, 0, 3]));
  writeFileSync(path.join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  for (const file of listFiles(root)) age(path.join(root, file));
  return root;
}

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('node_modules/') && !file.startsWith('.git/'))
    .sort();
}

function age(file: string, seconds = PAST): void {
  utimesSync(file, seconds, seconds);
}

/** A scan's graph as plain data, for deep comparison. */
async function graphOf(root: string, cache: boolean | CacheSettings = false) {
  const { graph } = await scanRepository(root, { cache: cache === true ? SETTINGS : cache, workers: 0 });
  return JSON.parse(JSON.stringify(graph));
}

async function folderOf(root: string, settings = SETTINGS): Promise<CacheFolder> {
  const folder = await openCacheFolder(settings, root);
  if ('off' in folder) throw new Error(folder.off);
  return folder;
}

async function collect(root: string) {
  const config = resolveConfig({}, path.basename(root));
  const cache = await FactCache.open(await folderOf(root), cacheKey(config));
  const files = listFiles(root).filter((file) => !isBinaryByName(file));
  const collected = await collectFacts(root, files, config, { cache, workers: 0 });
  await cache.save(collected.records, Date.now());
  return { cache, collected };
}

/** The shard files of a repository's cache in the tests' cache folder. */
function shardPaths(root: string): string[] {
  return Array.from({ length: SHARDS }, (_, shard) => path.join(CACHE_ROOT, repositoryCacheId(root), shardName(shard))).filter((file) => existsSync(file));
}

function shardTexts(root: string): string[] {
  return shardPaths(root).map((file) => readFileSync(file, 'utf8'));
}

/** Rewrite every shard of a repository's cache, sealed with the real key: damage only the checks after the seal can catch. */
async function resealEach(root: string, edit: (payload: string) => string): Promise<void> {
  const folder = await folderOf(root);
  for (let shard = 0; shard < SHARDS; shard++) {
    const file = path.join(folder.path, shardName(shard));
    if (!existsSync(file)) continue;
    const payload = unseal(folder, shardName(shard), readFileSync(file))!;
    expect(await writeSealed(folder, shardName(shard), Buffer.from(edit(payload.toString('utf8'))))).toBe(true);
  }
}

async function cli(args: string[], env: CliIo['env'], cwd = scratch): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env, isTTY: false };
  return { code: await main(args, io), stdout, stderr };
}

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8' });
}

describe('the fact cache', () => {
  it('gives a warm scan the same graph as a cold one, without reading a file', async () => {
    const root = repository();
    const uncached = await graphOf(root, false);
    expect(existsSync(path.join(CACHE_ROOT, repositoryCacheId(root)))).toBe(false);

    const cold = await graphOf(root, true);
    expect(shardTexts(root).length).toBeGreaterThan(0);
    const warm = await graphOf(root, true);
    expect(cold).toEqual(uncached);
    expect(warm).toEqual(cold);

    const { cache, collected } = await collect(root);
    expect(cache.state).toBe('loaded');
    expect(collected.read).toBe(0);
  });

  it('reads a changed file again, and only that one', async () => {
    const root = repository();
    await collect(root);
    const file = path.join(root, 'notes.md');
    writeFileSync(file, '# Notes\n\nSee `docs/gone.md`.\n');
    age(file, PAST + 60);

    const { collected } = await collect(root);
    expect(collected.read).toBe(1);
    const notes = collected.facts.find((facts) => facts.path === 'notes.md');
    expect(notes?.document?.references.map((reference) => reference.raw)).toEqual(['docs/gone.md']);
    expect(await graphOf(root, true)).toEqual(await graphOf(root, false));
  });

  it('takes an unchanged text whose stamp changed from the cache by its digest', async () => {
    const root = repository();
    const before = (await collect(root)).collected.records.find(([file]) => file === 'notes.md')![1];
    age(path.join(root, 'notes.md'), PAST + 120);

    const { collected } = await collect(root);
    const after = collected.records.find(([file]) => file === 'notes.md')![1];
    expect(collected.read).toBe(1);
    expect(after.digest).toBe(before.digest);
    expect(factsOf('notes.md', after)).toEqual(factsOf('notes.md', before));
    expect(after.stamp?.mtimeMs).not.toBe(before.stamp?.mtimeMs);
  });

  it('re-checks files modified just before the scan, whose stamps could hide a change', async () => {
    const root = repository();
    writeFileSync(path.join(root, 'notes.md'), '# Notes\n\nFresh.\n');
    await collect(root);
    expect((await collect(root)).collected.read).toBe(1);
  });

  it('never stores file texts', async () => {
    const root = repository();
    await graphOf(root, true);
    const stored = shardTexts(root).join('\n');
    expect(stored).toContain('notes.md');
    expect(stored).not.toContain(SECRET);
  });

  it('ignores a damaged or tampered cache and still reports the right results', async () => {
    const edit = (root: string, damage: (text: string) => string) => {
      for (const file of shardPaths(root)) writeFileSync(file, damage(readFileSync(file, 'utf8')));
    };
    const cases: [string, (root: string) => void | Promise<void>, string][] = [
      ['truncated', (root) => edit(root, (text) => text.slice(0, Math.floor(text.length / 2))), 'ignored'],
      ['not a cache', (root) => edit(root, () => 'not a cache at all\n'), 'ignored'],
      // Tampered: the MAC no longer verifies.
      ['edited body', (root) => edit(root, (text) => text.replace(/"lineCount":\d+/, '"lineCount":99999')), 'ignored'],
      ['body not JSON', (root) => resealEach(root, (text) => text.slice(0, -1)), 'ignored'],
      ['bad record', (root) => resealEach(root, (text) => text.replace(/\n\[\[/, '\n[[1,')), 'ignored'],
      // Facts of the wrong shape pass the seal; they are refused record by record instead.
      ['bad facts', (root) => resealEach(root, (text) => text.replace(/,\{"language":"[^"]*"/, ',{"language":1')), 'loaded'],
    ];
    for (const [name, damage, state] of cases) {
      const root = repository();
      const expected = await graphOf(root, false);
      await collect(root);
      await damage(root);
      const damaged = await FactCache.open(await folderOf(root), cacheKey(resolveConfig({}, path.basename(root))));
      expect(damaged.state, name).toBe(state);
      if (name === 'edited body') expect(damaged.reason).toBe("a shard is not sealed with this cache's key");
      expect(await graphOf(root, true), name).toEqual(expected);
      // Rebuilt: the next scan trusts it again.
      const { cache, collected } = await collect(root);
      expect(cache.state, name).toBe('loaded');
      expect(collected.read, name).toBe(0);
    }
  });

  it('ignores a cache written by another version or for another config', async () => {
    const root = repository();
    await collect(root);
    await resealEach(root, (text) => {
      const newline = text.indexOf('\n');
      return `${JSON.stringify({ ...JSON.parse(text.slice(0, newline)), key: 'written-by-waymark-0.0.1' })}${text.slice(newline)}`;
    });
    const config = resolveConfig({}, 'repo');
    const opened = await FactCache.open(await folderOf(root), cacheKey(config));
    expect(opened.state).toBe('ignored');
    expect(opened.reason).toBe('another Waymark version or config');
    expect(opened.size).toBe(0);

    const other = resolveConfig({ tags: { process: ['Runbook Process'] } }, 'repo');
    expect(cacheKey(other)).not.toBe(cacheKey(config));
    expect(await graphOf(root, true)).toEqual(await graphOf(root, false));
  });

  it('leaves no temporary files, and writes nothing with the cache off', async () => {
    const root = repository();
    await graphOf(root, false);
    expect(existsSync(path.join(CACHE_ROOT, repositoryCacheId(root)))).toBe(false);
    await graphOf(root, true);
    expect(readdirSync(path.join(CACHE_ROOT, repositoryCacheId(root))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(CACHE_ROOT).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('where the cache lives', () => {
  it('is the user cache folder of each platform, never the repository', () => {
    const home = '/home/ada';
    expect(userCacheRoot({}, 'linux', home)).toBe('/home/ada/.cache/waymark');
    expect(userCacheRoot({ XDG_CACHE_HOME: '/var/cache/ada' }, 'linux', home)).toBe('/var/cache/ada/waymark');
    // A relative XDG_CACHE_HOME is invalid by the spec and ignored.
    expect(userCacheRoot({ XDG_CACHE_HOME: 'cache' }, 'linux', home)).toBe('/home/ada/.cache/waymark');
    expect(userCacheRoot({ XDG_CACHE_HOME: '/x' }, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Caches/waymark');
    expect(userCacheRoot({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Local\\waymark');
    expect(cacheSettings({ WAYMARK_CACHE_DIR: 'ci-cache' }, '/work').root).toBe('/work/ci-cache');
    expect(cacheSettings({ WAYMARK_CACHE_DIR: '/a' }, '/work', '/b').root).toBe('/b');
  });

  it('gives two repositories different folders', async () => {
    const [one, two] = [repository(), repository()];
    await graphOf(one, true);
    await graphOf(two, true);
    expect(repositoryCacheId(one)).not.toBe(repositoryCacheId(two));
    expect(readdirSync(CACHE_ROOT)).toEqual(expect.arrayContaining([repositoryCacheId(one), repositoryCacheId(two)]));
    expect(shardPaths(one).length).toBeGreaterThan(0);
    expect(shardPaths(two).length).toBeGreaterThan(0);
  });

  it('creates the key once, private, and folders and shards private too', async () => {
    const root = repository();
    await graphOf(root, true);
    const key = path.join(CACHE_ROOT, 'key');
    const first = readFileSync(key);
    expect(first.length).toBe(32);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(CACHE_ROOT).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(CACHE_ROOT, repositoryCacheId(root))).mode & 0o777).toBe(0o700);
    for (const shard of shardPaths(root)) expect(statSync(shard).mode & 0o777, shard).toBe(0o600);
    await graphOf(repository(), true);
    expect(readFileSync(key)).toEqual(first);
  });

  it('replaces a key file that is a link, so a key planted elsewhere is never used', async () => {
    const settings = { root: path.join(scratch, 'linked-key-root') };
    mkdirSync(settings.root, { mode: 0o700 });
    const planted = path.join(scratch, 'planted-key');
    writeFileSync(planted, Buffer.alloc(32, 7), { mode: 0o600 });
    symlinkSync(planted, path.join(settings.root, 'key'));
    const folder = await folderOf(repository(), settings);
    expect(folder.secret.equals(Buffer.alloc(32, 7))).toBe(false);
    expect(readFileSync(planted)).toEqual(Buffer.alloc(32, 7));
    expect(statSync(path.join(settings.root, 'key')).isFile()).toBe(true);
  });

  it('takes the key from WAYMARK_CACHE_KEY, writes no key file then, and refuses shards sealed with another key', async () => {
    const root = repository();
    const cacheRoot = path.join(scratch, 'ci-cache');
    const ci = cacheSettings({ WAYMARK_CACHE_KEY: 'a secret from the CI settings' }, scratch, cacheRoot);
    const expected = await graphOf(root, false);
    expect(await graphOf(root, ci)).toEqual(expected);
    expect(existsSync(path.join(cacheRoot, 'key'))).toBe(false);
    const config = resolveConfig({}, path.basename(root));
    expect((await FactCache.open(await folderOf(root, ci), cacheKey(config))).state).toBe('loaded');

    // The restored folder under another key (a fork's forged cache, an old secret): ignored and rebuilt.
    const other = cacheSettings({ WAYMARK_CACHE_KEY: 'another secret' }, scratch, cacheRoot);
    const opened = await FactCache.open(await folderOf(root, other), cacheKey(config));
    expect(opened).toMatchObject({ state: 'ignored', size: 0 });
    expect(await graphOf(root, other)).toEqual(expected);

    // Set but empty (what a fork's pull request gets for a secret): no cache at all.
    const empty = cacheSettings({ WAYMARK_CACHE_KEY: '' }, scratch, path.join(scratch, 'never-made'));
    expect(await openCacheFolder(empty, root)).toEqual({ off: '`WAYMARK_CACHE_KEY` is set but empty' });
    expect(await graphOf(root, empty)).toEqual(expected);
    expect(existsSync(path.join(scratch, 'never-made'))).toBe(false);
  });

  it('inside the repository only with WAYMARK_CACHE_KEY, and never scanned there', async () => {
    const root = repository();
    const inside = path.join(root, '.waymark-cache');
    expect(await openCacheFolder({ root: inside }, root)).toMatchObject({ off: expect.stringContaining('WAYMARK_CACHE_KEY') });
    expect(existsSync(inside)).toBe(false);
    const keyed = cacheSettings({ WAYMARK_CACHE_KEY: 'gitlab variable' }, root, '.waymark-cache');
    const { graph } = await scanRepository(root, { cache: keyed, workers: 0 });
    expect(readdirSync(path.join(inside, repositoryCacheId(root))).length).toBeGreaterThan(0);
    expect(graph.paths.some((file) => file.startsWith('.waymark-cache/'))).toBe(false);
  });

  it('refuses `cacheDir` in a config, naming the file and the way to move the cache', async () => {
    const { errors } = parseUserConfig({ cacheDir: 'node_modules/.cache/waymark' }, 'waymark.config.json');
    expect(errors).toEqual([expect.stringMatching(/^`waymark.config.json`: `cacheDir`: is no longer supported: .*WAYMARK_CACHE_DIR/)]);
    const root = repository();
    writeFileSync(path.join(root, 'waymark.config.json'), JSON.stringify({ cacheDir: '.waymark-cache' }));
    await expect(scanRepository(root)).rejects.toBeInstanceOf(ConfigError);
    const result = await cli(['check', '--repo', root], { XDG_CACHE_HOME: path.join(scratch, 'xdg-config') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`waymark.config.json`: `cacheDir`: is no longer supported');
  });
});

describe('a hostile repository and the cache', () => {
  it('never reads a shard committed where the cache used to be, checksum and all', async () => {
    const root = repository();
    const expected = diagnosticLines((await scanRepository(root, { workers: 0 })).graph.diagnostics);
    expect(expected.some((line) => line.startsWith('scripts-extra.sh:') && line.includes('docs/nowhere.md'))).toBe(true);

    // The attacker's cache: genuine records (so every stamp matches), the broken reference rewritten to one that exists.
    await collect(root);
    const folder = await folderOf(root);
    const forged: [number, string][] = [];
    for (let shard = 0; shard < SHARDS; shard++) {
      const file = path.join(folder.path, shardName(shard));
      if (!existsSync(file)) continue;
      const payload = unseal(folder, shardName(shard), readFileSync(file))!.toString('utf8');
      forged.push([shard, payload.replaceAll('docs/nowhere.md', 'README.md')]);
    }
    expect(forged.some(([, payload]) => payload.includes('README.md'))).toBe(true);
    rmSync(folder.path, { recursive: true });

    // Committed at the old location in the old format, with a checksum that verifies.
    mkdirSync(path.join(root, OLD_CACHE), { recursive: true });
    for (const [shard, payload] of forged) {
      const newline = payload.indexOf('\n');
      const body = payload.slice(newline + 1);
      const header = { ...JSON.parse(payload.slice(0, newline)), format: 'waymark-fact-cache/3', body: crc32(Buffer.from(body)) };
      writeFileSync(path.join(root, OLD_CACHE, shardName(shard)), `${JSON.stringify(header)}\n${body}`);
    }
    const cold = await scanRepository(root, { cache: SETTINGS, workers: 0 });
    expect(diagnosticLines(cold.graph.diagnostics)).toEqual(expected);
    const warm = await scanRepository(root, { cache: SETTINGS, workers: 0 });
    expect(diagnosticLines(warm.graph.diagnostics)).toEqual(expected);

    // The forgery works only where it cannot be planted: sealed with the user's own key in the user's folder.
    const own = await folderOf(root);
    for (const [shard, payload] of forged) await writeSealed(own, shardName(shard), Buffer.from(payload));
    const fooled = await scanRepository(root, { cache: SETTINGS, workers: 0 });
    expect(diagnosticLines(fooled.graph.diagnostics)).not.toEqual(expected);
  });

  it('skips a shard that is a link to /dev/zero, or a FIFO, reading nothing from it', async () => {
    const root = repository();
    await collect(root);
    const config = resolveConfig({}, path.basename(root));
    const [first, second] = shardPaths(root);
    rmSync(first);
    symlinkSync('/dev/zero', first);
    const linked = await FactCache.open(await folderOf(root), cacheKey(config));
    expect(linked).toMatchObject({ state: 'ignored', reason: 'a shard was skipped: it is a symbolic link' });
    const genuine = shardPaths(root).slice(1).reduce((sum, file) => sum + statSync(file).size, 0);
    expect(linked.bytesRead).toBe(genuine);

    const secondSize = statSync(second).size;
    rmSync(second);
    execFileSync('mkfifo', [second]);
    const fifo = await FactCache.open(await folderOf(root), cacheKey(config));
    expect(fifo.state).toBe('ignored');
    expect(fifo.bytesRead).toBe(genuine - secondSize);
    expect(await graphOf(root, true)).toEqual(await graphOf(root, false));
  });

  it('refuses a shard over 64 MiB without reading it', async () => {
    const root = repository();
    await collect(root);
    const files = shardPaths(root);
    const big = files[0];
    const genuine = files.slice(1).reduce((sum, file) => sum + statSync(file).size, 0);
    // Sparse: 65 MiB that take no disk space.
    const fd = openSync(big, 'r+');
    ftruncateSync(fd, MAX_CACHE_FILE + 1024 * 1024);
    closeSync(fd);
    const opened = await FactCache.open(await folderOf(root), cacheKey(resolveConfig({}, path.basename(root))));
    expect(opened).toMatchObject({ state: 'ignored', reason: `a shard was skipped: it is larger than ${MAX_CACHE_FILE} bytes` });
    expect(opened.bytesRead).toBe(genuine);
  });

  it('leaves `git status` clean after `check` in a repository without node_modules', async () => {
    const root = repository();
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'import');
    const xdg = path.join(scratch, 'xdg-status');
    const result = await cli(['check', '--repo', root], { XDG_CACHE_HOME: xdg });
    expect(result.code).toBe(1);
    expect(git(root, 'status', '--porcelain', '--untracked-files=all', '--ignored')).toBe('');
    expect(readdirSync(path.join(xdg, 'waymark', repositoryCacheId(root))).length).toBeGreaterThan(0);
    // `--cache-dir` moves it, and the second run comes from the cache with the same report.
    const moved = path.join(scratch, 'flag-cache');
    const again = await cli(['check', '--repo', root, '--cache-dir', moved], { XDG_CACHE_HOME: xdg });
    expect(again.stdout).toBe(result.stdout);
    expect(readdirSync(path.join(moved, repositoryCacheId(root))).length).toBeGreaterThan(0);
    expect(git(root, 'status', '--porcelain', '--untracked-files=all', '--ignored')).toBe('');
  });
});

describe('parseShard', () => {
  it('refuses a shard filed under another number', () => {
    const header = JSON.stringify({ format: 'waymark-fact-cache/5', key: 'k', shard: 3 });
    expect(parseShard(Buffer.from(`${header}\n[]`), 'k', 4)).toEqual({ problem: 'a shard is filed under another number' });
    expect(parseShard(Buffer.from(`${header}\n[]`), 'k', 3)).toEqual({ records: [] });
  });
});
