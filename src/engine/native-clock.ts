/**
 * The native pacer clock: clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) to the deadline minus
 * a short spin, with the thread's timer slack at 1 ns. With the default 50 us slack a sleeper
 * wakes up to 50 us late, which a 100-200 us spin used to hide at ~50 % of a core at 100 Mbit/s
 * (docs/native.md section 5); without the slack a 20 us spin does, at about a quarter of that.
 * Long waits still go through Atomics.wait first, so a stop from the main thread wakes the
 * sender at once instead of after a whole burst interval.
 */
import type { PacerClock } from './pacer.js';

interface NativePacer {
  monotonicNs(): number;
  sleepUntil(deadlineMonotonicNs: number, spinNs: number): number;
  setTimerSlackNs(ns: number): number;
}

/** Spin before each deadline (MCASTBENCH_SPIN_US overrides, for measuring the trade-off). */
export const SPIN_NS = spinFromEnv(process.env.MCASTBENCH_SPIN_US) ?? 20_000;
/** 1 ns: ask the kernel to wake us at the deadline, not up to 50 us after it (the default). */
const TIMER_SLACK_NS = 1;

function spinFromEnv(v: string | undefined): number | null {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 && n <= 10_000 ? Math.round(n * 1000) : null;
}
/** Above this, wait interruptibly (Atomics.wait) for all but the last stretch. */
const INTERRUPTIBLE_NS = 20_000_000;

export function nativeClock(addon: NativePacer, ctrl: Int32Array, stopIndex: number): PacerClock {
  // Per thread: this is the sender worker's own thread, which does nothing but pace and send.
  if (process.env.MCASTBENCH_TIMER_SLACK !== 'default') addon.setTimerSlackNs(TIMER_SLACK_NS);
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
