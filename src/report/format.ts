/**
 * Humanisers for the text renderers. Pure and locale-independent (output is compared in tests
 * and parsed by people's scripts). Bytes are binary like iperf's "MBytes"; rates are decimal,
 * like iperf's "Mbits/sec".
 */

/** Three significant figures, iperf style: 1.19, 11.9, 119. */
function sig3(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 99.95) return n.toFixed(0);
  if (abs >= 9.995) return n.toFixed(1);
  return n.toFixed(2);
}

function scaled(n: number, base: number, units: readonly string[]): string {
  let i = 0;
  let v = n;
  while (Math.abs(v) >= base * 0.9995 && i < units.length - 1) {
    v /= base;
    i++;
  }
  return i === 0 ? `${Math.round(v)} ${units[0]}` : `${sig3(v)} ${units[i]}`;
}

/** 1234567 -> "1.18 MBytes" (binary multiples). */
export function formatBytes(bytes: number): string {
  return scaled(bytes, 1024, ['Bytes', 'KBytes', 'MBytes', 'GBytes', 'TBytes']);
}

/** 10_300_000 -> "10.3 Mbits/sec" (decimal multiples). */
export function formatBitsPerSec(bitsPerSec: number): string {
  if (!Number.isFinite(bitsPerSec)) return '-';
  return scaled(bitsPerSec, 1000, ['bits/sec', 'Kbits/sec', 'Mbits/sec', 'Gbits/sec', 'Tbits/sec']);
}

/** Megabits per second as a bare number for table columns: "10.3". */
export function formatMbitsPerSec(bitsPerSec: number): string {
  if (!Number.isFinite(bitsPerSec)) return '-';
  const m = bitsPerSec / 1e6;
  return m >= 1000 ? formatInteger(m) : sig3(m);
}

/** 9912 -> "9,912"; rounds to a whole number. Independent of the process locale. */
export function formatInteger(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 850.3 -> "850 pps". */
export function formatPps(packetsPerSec: number): string {
  return `${formatInteger(packetsPerSec)} pps`;
}

/**
 * Loss-style percentages keep small values visible: 0 -> "0%", 0.1176 -> "0.12%",
 * 0.00118 -> "0.0012%", 12.34 -> "12.3%", 100 -> "100%".
 */
export function formatPercent(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return '-';
  if (percent === 0 || Number.isInteger(percent)) return `${percent}%`;
  const abs = Math.abs(percent);
  if (abs >= 10) return `${percent.toFixed(1)}%`;
  if (abs >= 0.01) return `${percent.toFixed(2)}%`;
  return `${Number(percent.toPrecision(2))}%`;
}

/** Signed percentage for errors against a target: "+0.4%", "-12.0%". */
export function formatSignedPercent(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return '-';
  const digits = Math.abs(percent) >= 10 ? 1 : 2;
  const magnitude = Math.abs(percent).toFixed(digits);
  // A value that rounds to zero gets no sign: "-0.00%" would suggest a shortfall that is not there.
  const sign = Number(magnitude) === 0 ? '' : percent > 0 ? '+' : '-';
  return `${sign}${magnitude}%`;
}

/** Microseconds, bare number for "us" columns: 23 -> "23", 4.56 -> "4.6", 12345 -> "12,345". */
export function formatUsValue(us: number): string {
  if (!Number.isFinite(us)) return '-';
  return Math.abs(us) < 10 ? us.toFixed(1) : formatInteger(us);
}

/** A duration given in microseconds, with its unit: "23 us", "1.25 ms", "2.50 s". */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return '-';
  const abs = Math.abs(us);
  if (abs < 1000) return `${formatUsValue(us)} us`;
  if (abs < 1e6) return `${sig3(us / 1000)} ms`;
  return `${sig3(us / 1e6)} s`;
}

/** Jitter style: 0.012 -> "0.012 ms" (three decimals, as iperf prints it). */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  return `${ms.toFixed(3)} ms`;
}

/** Seconds with two decimals for interval bounds: "0.00", "10.00". */
export function formatSec(sec: number): string {
  return sec.toFixed(2);
}
