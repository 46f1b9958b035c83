/**
 * When the language server checks: once edits pause (debounce), one check at
 * a time, and never a check whose answer is already out of date. A check
 * queued behind a newer one is skipped (the newer one reads its edit too),
 * and a check that finishes after a newer edit arrived is told so
 * (`superseded`) so its result is dropped instead of published: the next
 * check, a few milliseconds later, publishes diagnostics that match the text.
 * A check may also ask `superseded()` at its own waits and stop there (the
 * engine does after reading the file list again; the rest of a check is one
 * synchronous run that no message can interrupt).
 */

/** One check; `superseded()` says whether a newer edit arrived since it started. */
export type QueuedCheck = (superseded: () => boolean) => Promise<void>;

export class CheckQueue {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  /** Bumped by every queued check: a check that is not the last queued one is skipped. */
  private queued = 0;

  constructor(
    private readonly delayMs: number,
    private readonly check: QueuedCheck,
    private readonly failed: (error: unknown) => void,
  ) {}

  /** An edit: check once edits pause for the delay. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), this.delayMs);
  }

  /** Check now what waits, and resolve once every edit so far has been checked (requests answer from the text the user sees). */
  async settle(): Promise<void> {
    for (;;) {
      if (this.timer !== undefined) this.start();
      const waiting = this.running;
      await waiting;
      if (this.timer === undefined && this.running === waiting) return;
    }
  }

  /**
   * Resolve once no check waits or runs (no edit pending): what a background
   * read waits for between its steps, so that it never holds up a keystroke's
   * check. Unlike `settle`, it starts nothing: a pending edit is checked after its pause.
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.timer !== undefined) {
        await new Promise<void>((resume) => this.idleWaiters.push(resume));
        continue;
      }
      const waiting = this.running;
      await waiting;
      if (this.timer === undefined && this.running === waiting) return;
    }
  }

  private idleWaiters: Array<() => void> = [];

  /** Stop: no check starts after this. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queued++;
    this.wakeIdle();
  }

  /** The timer is gone (a check started, or the queue stopped): `idle` waits for what runs now. */
  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resume of waiters) resume();
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const turn = ++this.queued;
    const superseded = () => this.timer !== undefined || this.queued !== turn;
    this.running = this.running
      .then(async () => {
        // Messages already received (newer edits, cancellations) are read before a check starts.
        await new Promise<void>((resume) => setImmediate(resume));
        if (superseded()) return;
        await this.check(superseded);
      })
      .catch(this.failed);
    this.wakeIdle();
  }
}
