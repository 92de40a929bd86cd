/**
 * The native pacer clock: clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) to the deadline minus
 * a short spin (docs/native.md section 5: p50 lateness 0 us at ~18 % CPU, against Atomics.wait's
 * 500 us p99). Long waits still go through Atomics.wait first, so a stop from the main thread
 * wakes the sender at once instead of after a whole burst interval.
 */
import type { PacerClock } from './pacer.js';

interface NativePacer {
  monotonicNs(): number;
  sleepUntil(deadlineMonotonicNs: number, spinNs: number): number;
}

const SPIN_NS = 100_000;
/** Above this, wait interruptibly (Atomics.wait) for all but the last stretch. */
const INTERRUPTIBLE_NS = 20_000_000;

export function nativeClock(addon: NativePacer, ctrl: Int32Array, stopIndex: number): PacerClock {
  return {
    nowNs: () => addon.monotonicNs(),
    sleepUntilNs(deadlineNs: number): void {
      const remaining = deadlineNs - addon.monotonicNs();
      if (remaining > INTERRUPTIBLE_NS) Atomics.wait(ctrl, stopIndex, 0, (remaining - INTERRUPTIBLE_NS) / 1e6);
      if (Atomics.load(ctrl, stopIndex) !== 0) return;
      addon.sleepUntil(deadlineNs, SPIN_NS);
    },
  };
}
