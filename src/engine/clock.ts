/**
 * Realtime clock without allocation. performance.timeOrigin (epoch ms, sub-ms precision) plus
 * performance.now() gives CLOCK_REALTIME-derived time at microsecond resolution; the 64-bit
 * nanosecond value is kept as two exact doubles (hi, lo) so no BigInt is created per packet.
 */
const TWO_32 = 4294967296;
const originNs = BigInt(Math.round(performance.timeOrigin * 1e6));
const ORIGIN_HI = Number(originNs / 4294967296n);
const ORIGIN_LO = Number(originNs % 4294967296n);
const ORIGIN_US = performance.timeOrigin * 1000;

/** Reusable output of realtimeNs(). */
export const nowNs = { hi: 0, lo: 0 };

/** Fills `nowNs` with the current epoch time in nanoseconds, split into u32 halves. */
export function realtimeNs(): void {
  const lo = ORIGIN_LO + Math.round(performance.now() * 1e6);
  nowNs.hi = ORIGIN_HI + Math.floor(lo / TWO_32);
  nowNs.lo = lo % TWO_32;
}

/** Current epoch time in microseconds as a double. */
export function realtimeUs(): number {
  return ORIGIN_US + performance.now() * 1000;
}

/** Monotonic time in nanoseconds as a double (exact to well below 1 ns for 100 days). */
export function monotonicNs(): number {
  return performance.now() * 1e6;
}
