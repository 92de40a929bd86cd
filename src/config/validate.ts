/**
 * The one validation boundary: raw CLI options -> SenderConfig / ReceiverConfig, or a
 * ConfigError naming the flag and what is allowed. Modes are derived from the addresses
 * (multicast, family, SSM) as iperf 2 does; conflicts are errors; nothing is silently adjusted:
 * doubtful but legal choices become warnings in config.warnings.
 */
import os from 'node:os';
import { ConfigError } from '../errors.js';
import { HEADER_BYTES } from '../wire/header.js';
import {
  familyName,
  familyOf,
  isLoopbackAddress,
  isMulticastAddress,
  isUsableUnicast,
  wildcardOf,
} from './address.js';
import { DEFAULTS, IP_UDP_OVERHEAD_BYTES, LIMITS } from './defaults.js';
import { resolveInterface, type InterfaceTable } from './interfaces.js';
import { lookupPathMtu, type PathMtuLookup } from './path-mtu.js';
import { readPacing } from './rate.js';
import { profilePacing, profileWarnings, readProfile } from './profile.js';
import {
  readBool,
  readChoice,
  readDurationSec,
  readInt,
  readNumber,
  readSize,
  readString,
  type RawOptions,
} from './raw-options.js';
import type { BackendChoice, Family, InterfaceSpec, OutputOptions, ReceiverConfig, SenderConfig } from './types.js';
import { parseDuration } from './units.js';

export type { RawOptions } from './raw-options.js';

/** What validation reads from the host; injectable so tests need no particular machine. */
export interface ValidateDeps {
  networkInterfaces: () => InterfaceTable;
  pathMtu: PathMtuLookup;
}

const HOST: ValidateDeps = { networkInterfaces: () => os.networkInterfaces(), pathMtu: lookupPathMtu };

function depsOf(deps: Partial<ValidateDeps>): ValidateDeps {
  return { ...HOST, ...deps };
}

function readIpAddress(raw: RawOptions, name: string): string | undefined {
  const v = readString(raw, name);
  if (v === undefined) return undefined;
  if (familyOf(v) === null) {
    throw new ConfigError(`--${name}`, `'${v}' is not an IP address (host names are not resolved)`, 'an IPv4 or IPv6 address');
  }
  return v;
}

function readOutput(raw: RawOptions): OutputOptions {
  const json = readBool(raw, 'json');
  const jsonStream = readBool(raw, 'json-stream');
  if (json && jsonStream) {
    throw new ConfigError('--json', 'cannot be combined with --json-stream', 'one of --json (one document) or --json-stream (one event per line)', 'ERR_OPTION_CONFLICT');
  }
  const given = readString(raw, 'interval');
  let intervalSec: number = DEFAULTS.intervalSec;
  if (given !== undefined) {
    intervalSec = parseDuration(given, '--interval');
    const { min, max } = LIMITS.intervalSec;
    if (intervalSec !== 0 && (intervalSec < min || intervalSec > max)) {
      throw new ConfigError('--interval', `${given} is out of range`, `0 (off) or ${min}..${max} s`);
    }
  }
  return { json, jsonStream, intervalSec };
}

function readBackend(raw: RawOptions): BackendChoice {
  return readChoice<BackendChoice>(raw, 'backend', ['auto', 'dgram', 'native'], DEFAULTS.backend);
}

/** --receiver-pause needs --pause-every and a period longer than the pause; never adjusted. */
function readSlowReceiver(raw: RawOptions): { pauseSec: number | null; pauseEverySec: number | null; workUsPerPacket: number } {
  const pauseSec = readDurationSec(raw, 'receiver-pause', LIMITS.pauseSec) ?? null;
  const pauseEverySec = readDurationSec(raw, 'pause-every', LIMITS.pauseSec) ?? null;
  if ((pauseSec === null) !== (pauseEverySec === null)) {
    const missing = pauseSec === null ? '--receiver-pause' : '--pause-every';
    const given = pauseSec === null ? '--pause-every' : '--receiver-pause';
    throw new ConfigError(given, `needs ${missing}`, '--receiver-pause DUR --pause-every DUR', 'ERR_OPTION_CONFLICT');
  }
  if (pauseSec !== null && pauseEverySec !== null && pauseEverySec <= pauseSec) {
    throw new ConfigError('--pause-every', `${pauseEverySec} s is not longer than --receiver-pause ${pauseSec} s`, `a period longer than ${pauseSec} s`, 'ERR_OPTION_CONFLICT');
  }
  return { pauseSec, pauseEverySec, workUsPerPacket: readNumber(raw, 'receiver-work-us', LIMITS.workUs, 'us') ?? 0 };
}

