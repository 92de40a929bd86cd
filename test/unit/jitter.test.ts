import { describe, expect, it } from 'vitest';
import { JitterEstimator } from '../../src/stats/jitter.js';

describe('RFC 3550 interarrival jitter', () => {
  it('matches a worked example', () => {
    // Sent every 20 ms; transit alternates 100 ms / 105 ms, so |D| = 5 ms each time:
    // J1 = 5/16 = 0.3125; J2 = J1 + (5 - J1)/16 = 0.60546875; J3 = 0.880126953125 (ms).
    const j = new JitterEstimator();
    const sends = [0, 20_000, 40_000, 60_000];
    const arrivals = [100_000, 125_000, 140_000, 165_000];
    const expected = [0, 312.5, 605.46875, 880.126953125];
    sends.forEach((s, i) => {
      j.record(arrivals[i]!, s);
      expect(j.jitterUs).toBeCloseTo(expected[i]!, 9);
    });
    expect(j.jitterMs).toBeCloseTo(0.880126953125, 12);
  });

  it('ignores a constant clock offset', () => {
    const a = new JitterEstimator();
    const b = new JitterEstimator();
    for (let i = 0; i < 50; i++) {
      const send = i * 1000;
      const transit = 50 + (i % 3) * 7;
      a.record(send + transit, send);
      b.record(send + transit + 3_600_000_000, send);
    }
    expect(b.jitterUs).toBeCloseTo(a.jitterUs, 6);
  });

  it('is zero for perfectly regular arrivals', () => {
    const j = new JitterEstimator();
    for (let i = 0; i < 100; i++) j.record(i * 100 + 40, i * 100);
    expect(j.jitterUs).toBe(0);
  });
});
