/**
 * The find-rate search against fake trials whose threshold the test sets: a receiver that loses
 * above T datagrams/s, a sender that cannot go above S, noise. Every property is checked against
 * that T or S, never against a measured figure.
 */
import { describe, expect, it } from 'vitest';
import { SENDER_LIMIT_RATIO } from '../../src/findrate/model.js';
import { isNarrowEnough, searchThreshold, type SearchOptions, type TrialFn, type TrialMeasurement } from '../../src/findrate/search.js';

const SIZE = 1470;

/** A trial at `value` datagrams/s: the sender reaches min(value, senderMax); the receiver loses 10 % above `threshold`. */
function fakeTrial(threshold: number, senderMax = Infinity, lossPercentAbove = 10): TrialFn & { calls: number[] } {
  const calls: number[] = [];
  const fn = async (value: number): Promise<TrialMeasurement> => {
    calls.push(value);
    const sentPps = Math.min(value, senderMax);
    const sent = Math.round(sentPps * 3);
    const lossPercent = sentPps > threshold ? lossPercentAbove : 0;
    const lost = Math.round((sent * lossPercent) / 100);
    return {
      packetsPerSec: value,
      bitsPerSec: value * SIZE * 8,
      burst: 1,
      durationSec: 3,
      sentPackets: sent,
      packets: sent - lost,
      lostPackets: lost,
      lossPercent,
      socketDrops: lost,
      rcvbufErrors: lost,
      sentPacketsPerSec: sentPps,
    };
  };
  return Object.assign(fn, { calls });
}

const base: SearchOptions = { start: 100, ceiling: 1_000_000, resolutionPercent: 5, maxLossPercent: 0, integer: false, maxTrials: 40 };

/** The most trials a search can take: every doubling up to the ceiling, then halving a factor of 2 down to the resolution. */
function trialBound(o: SearchOptions): number {
  return Math.ceil(Math.log2(o.ceiling / o.start)) + 1 + Math.ceil(Math.log2(100 / o.resolutionPercent));
}

