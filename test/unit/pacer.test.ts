import { describe, expect, it } from 'vitest';
import { Pacer, type PacerClock } from '../../src/engine/pacer.js';

/** A fake clock: sleeping jumps to the deadline plus an injected oversleep. */
function fakeClock(oversleepNs: (k: number) => number = () => 0): PacerClock & { t: number; sleeps: number[] } {
  const c = {
    t: 0,
    sleeps: [] as number[],
    nowNs: () => c.t,
    sleepUntilNs(d: number) {
      c.sleeps.push(d);
      c.t = Math.max(c.t, d + oversleepNs(c.sleeps.length));
    },
  };
  return c;
}

describe('deadline pacer', () => {
  it('schedules next += interval, not now + interval', () => {
    const c = fakeClock(() => 30_000); // every sleep overshoots by 30 us
    const p = new Pacer(1_000_000, 0, c);
    for (let i = 0; i < 100; i++) p.next();
    // Burst 0 is due at once; then each sleep targets start + k x interval exactly.
    expect(c.sleeps.slice(0, 4)).toEqual([1_000_000, 2_000_000, 3_000_000, 4_000_000]);
    // 100 bursts still finish at ~99 intervals: oversleep does not accumulate into a rate error.
    expect(c.t).toBe(99 * 1_000_000 + 30_000);
    expect(p.lateBursts).toBe(0);
  });

  it('sends due bursts back to back after a stall and counts the late ones', () => {
    const c = fakeClock();
    const p = new Pacer(1_000_000, 0, c);
    p.next(); // burst 0 at t=0
    c.t = 5_500_000; // the sender stalled for 5.5 intervals
    const lateness: number[] = [];
    for (let i = 0; i < 7; i++) lateness.push(p.next());
    // bursts 1..5 were due at 1..5 ms: sent at once, lateness 4.5 .. 0.5 ms; burst 6 waits.
    expect(lateness.slice(0, 5)).toEqual([4_500_000, 3_500_000, 2_500_000, 1_500_000, 500_000]);
    expect(lateness[5]).toBe(0);
    expect(p.lateBursts).toBe(4); // lateness >= one interval
    expect(c.t).toBe(7_000_000);
  });

  it('never waits at maximum rate', () => {
    const c = fakeClock();
    const p = new Pacer(0, 0, c);
    for (let i = 0; i < 10; i++) expect(p.next()).toBe(0);
    expect(c.sleeps).toEqual([]);
    expect(p.bursts).toBe(10);
  });
});
