/** Pure statistics for the benchmark: medians, spread, percentiles. No I/O. */

export interface Summary {
  /** Runs that produced a value. */
  n: number;
  median: number;
  min: number;
  max: number;
  /** (max - min) / median x 100, or 0 for a single run / zero median. */
  spreadPercent: number;
}

/** Median of finite values (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Median and min..max of the finite values; null when there are none. */
export function summarize(values: readonly (number | null | undefined)[]): Summary | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return null;
  const med = median(v);
  const min = Math.min(...v);
  const max = Math.max(...v);
  const spreadPercent = v.length > 1 && med !== 0 ? ((max - min) / Math.abs(med)) * 100 : 0;
  return { n: v.length, median: med, min, max, spreadPercent };
}

/**
 * Nearest-rank percentile (p in 0..100) of an ascending-sorted array; NaN for an empty one.
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  const idx = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[idx]!;
}

export interface GapStats {
  /** Datagrams in the steady window. */
  packets: number;
  windowSec: number;
  /** Datagrams per second over the window. */
  ratePps: number;
  gapP50Us: number;
  gapP99Us: number;
  gapMaxUs: number;
  /** Share of gaps below a quarter of the ideal gap (back-to-back bursts), %. */
  burstPercent: number | null;
}

/**
 * Rate and inter-packet gaps from ascending timestamps (ns), over a steady window that drops
 * `skipHeadSec` after the first packet and `skipTailSec` before the last one (start-up warm-up
 * datagrams and end markers). Returns null with fewer than 3 packets in the window.
 */
export function gapStats(timestampsNs: readonly number[], skipHeadSec: number, skipTailSec: number, idealGapUs: number | null): GapStats | null {
  if (timestampsNs.length < 3) return null;
  const first = timestampsNs[0]!;
  const last = timestampsNs[timestampsNs.length - 1]!;
  const lo = first + skipHeadSec * 1e9;
  const hi = last - skipTailSec * 1e9;
  const w = timestampsNs.filter((t) => t >= lo && t <= hi);
  if (w.length < 3) return null;
  const gaps = new Float64Array(w.length - 1);
  for (let i = 1; i < w.length; i++) gaps[i - 1] = (w[i]! - w[i - 1]!) / 1000;
  const windowSec = (w[w.length - 1]! - w[0]!) / 1e9;
  let burst = 0;
  if (idealGapUs !== null) for (const g of gaps) if (g < idealGapUs / 4) burst++;
  gaps.sort();
  return {
    packets: w.length,
    windowSec,
    ratePps: (w.length - 1) / windowSec,
    gapP50Us: percentileSorted(gaps, 50),
    gapP99Us: percentileSorted(gaps, 99),
    gapMaxUs: gaps[gaps.length - 1]!,
    burstPercent: idealGapUs === null ? null : (burst / gaps.length) * 100,
  };
}

/** Percentile (0..100) of a histogram given as [value, count] bins, nearest rank; NaN if empty. */
export function histogramPercentile(bins: readonly (readonly [number, number])[], p: number): number {
  const sorted = [...bins].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, b) => s + b[1], 0);
  if (total === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let acc = 0;
  for (const [v, c] of sorted) {
    acc += c;
    if (acc >= rank) return v;
  }
  return sorted[sorted.length - 1]![0];
}