/** --gso and --tos/--dscp need the native addon: refuse them with --backend dgram. */
function readNativeExtras(raw: RawOptions, backend: BackendChoice): { gso: boolean; tos: number | null } {
  const gso = readBool(raw, 'gso');
  const tos = readInt(raw, 'tos', LIMITS.tos, '');
  const dscp = readInt(raw, 'dscp', LIMITS.dscp, '');
  if (tos !== undefined && dscp !== undefined) {
    throw new ConfigError('--dscp', 'conflicts with --tos (both set the same byte)', 'one of --tos 0-255 or --dscp 0-63', 'ERR_OPTION_CONFLICT');
  }
  const needs = gso ? '--gso' : tos !== undefined ? '--tos' : dscp !== undefined ? '--dscp' : null;
  if (needs !== null && backend === 'dgram') {
    throw new ConfigError(needs, 'needs the native backend (node:dgram cannot do it)', '--backend auto or native, with the addon built', 'ERR_OPTION_CONFLICT');
  }
  return { gso, tos: tos ?? (dscp !== undefined ? dscp << 2 : null) };
}

function readInterface(raw: RawOptions, family: Family, deps: ValidateDeps): InterfaceSpec | null {
  const given = readString(raw, 'interface');
  return given === undefined ? null : resolveInterface(given, family, deps.networkInterfaces());
}

function readSizeBytes(raw: RawOptions, family: Family): number {
  const max = family === 4 ? LIMITS.maxSizeV4Bytes : LIMITS.maxSizeV6Bytes;
  const given = readSize(raw, 'size', { min: HEADER_BYTES, max });
  return given ?? (family === 4 ? DEFAULTS.sizeV4Bytes : DEFAULTS.sizeV6Bytes);
}

/** Warn (never adjust) when each datagram would be IP-fragmented on the outgoing interface. */
function mtuWarning(dest: string, family: Family, sizeBytes: number, iface: InterfaceSpec | null, deps: ValidateDeps): string | null {
  const mtu = deps.pathMtu(dest, iface?.name ?? null);
  const onWire = sizeBytes + IP_UDP_OVERHEAD_BYTES[family];
  if (mtu === null || onWire <= mtu) return null;
  return `--size ${sizeBytes}: each datagram is ${onWire} bytes with IP/UDP headers, above the ${mtu}-byte MTU towards ${dest}; it will be IP-fragmented (losing one fragment loses the datagram)`;
}

function readAmount(raw: RawOptions, defaultDurationSec: number): { count: number | null; durationSec: number | null } {
  const count = readInt(raw, 'count', LIMITS.count, 'datagrams') ?? null;
  const durationSec = readDurationSec(raw, 'duration', LIMITS.durationSec) ?? null;
  // Both given: stop at whichever comes first. Neither: a timed run.
  return { count, durationSec: count === null && durationSec === null ? defaultDurationSec : durationSec };
}

interface SenderTarget {
  dest: string;
  port: number;
  family: Family;
}

