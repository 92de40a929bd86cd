/**
 * Deadline pacing: the k-th burst is due at start + k x interval (`next += interval`, never
 * `now + interval`, so waiting errors do not accumulate into a rate error). When the sender
 * falls behind, due bursts go out back to back until it has caught up (rate-accurate), and
 * each burst that started a whole interval or more after its deadline is counted as late.
 * The clock is injected: the sender passes the Atomics.wait + spin clock, tests a fake one.
 */
export interface PacerClock {
  nowNs(): number;
  /** Returns when nowNs() >= deadlineNs, or earlier if the run was stopped. */
  sleepUntilNs(deadlineNs: number): void;
}

export class Pacer {
  private deadlineNs: number;
  bursts = 0;
  lateBursts = 0;

  constructor(
    readonly intervalNs: number,
    startNs: number,
    private readonly clock: PacerClock,
  ) {
    this.deadlineNs = startNs;
  }

  /** Waits for the next burst's deadline; returns how late the burst starts, ns (>= 0). */
  next(): number {
    if (this.intervalNs <= 0) {
      this.bursts++;
      return 0;
    }
    const deadline = this.deadlineNs;
    if (this.clock.nowNs() < deadline) this.clock.sleepUntilNs(deadline);
    const lateness = Math.max(0, this.clock.nowNs() - deadline);
    this.deadlineNs = deadline + this.intervalNs;
    this.bursts++;
    if (lateness >= this.intervalNs) this.lateBursts++;
    return lateness;
  }

  /**
   * Takes the next burst without waiting if its deadline has already passed at `nowNs`;
   * returns its lateness in ns, or -1 (nothing taken) when it is not due yet.
   */
  takeIfDue(nowNs: number): number {
    const deadline = this.deadlineNs;
    if (this.intervalNs <= 0 || nowNs < deadline) return -1;
    const lateness = nowNs - deadline;
    this.deadlineNs = deadline + this.intervalNs;
    this.bursts++;
    if (lateness >= this.intervalNs) this.lateBursts++;
    return lateness;
  }

  get nextDeadlineNs(): number {
    return this.deadlineNs;
  }
}

/** Sleep with Atomics.wait for the bulk, then spin the last `spinNs` (docs/native.md section 5). */
export function atomicsClock(ctrl: Int32Array, stopIndex: number, spinNs = 200_000): PacerClock {
  return {
    nowNs: () => performance.now() * 1e6,
    sleepUntilNs(deadlineNs: number): void {
      let remaining = deadlineNs - performance.now() * 1e6;
      if (remaining > spinNs) {
        // Returns early when the main thread stores STOP and notifies.
        Atomics.wait(ctrl, stopIndex, 0, (remaining - spinNs) / 1e6);
      }
      while (Atomics.load(ctrl, stopIndex) === 0) {
        remaining = deadlineNs - performance.now() * 1e6;
        if (remaining <= 0) break;
      }
    },
  };
}
