import { describe, expect, it } from 'vitest';
import {
  formatBitsPerSec,
  formatBytes,
  formatInteger,
  formatMbitsPerSec,
  formatMs,
  formatPercent,
  formatPps,
  formatSignedPercent,
  formatUs,
} from '../../src/report/format.js';

describe('format', () => {
  it('bytes are binary with three significant figures', () => {
    expect(formatBytes(512)).toBe('512 Bytes');
    expect(formatBytes(1_249_500)).toBe('1.19 MBytes');
    expect(formatBytes(1_290_000)).toBe('1.23 MBytes');
    expect(formatBytes(12_495_000)).toBe('11.9 MBytes');
    expect(formatBytes(4 * 1048576)).toBe('4.00 MBytes');
    expect(formatBytes(212_992)).toBe('208 KBytes');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.00 GBytes');
  });

  it('bit rates are decimal', () => {
    expect(formatBitsPerSec(10_300_000)).toBe('10.3 Mbits/sec');
    expect(formatBitsPerSec(9_996_000)).toBe('10.0 Mbits/sec');
    expect(formatBitsPerSec(1.5e9)).toBe('1.50 Gbits/sec');
    expect(formatBitsPerSec(800)).toBe('800 bits/sec');
    expect(formatBitsPerSec(Infinity)).toBe('-');
    expect(formatMbitsPerSec(99_960_000)).toBe('100');
    expect(formatMbitsPerSec(9_990_000)).toBe('9.99');
  });

  it('integers, pps, percentages, times', () => {
    expect(formatInteger(9912)).toBe('9,912');
    expect(formatInteger(1_234_567.6)).toBe('1,234,568');
    expect(formatInteger(-4200)).toBe('-4,200');
    expect(formatPps(850.34)).toBe('850 pps');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(12 / 8503 * 100)).toBe('0.14%');
    expect(formatPercent(0.00118)).toBe('0.0012%');
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatPercent(null)).toBe('-');
    expect(formatSignedPercent(0.4)).toBe('+0.40%');
    expect(formatSignedPercent(-12)).toBe('-12.0%');
    expect(formatSignedPercent(-0.001)).toBe('0.00%');
    expect(formatSignedPercent(null)).toBe('-');
    expect(formatUs(23)).toBe('23 us');
    expect(formatUs(4.56)).toBe('4.6 us');
    expect(formatUs(1250)).toBe('1.25 ms');
    expect(formatUs(2_500_000)).toBe('2.50 s');
    expect(formatMs(0.0123)).toBe('0.012 ms');
  });
});