function buildSender(raw: RawOptions, target: SenderTarget, defaults: { rate: string; durationSec: number }, deps: ValidateDeps): SenderConfig {
  const { dest, family } = target;
  const isMulticast = isMulticastAddress(dest);
  const warnings: string[] = [];
  const profile = readProfile(raw, family);
  const sizeBytes = profile?.datagramBytes ?? readSizeBytes(raw, family);
  const pacing = profile ? profilePacing(profile) : readPacing(raw, sizeBytes, defaults.rate);
  if (profile) warnings.push(...profileWarnings(profile));
  const iface = readInterface(raw, family, deps);
  const loop = readBool(raw, 'loop');
  if (loop && !isMulticast) warnings.push('--loop only affects multicast; ignored for a unicast destination');
  const mtu = mtuWarning(dest, family, sizeBytes, iface, deps);
  if (mtu !== null) warnings.push(profile ? mtu.replace(`--size ${sizeBytes}`, `--netmtu ${profile.netmtuBytes}`) : mtu);
  return {
    dest,
    port: target.port,
    family,
    isMulticast,
    ...pacing,
    sizeBytes,
    ...readAmount(raw, defaults.durationSec),
    ttl: readInt(raw, 'ttl', LIMITS.ttl, '') ?? (isMulticast ? DEFAULTS.multicastTtl : null),
    loop,
    interface: iface,
    sndbufBytes: readSize(raw, 'sndbuf', LIMITS.bufBytes) ?? null,
    streams: readInt(raw, 'streams', LIMITS.streams, '') ?? DEFAULTS.streams,
    ...readNativeExtras(raw, readBackend(raw)),
    endCopies: DEFAULTS.endCopies,
    backend: readBackend(raw),
    output: readOutput(raw),
    warnings,
    profile,
  };
}

export function validateSender(raw: RawOptions, deps: Partial<ValidateDeps> = {}): SenderConfig {
  const dest = readIpAddress(raw, 'dest');
  if (dest === undefined) throw new ConfigError('--dest', 'is required', 'an IPv4 or IPv6 unicast or multicast address');
  if (!isMulticastAddress(dest) && !isUsableUnicast(dest)) {
    throw new ConfigError('--dest', `${dest} cannot be sent to`, 'a unicast host or multicast group address');
  }
  const port = readInt(raw, 'port', LIMITS.port, '') ?? DEFAULTS.port;
  const family = familyOf(dest) as Family;
  return buildSender(raw, { dest, port, family }, { rate: DEFAULTS.rate, durationSec: DEFAULTS.durationSec }, depsOf(deps));
}

function readRcvbuf(raw: RawOptions): { rcvbufBytes: number | null; rcvbufForce: boolean } {
  const given = readString(raw, 'rcvbuf');
  const rcvbufBytes = given === undefined || given.toLowerCase() === 'default' ? null : (readSize(raw, 'rcvbuf', LIMITS.bufBytes) as number);
  const rcvbufForce = readBool(raw, 'rcvbuf-force');
  if (rcvbufForce && rcvbufBytes === null) {
    throw new ConfigError('--rcvbuf-force', 'needs --rcvbuf with a size', '--rcvbuf SIZE --rcvbuf-force', 'ERR_OPTION_CONFLICT');
  }
  return { rcvbufBytes, rcvbufForce };
}

/** --group / --source / --bind -> the membership and the local address, with the SSM rules. */
function readMembership(raw: RawOptions): { group: string | null; source: string | null; bind: string; family: Family } {
  const group = readIpAddress(raw, 'group') ?? null;
  const source = readIpAddress(raw, 'source') ?? null;
  const bind = readIpAddress(raw, 'bind') ?? null;
  if (group !== null && !isMulticastAddress(group)) {
    throw new ConfigError('--group', `${group} is not a multicast address`, '224.0.0.0/4 or ff00::/8', 'ERR_NOT_MULTICAST');
  }
  if (source !== null && group === null) {
    throw new ConfigError('--source', 'needs --group (source-specific multicast joins a (source, group) pair)', '--group G --source S', 'ERR_OPTION_CONFLICT');
  }
  if (group !== null && source !== null) {
    const gf = familyOf(group) as Family;
    if (!isUsableUnicast(source) || familyOf(source) !== gf) {
      throw new ConfigError('--source', `${source} is not a usable sender address for ${group}`, `a unicast ${familyName(gf)} address`);
    }
  }
  if (bind !== null && isMulticastAddress(bind)) {
    throw new ConfigError('--bind', `${bind} is a multicast group`, `a local unicast address; join a group with --group ${bind}`, 'ERR_OPTION_CONFLICT');
  }
  if (bind !== null && group !== null) {
    throw new ConfigError('--bind', 'cannot be combined with --group (a multicast receiver binds the wildcard address)', 'one of --bind or --group', 'ERR_OPTION_CONFLICT');
  }
  const family = (familyOf(group ?? bind ?? '') ?? 4) as Family;
  return { group, source, bind: bind ?? wildcardOf(family), family };
}

