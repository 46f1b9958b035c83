/** The benchmark's synthetic repository: deterministic, sized as promised, with known broken references. */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRandom, generateRepository, planRepository } from '../scripts/generate-repo.ts';

const made: string[] = [];

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'waymark-generate-'));
  made.push(dir);
  return dir;
}

/** One digest over every path and its bytes, in sorted path order. */
async function treeDigest(root: string): Promise<string> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(await readFile(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('createRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('generateRepository', () => {
  it('writes byte-identical trees for the same seed', async () => {
    const [first, second] = [await freshDir(), await freshDir()];
    const a = await generateRepository(first, 'small', 3);
    const b = await generateRepository(second, 'small', 3);
    expect(b).toEqual(a);
    expect(await treeDigest(second)).toBe(await treeDigest(first));
  });

  it('writes a different tree for a different seed', async () => {
    const [first, second] = [await freshDir(), await freshDir()];
    await generateRepository(first, 'small', 1);
    await generateRepository(second, 'small', 2);
    expect(await treeDigest(second)).not.toBe(await treeDigest(first));
  });

  it('reports the files it wrote and the promised small counts', async () => {
    const dir = await freshDir();
    const result = await generateRepository(dir, 'small');
    const written = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(written).toHaveLength(result.files);
    expect(result.files).toBeGreaterThanOrEqual(180);
    expect(result.files).toBeLessThanOrEqual(220);
    expect(result.processes).toBe(10);
    expect(result.tasks).toBe(15);
  });
});

describe('planRepository', () => {
  it('sizes medium as promised without touching the disk', () => {
    const plan = planRepository('medium');
    expect(plan.files).toBeGreaterThanOrEqual(4_900);
    expect(plan.files).toBeLessThanOrEqual(5_100);
    expect(plan.processes).toBe(200);
    expect(plan.tasks).toBe(300);
    expect(new Set(plan.contents.map(([file]) => file)).size).toBe(plan.files);
  });

  it('puts each broken reference alone on a Code Reference line of a process document', () => {
    const plan = planRepository('small', 5);
    const byPath = new Map(plan.contents);
    expect(plan.brokenReferences.length).toBeGreaterThanOrEqual(4);
    expect(new Set(plan.brokenReferences).size).toBe(plan.brokenReferences.length);
    for (const place of plan.brokenReferences) {
      const [file, line] = place.split(':');
      const text = byPath.get(file)!.split('\n')[Number(line) - 1];
      expect(text).toMatch(/^\*\*Code Reference\*\*: `[^`]+`$/);
      const target = /`([^`:]+):(\d+)-\d+`/.exec(text)!;
      const content = byPath.get(target[1]);
      // Either the file is missing, or the range starts past its last line.
      if (content !== undefined) expect(Number(target[2])).toBeGreaterThan(content.split('\n').length);
    }
  });

  it('cites only existing files and in-range lines outside the broken set', () => {
    const plan = planRepository('small', 9);
    const lineCounts = new Map(plan.contents.map(([file, text]) => [file, text.split('\n').length - 1]));
    const broken = new Set(plan.brokenReferences);
    let checked = 0;
    for (const [file, text] of plan.contents) {
      if (!file.startsWith('docs/processes/')) continue;
      text.split('\n').forEach((line, index) => {
        if (broken.has(`${file}:${index + 1}`)) return;
        for (const match of line.matchAll(/`([\w./-]+?)(?::(\d+)(?:-(\d+))?|#L(\d+)-L(\d+))?`/g)) {
          expect(lineCounts.has(match[1]), `${file}:${index + 1} cites ${match[1]}`).toBe(true);
          const end = Number(match[3] ?? match[2] ?? match[5] ?? 0);
          expect(end).toBeLessThanOrEqual(lineCounts.get(match[1])!);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('rejects an unknown size', () => {
    expect(() => planRepository('huge' as never)).toThrow(/unknown size/);
  });
});
