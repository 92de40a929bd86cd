/**
 * --profile totem: Corosync Totem-shaped traffic, mapped onto the sender's pacing.
 *
 * Totem passes a token around the ring; on one rotation the ring may send at most window_size
 * messages (corosync.conf(5) totem.window_size, default 50), each datagram filling netmtu
 * (default 1500) with its IP and UDP headers. So: burst = window_size datagrams, burst
 * interval = the token rotation, datagram = netmtu - 28 (IPv4) or 48 (IPv6) bytes of UDP
 * payload. window_size caps the whole ring's messages per rotation, not one node's, so one
 * stream carries the window a receiver sees.
 *
 * corosync.conf(5): "window_size should be no larger than 256000 / netmtu to avoid overflow of
 * the kernel receive buffers" when a slow processor is present. A larger window is allowed here
 * (reproducing that overflow is the point) and warned about, never adjusted.
 */
import { ConfigError } from '../errors.js';
import { DEFAULTS, IP_UDP_OVERHEAD_BYTES, LIMITS } from './defaults.js';
import type { Pacing } from './rate.js';
import { has, pick, readInt, readString, type RawOptions } from './raw-options.js';
import { parseDuration } from './units.js';
import type { Family, TotemProfileConfig } from './types.js';

/** The byte budget in corosync.conf(5)'s window_size rule. */
export const COROSYNC_WINDOW_RULE_BYTES = 256_000;

const PROFILE_FLAGS = ['window-size', 'netmtu', 'token-rotation'] as const;

/** Flags the profile sets itself: giving them too is a conflict, never a silent override. */
const SET_BY_PROFILE: ReadonlyArray<readonly [flag: string, because: string]> = [
  ['rate', 'the rate is --window-size datagrams per --token-rotation'],
  ['burst', 'the burst is --window-size'],
  ['burst-interval', 'the burst interval is --token-rotation'],
  ['size', 'the datagram size is --netmtu minus the IP/UDP headers'],
];

/** corosync.conf(5): window_size <= 256000 / netmtu (integer messages). */
export function maxWindowSizeForNetmtu(netmtuBytes: number): number {
  return Math.floor(COROSYNC_WINDOW_RULE_BYTES / netmtuBytes);
}

function refuseOutsideProfile(raw: RawOptions): void {
  for (const flag of PROFILE_FLAGS) {
    if (has(raw, flag)) {
      throw new ConfigError(`--${flag}`, 'needs --profile totem', `--profile totem --${flag} ...`, 'ERR_OPTION_CONFLICT');
    }
  }
}

function refuseConflicts(raw: RawOptions): void {
  for (const [flag, because] of SET_BY_PROFILE) {
    if (has(raw, flag)) {
      throw new ConfigError(`--${flag}`, `conflicts with --profile totem (${because})`, '--window-size, --netmtu and --token-rotation shape the traffic; or leave out --profile', 'ERR_OPTION_CONFLICT');
    }
  }
  if (has(raw, 'streams') && String(pick(raw, 'streams')).trim() !== '1') {
    throw new ConfigError(
      '--streams',
      'conflicts with --profile totem (window_size caps the whole ring\'s messages per rotation, so one stream carries the window)',
      '1 with --profile totem',
      'ERR_OPTION_CONFLICT',
    );
  }
}

/**
 * --token-rotation, checked in whole nanoseconds and shown in ms: 100us is 1e-4 s exactly here,
 * not the 9.999e-5 that 100 x 1e-6 gives in floating point.
 */
function readRotationSec(raw: RawOptions): number {
  const given = pick(raw, 'token-rotation');
  if (given === undefined) return DEFAULTS.totem.tokenRotationSec;
  const ns = Math.round(parseDuration(given, '--token-rotation') * 1e9);
  const { min, max } = LIMITS.tokenRotationSec;
  if (ns < Math.round(min * 1e9) || ns > Math.round(max * 1e9)) {
    throw new ConfigError('--token-rotation', `${String(given).trim()} is out of range`, `${min * 1000} ms..${max * 1000} ms`);
  }
  return ns / 1e9;
}

/** --profile / --window-size / --netmtu / --token-rotation -> the profile, or null without --profile. */
export function readProfile(raw: RawOptions, family: Family): TotemProfileConfig | null {
  const name = readString(raw, 'profile');
  if (name === undefined) {
    refuseOutsideProfile(raw);
    return null;
  }
  if (name !== 'totem') throw new ConfigError('--profile', `'${name}' is not a profile`, 'totem');
  refuseConflicts(raw);
  const windowSize = readInt(raw, 'window-size', LIMITS.windowSize, 'messages') ?? DEFAULTS.totem.windowSize;
  const mtuRange = family === 6 ? LIMITS.netmtuV6Bytes : LIMITS.netmtuBytes;
  const netmtuBytes = readInt(raw, 'netmtu', mtuRange, family === 6 ? 'bytes (IPv6)' : 'bytes') ?? DEFAULTS.totem.netmtuBytes;
  const rotationSec = readRotationSec(raw);
  const ipUdpHeaderBytes = IP_UDP_OVERHEAD_BYTES[family];
  return {
    name: 'totem',
    windowSize,
    netmtuBytes,
    ipUdpHeaderBytes,
    datagramBytes: netmtuBytes - ipUdpHeaderBytes,
    tokenRotationMs: rotationSec * 1000,
  };
}

/** The sender's pacing for a profile: one window of datagrams per token rotation. */
export function profilePacing(p: TotemProfileConfig): Pacing {
  const intervalSec = p.tokenRotationMs / 1000;
  const packetsPerSec = p.windowSize / intervalSec;
  return { rate: { kind: 'packetsPerSec', packetsPerSec }, packetsPerSec, burst: p.windowSize, burstIntervalNs: intervalSec * 1e9 };
}

/** Doubtful but legal: said once before the run, never adjusted. */
export function profileWarnings(p: TotemProfileConfig): string[] {
  const max = maxWindowSizeForNetmtu(p.netmtuBytes);
  if (p.windowSize <= max) return [];
  return [
    `--window-size ${p.windowSize} is above corosync.conf(5)'s window_size <= 256000 / netmtu = ${max} (netmtu ${p.netmtuBytes}): kept as given, so the run shows what such a window does to a receive buffer`,
  ];
}
