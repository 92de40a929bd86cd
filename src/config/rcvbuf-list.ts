/**
 * --rcvbuf as a list of settings ("default,1M,26214400"), for compare and for a compare
 * receiver: every setting is checked before the first run starts, and each run gets the raw
 * options of its own setting, so the one validation boundary (validate.ts) builds its config.
 */
import { ConfigError } from '../errors.js';
import { LIMITS } from './defaults.js';
import { readBool, readSize, readString, type RawOptions } from './raw-options.js';

const ALLOWED = `${LIMITS.rcvbufSettings.min} to ${LIMITS.rcvbufSettings.max} comma-separated settings, each "default" or a size ${LIMITS.bufBytes.min}..${LIMITS.bufBytes.max} bytes (default,1M,26214400)`;

const isDefault = (label: string): boolean => label.toLowerCase() === 'default';

/** True when --rcvbuf is a list (has a comma): a receiver then runs one setting per session. */
export function isRcvbufList(raw: RawOptions): boolean {
  return (readString(raw, 'rcvbuf') ?? '').includes(',');
}

/** The settings, each checked; `fallback` when --rcvbuf is absent. */
export function readRcvbufSettings(raw: RawOptions, fallback: string): string[] {
  const given = readString(raw, 'rcvbuf') ?? fallback;
  const list = given.split(',').map((s) => s.trim());
  if (list.some((s) => s === '')) throw new ConfigError('--rcvbuf', `'${given}' has an empty setting`, ALLOWED);
  if (list.length > LIMITS.rcvbufSettings.max) throw new ConfigError('--rcvbuf', `${list.length} settings`, ALLOWED);
  for (const label of list) if (!isDefault(label)) readSize({ rcvbuf: label }, 'rcvbuf', LIMITS.bufBytes);
  if (readBool(raw, 'rcvbuf-force') && list.every(isDefault)) {
    throw new ConfigError('--rcvbuf-force', 'needs a sized setting in --rcvbuf (the kernel default is never forced)', '--rcvbuf default,SIZE --rcvbuf-force', 'ERR_OPTION_CONFLICT');
  }
  return list;
}

/** One setting's raw options: its --rcvbuf, and --rcvbuf-force only where it has a size. */
export function settingOptions(raw: RawOptions, label: string): RawOptions {
  const force = readBool(raw, 'rcvbuf-force') && !isDefault(label);
  return { ...raw, rcvbuf: label, 'rcvbuf-force': force, rcvbufForce: force };
}
