/**
 * Property tests of git metadata, which a repository's author controls
 * completely (issue 11, "What done means"): commit subjects and file names
 * with newlines, escape sequences, `::error::`, quotes, `\x1e`/`\x1f` (the
 * log parser's own separators) and any unicode but NUL. Each run writes a
 * real repository with `git fast-import` (messages and paths byte for byte)
 * and reads it back through Waymark's git reader: subjects come back exactly
 * as git prints them, paths exactly as written, commits in order. Then the
 * subjects travel the way findings carry them (`describeCommit`) into the
 * text and GitHub reporters, which must not emit a line the diagnostics did
 * not make, nor (text) any raw control character.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCommit } from '../src/core/history/history.ts';
import type { Diagnostic } from '../src/core/schema.ts';
import { openRepository, readCommitLog } from '../src/node/git-history.ts';
import { githubReporter } from '../src/reporters/github.ts';
import { compactReporter } from '../src/reporters/compact.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-git-props-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Characters that have broken parsers and terminals: separators, escapes, quotes, line breaks of every kind. */
const NASTY = ['\n', '\r', '\t', '\x1b', '\x1e', '\x1f', '\x07', '\x7f', '\x9b', '"', "'", '`', '\\', '%', ':', ',', ' ', '\u2028', '\u2029', '\u202e', 'é', '漢', '🙂'];
const nastyText = (maxLength: number) =>
  fc.array(fc.oneof(fc.constantFrom(...NASTY, '::error::', '::warning file=x::', '\x1b[31m', '\x1b]8;;http://x\x07'), fc.string({ unit: 'grapheme', maxLength: 3 })), {
    maxLength,
  });
/** A commit message: anything but NUL, which git cannot store in one. */
const message = nastyText(12).map((parts) => parts.join('').replaceAll('\0', ''));
/** A file name: anything but NUL and `/`, never `.`, `..` or `.git` (git refuses those), kept short. */
const fileName = nastyText(6).map((parts) => `f${parts.join('').replace(/[\0/]/g, '')}`.slice(0, 60));

/** C-quoted, as `git fast-import` takes a path with a line break or a quote in it. */
function quotePath(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  let out = '"';
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

interface Commit {
  message: string;
  files: string[];
}

/** One `fast-import` stream: each commit adds its files under `docs/`, at a fixed date, on `main`. */
function importStream(commits: Commit[]): Buffer {
  const parts: Buffer[] = [];
  commits.forEach((commit, index) => {
    const body = Buffer.from(commit.message, 'utf8');
    const time = 1767520800 + index * 86_400;
    parts.push(Buffer.from(`commit refs/heads/main\ncommitter Test <test@example.com> ${time} +0000\ndata ${body.length}\n`));
    parts.push(body, Buffer.from('\n'));
    for (const file of commit.files) parts.push(Buffer.from(`M 100644 inline ${quotePath(`docs/${file}`)}\ndata 2\n${index}\n\n`));
  });
  return Buffer.concat(parts);
}

const RUNS = { numRuns: 25 };
let counter = 0;

describe('git metadata from the repository', () => {
  it('round-trips through the log reader and never forges a report line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ message, files: fc.uniqueArray(fileName, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 4 }),
        async (commits) => {
          // A file name is added once: later commits' repeats are dropped, so each path has one known commit.
          const seen = new Set<string>();
          for (const commit of commits) commit.files = commit.files.filter((file) => !seen.has(file) && seen.add(file));
          const repo = path.join(scratch, `r${counter++}`);
          mkdirSync(repo);
          const plain = (args: string[], input?: Buffer) =>
            execFileSync('git', args, { cwd: repo, input, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' }, maxBuffer: 1 << 26 });
          plain(['init', '-q', '-b', 'main']);
          plain(['fast-import', '--quiet'], importStream(commits));
          plain(['reset', '-q', '--soft', 'main']);

          const repository = (await openRepository(repo))!;
          const log = await readCommitLog(repository);
          // What git itself says the subjects are (NUL-separated, so nothing is ambiguous).
          const subjects = plain(['log', '-z', '--format=%s', 'main']).toString('utf8').split('\0').slice(0, commits.length);
          expect(log.order.map((hash) => log.commits[hash].subject)).toEqual(subjects);
          commits.forEach((commit, index) => {
            const subject = log.commits[log.order[commits.length - 1 - index]].subject;
            // A one-line message git keeps as it is comes back unchanged.
            if (!/[\n\r]/.test(commit.message) && commit.message.trim() === commit.message) expect(subject).toBe(commit.message);
          });
          const expectedFiles = commits.flatMap((commit) => commit.files.map((file) => `docs/${file}`)).sort();
          expect(Object.keys(log.fileChanges).sort()).toEqual(expectedFiles);
          commits.forEach((commit, index) => {
            const hash = log.order[commits.length - 1 - index];
            for (const file of commit.files) expect(log.fileChanges[`docs/${file}`]).toEqual([{ hash, status: 'A' }]);
          });

          const diagnostics: Diagnostic[] = log.order.map((hash, index) => ({
            rule: 'stale-reference',
            severity: 'warning',
            file: Object.keys(log.fileChanges).sort()[index % expectedFiles.length],
            line: index + 1,
            column: 1,
            message: `\`deploy.sh:1-2\` changed after this document was last validated: ${describeCommit(log.commits[hash])}`,
          }));
          const report = { diagnostics, pathPrefix: '', version: '0.0.0' };
          const text = compactReporter(report);
          // One line per diagnostic, a blank line, the summary: nothing a subject or a name could add.
          expect(text.split('\n')).toHaveLength(diagnostics.length + 3);
          expect(text.replaceAll('\n', '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
          const github = githubReporter(report).split('\n');
          expect(github.pop()).toBe('');
          expect(github).toHaveLength(diagnostics.length);
          for (const line of github) {
            expect(line).toMatch(/^::warning file=[^:\r\n]*,line=\d+,col=1,title=waymark stale-reference::/);
            // The runner reads a command per `\n` or `\r`; other characters are the escaping helper's business.
            expect(line).not.toContain('\r');
          }
        },
      ),
      RUNS,
    );
  }, 240_000);
});
