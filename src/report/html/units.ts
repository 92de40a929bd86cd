/** Unit words for the HTML pages, where the real micro sign can be used. */
import { formatUs } from '../format.js';

/** 23 -> "23 µs", 1250 -> "1.25 ms" (format.ts's formatUs, with µs for us). */
export function formatMicros(us: number): string {
  return formatUs(us).replace(/ us$/, ' µs');
}
