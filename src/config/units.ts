/**
 * Unit parsers for command-line values (the iperf3 units.c analogue). Pure: string in, number
 * out, or a ConfigError naming the flag. Range checks live in validate.ts; these only decide
 * whether the text is a well-formed quantity.
 *
 * Conventions, chosen to match iperf so existing scripts mean the same thing:
 *   sizes are binary (K = 1024), rates are decimal bits per second (k = 1000) of UDP payload.
 */
import { ConfigError } from '../errors.js';

export type ParsedRate =
  | { kind: 'bitsPerSec'; bitsPerSec: number }
  | { kind: 'packetsPerSec'; packetsPerSec: number }
  | { kind: 'max' };

const NUMBER = '(\\d+(?:\\.\\d*)?|\\.\\d+)';

const SIZE_RE = new RegExp(`^${NUMBER}\\s*([kmg]?)(?:i?b)?$`, 'i');
const SIZE_MULTIPLIER: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

const RATE_RE = new RegExp(`^${NUMBER}\\s*([kmg]?)(pps)?$`, 'i');
const RATE_MULTIPLIER: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9 };

const DURATION_RE = new RegExp(`^${NUMBER}\\s*(us|ms|s|m|h)?$`, 'i');
const DURATION_SEC: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, '': 1 };

function text(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** "4M", "512K", "1G", "26214400" -> bytes (binary multiples). Result is a whole number of bytes. */
export function parseSize(value: unknown, flag: string): number {
  const m = SIZE_RE.exec(text(value));
  const bytes = m ? Number(m[1]) * (SIZE_MULTIPLIER[(m[2] ?? '').toLowerCase()] ?? NaN) : NaN;
  if (!Number.isFinite(bytes) || !Number.isInteger(bytes)) {
    throw new ConfigError(flag, `${shown(value)} is not a size`, 'bytes, or with a binary suffix K/M/G, e.g. 512K, 4M');
  }
  return bytes;
}

/**
 * "100m", "1.5g", "10k", "500" -> bits/s (decimal); "20kpps", "1mpps", "8503pps" -> packets/s;
 * "max" -> as fast as possible. Zero is rejected here: a zero rate never sends.
 */
export function parseRate(value: unknown, flag: string): ParsedRate {
  const t = text(value);
  if (t.toLowerCase() === 'max') return { kind: 'max' };
  const m = RATE_RE.exec(t);
  const n = m ? Number(m[1]) * (RATE_MULTIPLIER[(m[2] ?? '').toLowerCase()] ?? NaN) : NaN;
  if (!m || !Number.isFinite(n) || n <= 0) {
    throw new ConfigError(
      flag,
      `${shown(value)} is not a rate`,
      'bits/s with decimal suffix k/m/g (100m), packets/s with pps (20kpps), or max',
    );
  }
  return m[3] ? { kind: 'packetsPerSec', packetsPerSec: n } : { kind: 'bitsPerSec', bitsPerSec: n };
}

/** "30s", "500ms", "2m", "1h", "250us", "10" (seconds) -> seconds. */
export function parseDuration(value: unknown, flag: string): number {
  const m = DURATION_RE.exec(text(value));
  const sec = m ? Number(m[1]) * (DURATION_SEC[(m[2] ?? '').toLowerCase()] ?? NaN) : NaN;
  if (!Number.isFinite(sec)) {
    throw new ConfigError(flag, `${shown(value)} is not a duration`, 'seconds, or with a suffix us/ms/s/m/h, e.g. 500ms, 30s, 2m');
  }
  return sec;
}

/** Strict integer: "5001" yes, "5001x", "1.5", "" no. */
export function parseInteger(value: unknown, flag: string, allowed: string): number {
  const t = text(value);
  const n = /^-?\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n)) throw new ConfigError(flag, `${shown(value)} is not an integer`, allowed);
  return n;
}

/** Strict decimal number: "0.5", "10", "1e3" no (keeps the grammar small and unambiguous). */
export function parseNumber(value: unknown, flag: string, allowed: string): number {
  const t = text(value);
  const n = /^-?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(n)) throw new ConfigError(flag, `${shown(value)} is not a number`, allowed);
  return n;
}
