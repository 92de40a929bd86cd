import { describe, expect, it } from 'vitest';
import { gapStats, histogramPercentile, median, percentileSorted, summarize } from '../../src/bench/stats.js';
import { parsePcap } from '../../src/bench/pcap.js';

describe('bench stats', () => {
  it('median of odd and even counts, ignoring non-finite values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('summarize gives median, min..max and spread', () => {
    expect(summarize([100, 90, 110])).toEqual({ n: 3, median: 100, min: 90, max: 110, spreadPercent: 20 });
    expect(summarize([null, 7, undefined])).toEqual({ n: 1, median: 7, min: 7, max: 7, spreadPercent: 0 });
    expect(summarize([null])).toBeNull();
  });

  it('nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileSorted(v, 50)).toBe(50);
    expect(percentileSorted(v, 99)).toBe(99);
    expect(percentileSorted(v, 100)).toBe(100);
    expect(percentileSorted([], 50)).toBeNaN();
  });

  it('histogram percentiles from [value, count] bins', () => {
    const bins: [number, number][] = [
      [3, 10],
      [1, 80],
      [2, 9],
      [50, 1],
    ];
    expect(histogramPercentile(bins, 50)).toBe(1);
    expect(histogramPercentile(bins, 90)).toBe(3);
    expect(histogramPercentile(bins, 99)).toBe(3);
    expect(histogramPercentile(bins, 100)).toBe(50);
    expect(histogramPercentile([], 50)).toBeNaN();
  });

  it('gapStats: a perfect 100 us train over a steady window', () => {
    const ts = Array.from({ length: 20_001 }, (_, i) => i * 100_000); // 2 s at 10 kpps
    const g = gapStats(ts, 0.5, 0.2, 100)!;
    expect(g.ratePps).toBeCloseTo(10_000, 6);
    expect(g.gapP50Us).toBe(100);
    expect(g.gapP99Us).toBe(100);
    expect(g.burstPercent).toBe(0);
    expect(g.windowSec).toBeCloseTo(1.3, 6);
  });

  it('gapStats: pairs 10 us apart show as bursts and a long p99', () => {
    const ts: number[] = [];
    for (let i = 0; i < 10_000; i++) ts.push(i * 200_000, i * 200_000 + 10_000);
    const g = gapStats(ts, 0, 0, 100)!;
    expect(g.ratePps).toBeCloseTo(10_000, -1);
    expect(g.burstPercent).toBeCloseTo(50, 0);
    expect(g.gapP99Us).toBe(190);
    expect(gapStats([1, 2], 0, 0, null)).toBeNull();
  });
});

describe('bench pcap reader', () => {
  function pcap(nano: boolean, little: boolean, recs: [number, number, number][]): Uint8Array {
    const buf = new Uint8Array(24 + recs.length * (16 + 4));
    const dv = new DataView(buf.buffer);
    dv.setUint32(0, nano ? 0xa1b23c4d : 0xa1b2c3d4, little);
    let off = 24;
    for (const [sec, frac, len] of recs) {
      dv.setUint32(off, sec, little);
      dv.setUint32(off + 4, frac, little);
      dv.setUint32(off + 8, 4, little);
      dv.setUint32(off + 12, len, little);
      off += 20;
    }
    return buf;
  }

  it('reads nanosecond little-endian files relative to the first second', () => {
    const p = parsePcap(pcap(true, true, [
      [1_795_312_188, 999_999_900, 1512],
      [1_795_312_189, 117_600, 1512],
    ]));
    expect(p.map((x) => x.tsNs)).toEqual([999_999_900, 1_000_117_600]);
    expect(p[1]!.wireBytes).toBe(1512);
  });

  it('reads microsecond big-endian files and stops at a truncated record', () => {
    const full = pcap(false, false, [
      [10, 5, 100],
      [10, 7, 100],
    ]);
    expect(parsePcap(full).map((x) => x.tsNs)).toEqual([5000, 7000]);
    expect(parsePcap(full.subarray(0, full.length - 2))).toHaveLength(1);
    expect(parsePcap(new Uint8Array(10))).toEqual([]);
    expect(() => parsePcap(new Uint8Array(24))).toThrow(/not a pcap/);
  });
});