describe('find-rate search', () => {
  it('finds a known threshold within the resolution: last pass <= T < first fail', async () => {
    const T = 3503.7;
    const trial = fakeTrial(T);
    const o = await searchThreshold(base, trial);
    expect(o.stoppedBy).toBe('resolution');
    expect(o.best).not.toBeNull();
    expect(o.best!).toBeLessThanOrEqual(T);
    expect(o.firstFail!).toBeGreaterThan(T);
    expect(((o.firstFail! - o.best!) / o.best!) * 100).toBeLessThanOrEqual(5);
    expect(o.bestTrial!.passed).toBe(true);
    expect(o.firstFailTrial!.passed).toBe(false);
    expect(o.bestTrial!.packetsPerSec).toBe(o.best);
  });

  it('records every trial, in the order run, with its phase: doubling steps up to the first fail, then bisection', async () => {
    const trial = fakeTrial(3503.7);
    const o = await searchThreshold(base, trial);
    expect(o.trials.map((t) => t.packetsPerSec)).toEqual(trial.calls);
    expect(o.values).toEqual(trial.calls);
    // 100, 200, ..., 3200 pass; 6400 is the first fail
    expect(trial.calls.slice(0, 7)).toEqual([100, 200, 400, 800, 1600, 3200, 6400]);
    expect(o.trials.slice(0, 7).map((t) => t.phase)).toEqual(Array(7).fill('step'));
    expect(o.trials.slice(7).every((t) => t.phase === 'bisect')).toBe(true);
    expect(o.trials.length).toBeGreaterThan(7);
    // each bisection value lies strictly inside the interval known before it
    let lo = 3200;
    let hi = 6400;
    for (const t of o.trials.slice(7)) {
      expect(t.packetsPerSec).toBeGreaterThan(lo);
      expect(t.packetsPerSec).toBeLessThan(hi);
      if (t.passed) lo = t.packetsPerSec;
      else hi = t.packetsPerSec;
    }
    expect([lo, hi]).toEqual([o.best, o.firstFail]);
  });

  it('over many thresholds and resolutions: always within the resolution, and never more trials than the bound', async () => {
    for (const resolutionPercent of [0.1, 1, 5, 20, 50]) {
      for (let i = 0; i < 25; i++) {
        const T = 100 * Math.pow(10_000, (i + 0.37) / 25);
        const opts = { ...base, resolutionPercent };
        const o = await searchThreshold(opts, fakeTrial(T));
        expect(o.best!).toBeLessThanOrEqual(T);
        expect(o.firstFail!).toBeGreaterThan(T);
        expect(((o.firstFail! - o.best!) / o.best!) * 100).toBeLessThanOrEqual(resolutionPercent);
        expect(o.trials.length).toBeLessThanOrEqual(trialBound(opts));
      }
    }
  });

  it('a fail at the very first step gives best = null and stops (no search below --start)', async () => {
    const trial = fakeTrial(50);
    const o = await searchThreshold(base, trial);
    expect(o.best).toBeNull();
    expect(o.bestTrial).toBeNull();
    expect(o.firstFail).toBe(100);
    expect(o.stoppedBy).toBe('lowest-failed');
    expect(trial.calls).toEqual([100]);
  });

  it('the ceiling reached without a fail: the last step is exactly the ceiling, best = ceiling, no fail', async () => {
    const trial = fakeTrial(Infinity);
    const o = await searchThreshold({ ...base, start: 100, ceiling: 1000 }, trial);
    expect(trial.calls).toEqual([100, 200, 400, 800, 1000]);
    expect(o.trials.every((t) => t.phase === 'step' && t.passed)).toBe(true);
    expect(o.best).toBe(1000);
    expect(o.firstFail).toBeNull();
    expect(o.stoppedBy).toBe('ceiling');
  });

  it('a fail exactly at the ceiling bisects between the last doubling and the ceiling', async () => {
    const trial = fakeTrial(900);
    const o = await searchThreshold({ ...base, start: 100, ceiling: 1000 }, trial);
    expect(trial.calls.slice(0, 5)).toEqual([100, 200, 400, 800, 1000]);
    expect(o.best!).toBeLessThanOrEqual(900);
    expect(o.firstFail!).toBeGreaterThan(900);
    expect(o.firstFail!).toBeLessThanOrEqual(1000);
  });

  it('is bounded by maxTrials whatever the trials answer', async () => {
    const trial = fakeTrial(3503.7);
    const o = await searchThreshold({ ...base, maxTrials: 3 }, trial);
    expect(trial.calls).toHaveLength(3);
    expect(o.stoppedBy).toBe('max-trials');
    expect(o.best).toBe(400);
  });

  it('terminates within the bound on a noisy receiver that passes or fails at random, with a consistent answer', async () => {
    let seed = 12345;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 50; run++) {
      const inner = fakeTrial(Infinity);
      const noisy: TrialFn = async (v, p) => {
        const m = (await inner(v, p))!;
        return random() < 0.3 ? { ...m, lostPackets: 1, lossPercent: 0.01 } : m;
      };
      const o = await searchThreshold(base, noisy);
      expect(o.trials.length).toBeLessThanOrEqual(trialBound(base));
      if (o.best !== null && o.firstFail !== null) {
        expect(o.best).toBeLessThan(o.firstFail);
        expect(o.bestTrial!.passed).toBe(true);
        expect(o.firstFailTrial!.passed).toBe(false);
      }
    }
  });

  it(`a sender below ${SENDER_LIMIT_RATIO * 100} % of the offered rate is never a pass: the climb stops and the answer is what the sender could offer`, async () => {
    const S = 5000;
    const trial = fakeTrial(Infinity, S);
    const o = await searchThreshold(base, trial);
    expect(o.stoppedBy).toBe('resolution');
    const limited = o.trials.filter((t) => t.senderLimited);
    expect(limited.length).toBeGreaterThan(0);
    for (const t of limited) {
      expect(t.passed).toBe(false);
      expect(t.lossPercent).toBe(0);
      expect(t.packetsPerSec * SENDER_LIMIT_RATIO).toBeGreaterThan(S);
    }
    expect(o.bestTrial!.senderLimited).toBe(false);
    expect(o.firstFailTrial!.senderLimited).toBe(true);
    // the best offered value is one the sender achieved within the ratio, and within the resolution of the limit
    expect(o.best! * SENDER_LIMIT_RATIO).toBeLessThanOrEqual(S);
    expect(o.firstFail! * SENDER_LIMIT_RATIO).toBeGreaterThan(S);
  });

  it('burst sizes: whole values only, and the answer is exact when the bisection reaches adjacent sizes', async () => {
    const T = 37;
    const trial = fakeTrial(T);
    const o = await searchThreshold({ ...base, start: 1, ceiling: 100_000, integer: true, resolutionPercent: 0.1 }, trial);
    expect(trial.calls.every((v) => Number.isInteger(v))).toBe(true);
    expect(o.best).toBe(37);
    expect(o.firstFail).toBe(38);
    expect(o.stoppedBy).toBe('resolution');
  });

  it('--max-loss above zero: a trial passes while its loss is at or below it', async () => {
    // loss rises with the rate above 1000: (v - 1000) / v x 100 %; 2 % is reached at 1020.4
    const inner = fakeTrial(Infinity);
    const proportional: TrialFn = async (v, p) => {
      const m = (await inner(v, p))!;
      const lossPercent = v > 1000 ? ((v - 1000) / v) * 100 : 0;
      return { ...m, lossPercent };
    };
    const o = await searchThreshold({ ...base, maxLossPercent: 2, resolutionPercent: 0.5 }, proportional);
    expect(o.best!).toBeLessThanOrEqual(1000 / 0.98);
    expect(o.firstFail!).toBeGreaterThan(1000 / 0.98);
    expect(o.bestTrial!.lossPercent).toBeGreaterThan(0);
    expect(o.bestTrial!.lossPercent).toBeLessThanOrEqual(2);
  });

  it('an interrupted trial (null) ends the search and is not recorded', async () => {
    const inner = fakeTrial(3503.7);
    let n = 0;
    const interrupted: TrialFn = async (v, p) => (++n === 3 ? null : inner(v, p));
    const o = await searchThreshold(base, interrupted);
    expect(o.trials).toHaveLength(2);
    expect(o.stoppedBy).toBe('interrupted');
    expect(o.best).toBe(200);
  });

  it('onTrial sees each judged trial with its number', async () => {
    const seen: Array<[number, boolean]> = [];
    const o = await searchThreshold(base, fakeTrial(3503.7), (t, i) => seen.push([i, t.passed]));
    expect(seen).toEqual(o.trials.map((t, i) => [i + 1, t.passed]));
  });

  it('isNarrowEnough: relative to the pass; adjacent whole numbers are narrow for burst sizes', () => {
    expect(isNarrowEnough(100, 105, { resolutionPercent: 5, integer: false })).toBe(true);
    expect(isNarrowEnough(100, 105.1, { resolutionPercent: 5, integer: false })).toBe(false);
    expect(isNarrowEnough(3, 4, { resolutionPercent: 5, integer: true })).toBe(true);
    expect(isNarrowEnough(3, 5, { resolutionPercent: 5, integer: true })).toBe(false);
  });
});
