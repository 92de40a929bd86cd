/**
 * Latency histograms: build, encode for the trip from a worker to the main thread, decode,
 * merge and summarize (autocannon's histUtil, in our units). Values are microseconds.
 * The WebAssembly build records in ~17 ns against ~96 ns for pure JS (docs/native.md), so it is
 * used where it initialised; every histogram must be destroy()ed (WASM memory is not GC'd).
 */
import * as hdr from 'hdr-histogram-js';
import type { LatencyPercentileUs, LatencySummaryUs, LatenessSummaryUs } from '../report/model.js';

export type Histogram = hdr.Histogram;

let wasmReady = false;

/** Call once per thread before building histograms; falls back to pure JS if WASM fails. */
export async function initHistograms(): Promise<void> {
  if (wasmReady) return;
  try {
    await hdr.initWebAssembly();
    wasmReady = true;
  } catch {
    wasmReady = false;
  }
}

/** 1 us .. 1 h at 3 significant digits; values above auto-resize rather than being lost. */
export function createHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: wasmReady,
  });
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Adds an encoded histogram into `into`. */
export function mergeEncoded(into: Histogram, encoded: string): void {
  const h = hdr.decodeFromCompressedBase64(encoded, 32, wasmReady);
  into.add(h);
  h.destroy();
}

export function emptyLatencySummary(): LatencySummaryUs {
  return { p50: 0, p90: 0, p99: 0, p999: 0, min: 0, max: 0, mean: 0, samples: 0, negativeSamples: 0 };
}

export function summarizeLatency(h: Histogram, negativeSamples: number): LatencySummaryUs {
  if (h.totalCount === 0) return { ...emptyLatencySummary(), negativeSamples };
  return {
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    min: h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue,
    max: h.maxValue,
    mean: Math.round(h.mean * 10) / 10,
    samples: h.totalCount,
    negativeSamples,
  };
}

/**
 * Percentiles for a distribution curve: the body at 0/25/50/75, then the tail in 1-2-5 steps
 * (90, 95, 98, 99, 99.5 ...), which is close to evenly spaced on the usual log "nines" axis.
 * The tail stops where fewer than one sample lies beyond the percentile (past that every
 * point is the maximum), at the latest at 99.99998; the maximum closes the list as percentile 100.
 */
export function latencyPercentiles(h: Histogram): LatencyPercentileUs[] {
  const n = h.totalCount;
  if (n === 0) return [];
  const points: LatencyPercentileUs[] = [0, 25, 50, 75].map((percentile) => ({ percentile, valueUs: h.getValueAtPercentile(percentile) }));
  // Tails as tenths over a power of ten (10/100 = 10 %, 5/100, 2/100, 10/1000 ...), so the
  // "at least one sample beyond" test is integer arithmetic, free of 1e-4 * 1e4 < 1.
  for (let d = 100; d <= 10_000_000; d *= 10) {
    for (const tenths of [10, 5, 2]) {
      if (tenths * n < d) continue;
      const percentile = Number((100 - (100 * tenths) / d).toFixed(6));
      points.push({ percentile, valueUs: h.getValueAtPercentile(percentile) });
    }
  }
  points.push({ percentile: 100, valueUs: h.maxValue });
  return points;
}

export function summarizeLateness(h: Histogram): LatenessSummaryUs {
  if (h.totalCount === 0) return { p50: 0, p99: 0, max: 0, samples: 0 };
  return { p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99), max: h.maxValue, samples: h.totalCount };
}
