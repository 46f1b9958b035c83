/**
 * Where a run's time went, phase by phase (`--timing`): so a user can say why
 * a run in their repository is slow without sending the repository to anyone.
 * Wall-clock milliseconds; phases that overlap (git runs beside reading) say
 * so in their note.
 */

/** The phases a run reports, in the order they are printed. */
const PHASES = ['config', 'discover', 'cache load', 'read', 'parse', 'git', 'link', 'check', 'cache save', 'render', 'index'] as const;
export type Phase = (typeof PHASES)[number];

export class RunTiming {
  /** `since`: when the run began, in `performance.now()` time; 0 is the start of the process (the CLI's choice). */
  constructor(private readonly started = performance.now()) {}

  private readonly spent = new Map<Phase, number>();
  private readonly notes = new Map<Phase, string>();

  /** Add `ms` to a phase (phases may be entered more than once). */
  add(phase: Phase, ms: number, note?: string): void {
    this.spent.set(phase, (this.spent.get(phase) ?? 0) + ms);
    if (note) this.notes.set(phase, note);
  }

  /** Time a synchronous step. */
  measure<T>(phase: Phase, step: () => T): T {
    const start = performance.now();
    try {
      return step();
    } finally {
      this.add(phase, performance.now() - start);
    }
  }

  /** Time an asynchronous step, from the call to its settling. */
  async wait<T>(phase: Phase, step: Promise<T> | (() => Promise<T>)): Promise<T> {
    const start = performance.now();
    try {
      return await (typeof step === 'function' ? step() : step);
    } finally {
      this.add(phase, performance.now() - start);
    }
  }

  note(phase: Phase, note: string): void {
    this.notes.set(phase, note);
  }

  /** Milliseconds recorded for each phase so far (for the bench and tests). */
  phases(): Partial<Record<Phase, number>> {
    return Object.fromEntries(this.spent);
  }

  /** The lines `--timing` prints: one per phase that ran, then the total since this object was made. */
  report(): string {
    const total = performance.now() - this.started;
    const rows = PHASES.filter((phase) => this.spent.has(phase)).map((phase) => {
      const ms = this.spent.get(phase)!;
      const note = this.notes.get(phase);
      return `  ${phase.padEnd(11)}${formatMs(ms).padStart(9)}${percent(ms, total)}${note ? `  ${note}` : ''}`;
    });
    const accounted = [...this.spent.values()].reduce((sum, ms) => sum + ms, 0);
    const other = Math.max(0, total - accounted);
    return ['waymark: timing (wall clock)', ...rows, `  ${'other'.padEnd(11)}${formatMs(other).padStart(9)}${percent(other, total)}  start-up, loading modules, waiting`, `  ${'total'.padEnd(11)}${formatMs(total).padStart(9)}`, ''].join('\n');
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

function percent(ms: number, total: number): string {
  return `${total > 0 ? Math.round((100 * ms) / total) : 0}%`.padStart(6);
}