export function validateReceiver(raw: RawOptions, deps: Partial<ValidateDeps> = {}): ReceiverConfig {
  const d = depsOf(deps);
  const m = readMembership(raw);
  return {
    bind: m.bind,
    port: readInt(raw, 'port', LIMITS.port, '') ?? DEFAULTS.port,
    family: m.family,
    group: m.group,
    source: m.source,
    interface: readInterface(raw, m.family, d),
    ...readRcvbuf(raw),
    durationSec: readDurationSec(raw, 'duration', LIMITS.durationSec) ?? null,
    idleExitSec: readDurationSec(raw, 'idle-exit', LIMITS.idleExitSec) ?? null,
    maxLossPercent: readNumber(raw, 'max-loss', LIMITS.maxLossPercent, '%') ?? null,
    countFrom: readChoice(raw, 'count-from', ['zero', 'first'] as const, DEFAULTS.countFrom),
    clocksSynced: readBool(raw, 'clocks-synced'),
    ...readSlowReceiver(raw),
    backend: readBackend(raw),
    output: readOutput(raw),
    warnings: [],
  };
}

/** Loopback never touches multicast in this namespace: only 127.0.0.0/8 or ::1. */
function readLoopbackDest(raw: RawOptions): { dest: string; family: Family } {
  const ipv6 = readBool(raw, 'ipv6');
  const dest = readIpAddress(raw, 'dest') ?? (ipv6 ? DEFAULTS.loopback.destV6 : DEFAULTS.loopback.destV4);
  const allowed = 'a loopback address: 127.0.0.0/8, or ::1 (with --ipv6)';
  if (isMulticastAddress(dest)) {
    throw new ConfigError('--dest', `${dest} is multicast; loopback runs never send multicast`, allowed, 'ERR_OPTION_CONFLICT');
  }
  if (!isLoopbackAddress(dest)) throw new ConfigError('--dest', `${dest} is not a loopback address`, allowed);
  const family = familyOf(dest) as Family;
  if (ipv6 && family !== 6) throw new ConfigError('--ipv6', `conflicts with --dest ${dest}`, allowed, 'ERR_OPTION_CONFLICT');
  return { dest, family };
}

export function validateLoopback(raw: RawOptions, deps: Partial<ValidateDeps> = {}): { sender: SenderConfig; receiver: ReceiverConfig } {
  const d = depsOf(deps);
  const { dest, family } = readLoopbackDest(raw);
  const port = readInt(raw, 'port', { min: 0, max: LIMITS.port.max }, '') ?? DEFAULTS.loopback.port;
  const noInterface: RawOptions = { ...raw, interface: undefined, ttl: undefined, loop: undefined };
  const sender = buildSender(noInterface, { dest, port, family }, DEFAULTS.loopback, d);
  const receiver: ReceiverConfig = {
    bind: dest,
    port,
    family,
    group: null,
    source: null,
    interface: null,
    ...readRcvbuf(raw),
    // The engine ends the receiver once the sender is done (stoppedBy 'senders-done').
    durationSec: null,
    idleExitSec: readDurationSec(raw, 'idle-exit', LIMITS.idleExitSec) ?? null,
    maxLossPercent: readNumber(raw, 'max-loss', LIMITS.maxLossPercent, '%') ?? null,
    countFrom: 'zero',
    // One host, one clock: one-way latency is absolute.
    clocksSynced: true,
    ...readSlowReceiver(raw),
    backend: sender.backend,
    output: sender.output,
    warnings: [],
  };
  return { sender, receiver };
}
