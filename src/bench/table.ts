/** Plain-text table rendering for the bench (pure). */
import type { Summary } from './stats.js';

/** Renders rows under headers with columns padded; numeric-looking cells right-aligned. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const isNum = (s: string): boolean => /^[-+]?[\d,.]+(x| %| us| pkts)?( \([-+\d,.]+\.\.[-+\d,.]+\))?$/.test(s);
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (isNum(c) && i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Compact number: thousands separators above 1000, 3 significant digits below. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (x === 0) return '0';
  return Number(x.toPrecision(digits)).toString();
}

/** "median (min..max)" or "median" for one run; "-" when absent. */
export function fmtSummary(s: Summary | null, digits = 3): string {
  if (!s) return '-';
  if (s.n === 1) return fmt(s.median, digits);
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}..${fmt(s.max, digits)})`;
}
