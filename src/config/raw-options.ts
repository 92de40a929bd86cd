/**
 * Reading the yargs argv object: each helper takes a long flag name, applies the grammar from
 * units.ts and the range, and throws a ConfigError naming the flag. Table-like on purpose so
 * validate.ts reads as the list of rules.
 */
import { ConfigError } from '../errors.js';
import { parseDuration, parseInteger, parseNumber, parseSize } from './units.js';

/** The yargs argv object (or a hand-written one in tests): values are strings, numbers or booleans. */
export type RawOptions = Readonly<Record<string, unknown>>;

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The value of a flag, or undefined if absent. A flag given twice counts as its last value. */
export function pick(raw: RawOptions, name: string): unknown {
  let v = raw[name] ?? raw[camel(name)];
  if (Array.isArray(v)) v = v[v.length - 1];
  return v === null ? undefined : v;
}

export function has(raw: RawOptions, name: string): boolean {
  return pick(raw, name) !== undefined;
}

export function readBool(raw: RawOptions, name: string): boolean {
  const v = pick(raw, name);
  if (v === undefined || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw new ConfigError(`--${name}`, `${String(v)} is not a boolean`, 'a switch: give it or leave it out');
}

export function readString(raw: RawOptions, name: string): string | undefined {
  const v = pick(raw, name);
  return v === undefined ? undefined : String(v).trim();
}

/** "70000", or "70K (71680)" when the user wrote a suffix: errors show what was typed. */
function shown(raw: unknown, value: number): string {
  const text = String(raw).trim();
  return text === String(value) ? text : `${text} (${value})`;
}

export function checkRange(flag: string, raw: unknown, value: number, min: number, max: number, unit: string): number {
  if (value < min || value > max) {
    throw new ConfigError(flag, `${shown(raw, value)} is out of range`, `${min}..${max}${unit ? ` ${unit}` : ''}`);
  }
  return value;
}

interface Range {
  min: number;
  max: number;
}

export function readInt(raw: RawOptions, name: string, range: Range, unit: string): number | undefined {
  const v = pick(raw, name);
  if (v === undefined) return undefined;
  const allowed = `${range.min}..${range.max}${unit ? ` ${unit}` : ''}`;
  return checkRange(`--${name}`, v, parseInteger(v, `--${name}`, allowed), range.min, range.max, unit);
}

export function readNumber(raw: RawOptions, name: string, range: Range, unit: string): number | undefined {
  const v = pick(raw, name);
  if (v === undefined) return undefined;
  const allowed = `${range.min}..${range.max}${unit ? ` ${unit}` : ''}`;
  return checkRange(`--${name}`, v, parseNumber(v, `--${name}`, allowed), range.min, range.max, unit);
}

export function readSize(raw: RawOptions, name: string, range: Range): number | undefined {
  const v = pick(raw, name);
  if (v === undefined) return undefined;
  return checkRange(`--${name}`, v, parseSize(v, `--${name}`), range.min, range.max, 'bytes');
}

export function readDurationSec(raw: RawOptions, name: string, range: Range): number | undefined {
  const v = pick(raw, name);
  if (v === undefined) return undefined;
  return checkRange(`--${name}`, v, parseDuration(v, `--${name}`), range.min, range.max, 's');
}

export function readChoice<T extends string>(raw: RawOptions, name: string, choices: readonly T[], fallback: T): T {
  const v = readString(raw, name);
  if (v === undefined) return fallback;
  const found = choices.find((c) => c === v);
  if (found === undefined) throw new ConfigError(`--${name}`, `'${v}' is not a choice`, choices.join(', '));
  return found;
}
