/**
 * The language server's check queue (src/node/lsp/check-queue.ts): edits in
 * a burst make one check; a check overtaken by a newer edit learns it was
 * superseded (its result is dropped); checks queued behind a newer one are
 * skipped; `settle` resolves only once every edit so far was checked.
 */
import { describe, expect, it } from 'vitest';
import { CheckQueue } from '../src/node/lsp/check-queue.ts';

/** A check the test finishes by hand, recording what it saw. */
function manualChecks() {
  const log: string[] = [];
  const finishers: Array<() => void> = [];
  let count = 0;
  const queue = new CheckQueue(
    5,
    (superseded) => {
      const n = ++count;
      log.push(`start ${n}`);
      return new Promise<void>((done) => {
        finishers.push(() => {
          log.push(`end ${n}${superseded() ? ' superseded' : ''}`);
          done();
        });
      });
    },
    (error) => log.push(`failed ${String(error)}`),
  );
  const started = async (n: number) => {
    for (let i = 0; i < 200 && finishers.length < n; i++) await new Promise((resume) => setTimeout(resume, 5));
    expect(finishers.length).toBe(n);
  };
  return { queue, log, finishers, started };
}

describe('CheckQueue', () => {
  it('makes one check of a burst of edits', async () => {
    const { queue, log, finishers, started } = manualChecks();
    for (let i = 0; i < 5; i++) queue.schedule();
    await started(1);
    finishers[0]();
    await queue.settle();
    expect(log).toEqual(['start 1', 'end 1']);
  });

  it('tells a check overtaken by an edit that it is superseded, and checks again', async () => {
    const { queue, log, finishers, started } = manualChecks();
    queue.schedule();
    await started(1);
    queue.schedule();
    const settled = queue.settle();
    finishers[0]();
    await started(2);
    finishers[1]();
    await settled;
    expect(log).toEqual(['start 1', 'end 1 superseded', 'start 2', 'end 2']);
  });

  it('skips a check queued behind a newer one, and settles only after the last', async () => {
    const { queue, log, finishers, started } = manualChecks();
    queue.schedule();
    await started(1);
    // Two edits, each flushed at once (as requests do), while the first check runs.
    queue.schedule();
    const first = queue.settle();
    queue.schedule();
    const second = queue.settle();
    let done = false;
    void Promise.all([first, second]).then(() => (done = true));
    finishers[0]();
    await started(2);
    expect(done).toBe(false);
    finishers[1]();
    await Promise.all([first, second]);
    expect(log).toEqual(['start 1', 'end 1 superseded', 'start 2', 'end 2']);
  });

  it('goes on after a check that throws', async () => {
    const log: string[] = [];
    let calls = 0;
    const queue = new CheckQueue(
      1,
      async () => {
        calls++;
        if (calls === 1) throw new Error('broken');
      },
      (error) => log.push((error as Error).message),
    );
    queue.schedule();
    await queue.settle();
    queue.schedule();
    await queue.settle();
    expect([calls, log]).toEqual([2, ['broken']]);
  });

  it('is idle only once no edit waits for its check and no check runs (what the history refresh waits for)', async () => {
    const { queue, log, finishers, started } = manualChecks();
    let idle = 0;
    const waitIdle = () => void queue.idle().then(() => idle++);
    waitIdle();
    await new Promise((resume) => setTimeout(resume, 1));
    expect(idle).toBe(1);
    queue.schedule();
    waitIdle();
    await started(1);
    // The check runs: still not idle.
    await new Promise((resume) => setTimeout(resume, 20));
    expect(idle).toBe(1);
    // A newer edit during it: idle only after its own check too.
    queue.schedule();
    finishers[0]();
    await started(2);
    await new Promise((resume) => setTimeout(resume, 20));
    expect(idle).toBe(1);
    finishers[1]();
    await new Promise((resume) => setTimeout(resume, 20));
    expect(idle).toBe(2);
    expect(log).toEqual(['start 1', 'end 1 superseded', 'start 2', 'end 2']);
  });
});
