/**
 * Every CLI option defined once, so send, receive and loopback cannot drift. Values stay
 * strings here (no yargs defaults, no coercion): config/validate.ts parses units and applies
 * defaults, which lets it tell "given" from "defaulted". Defaults are shown via
 * defaultDescription, taken from config/defaults.ts.
 */
import type { Argv, Options } from 'yargs';
import { DEFAULTS, LIMITS } from '../config/defaults.js';

const str = { type: 'string', requiresArg: true } as const;
const bool = { type: 'boolean' } as const;

export const OPTIONS = {
  dest: { ...str, alias: 'c', describe: 'Destination: unicast host or multicast group (IPv4 or IPv6 address)' },
  port: { ...str, alias: 'p', describe: `UDP port (${LIMITS.port.min}-${LIMITS.port.max})`, defaultDescription: String(DEFAULTS.port) },
  rate: {
    ...str,
    alias: 'b',
    describe:
      'Rate per stream. Bits/s of UDP payload with DECIMAL suffixes, as iperf counts it (100m = 100,000,000 bit/s; 1.5g, 10k), packets/s with pps (20kpps, 8503pps), or max',
    defaultDescription: DEFAULTS.rate,
  },
  size: {
    ...str,
    alias: 'l',
    describe: `UDP payload bytes per datagram, including the ${40}-byte header; BINARY suffixes (K = 1024). Max ${LIMITS.maxSizeV4Bytes} (IPv4), ${LIMITS.maxSizeV6Bytes} (IPv6)`,
    defaultDescription: `${DEFAULTS.sizeV4Bytes} (IPv6: ${DEFAULTS.sizeV6Bytes})`,
  },
  count: { ...str, alias: 'n', describe: 'Datagrams to send per stream (with --duration: whichever ends first)' },
  duration: { ...str, alias: 't', describe: 'Run time: seconds, or with a suffix ms/s/m/h (500ms, 30s, 2m)' },
  burst: { ...str, describe: `Datagrams sent back to back per burst (${LIMITS.burst.min}-${LIMITS.burst.max})`, defaultDescription: String(DEFAULTS.burst) },
  'burst-interval': { ...str, describe: 'Time between burst starts (e.g. 1ms); the rate follows from --burst; not with --rate' },
  ttl: { ...str, alias: 'T', describe: 'IP TTL / hop limit (0-255)', defaultDescription: '1 for multicast, system default for unicast' },
  loop: { ...bool, describe: 'Multicast loopback: deliver our own datagrams to listeners on this host', defaultDescription: 'false' },
  interface: { ...str, describe: 'Interface for multicast, by name (eth0) or address (10.0.0.1)' },
  sndbuf: { ...str, alias: 'w', describe: 'Socket send buffer size (SO_SNDBUF), binary suffixes (4M)', defaultDescription: 'kernel default' },
  gso: { ...bool, describe: 'UDP GSO (UDP_SEGMENT): hand each burst to the kernel as one super-datagram; every segment is a full datagram with its own header (native backend)' },
  tos: { ...str, alias: 'S', describe: 'IP TOS byte / IPv6 traffic class (0-255) (native backend)' },
  dscp: { ...str, describe: 'DSCP code point (0-63), i.e. TOS = DSCP << 2 (native backend)' },
  streams: { ...str, alias: 'P', describe: `Parallel streams (${LIMITS.streams.min}-${LIMITS.streams.max}), each at --rate`, defaultDescription: String(DEFAULTS.streams) },
  group: { ...str, describe: 'Multicast group to join (224.0.0.0/4 or ff00::/8)' },
  source: { ...str, describe: 'Source-specific multicast: accept only this sender (needs --group)' },
  bind: { ...str, alias: 'B', describe: 'Local unicast address to bind', defaultDescription: '0.0.0.0 (:: for IPv6)' },
  rcvbuf: { ...str, alias: 'w', describe: 'Socket receive buffer size (SO_RCVBUF), binary suffixes (25M), or "default"', defaultDescription: 'kernel default' },
  'rcvbuf-force': { ...bool, describe: 'Exceed net.core.rmem_max with SO_RCVBUFFORCE (needs CAP_NET_ADMIN and --rcvbuf)' },
  'idle-exit': { ...str, describe: 'Stop after this long without datagrams (e.g. 3s)' },
  'max-loss': { ...str, describe: 'Exit with code 3 if the loss exceeds this percentage (0-100)' },
  'count-from': { ...str, describe: 'Count loss from sequence zero, or from the first datagram received (late join): zero, first', defaultDescription: DEFAULTS.countFrom },
  'receiver-pause': { ...str, describe: 'Slow receiver: stop reading for this long (e.g. 1s) every --pause-every; the kernel queues, then drops' },
  'pause-every': { ...str, describe: 'Period of --receiver-pause (e.g. 5s); must be longer than the pause' },
  'receiver-work-us': { ...str, describe: 'Slow receiver: CPU time burnt per datagram, microseconds (0-100000)' },
  'clocks-synced': { ...bool, describe: 'Sender and receiver clocks are synchronized (PTP/NTP): report latency as absolute' },
  ipv6: { ...bool, alias: '6', describe: 'Use ::1 instead of 127.0.0.1' },
  interval: { ...str, alias: 'i', describe: 'Seconds between live reports (0 = off)', defaultDescription: `${DEFAULTS.intervalSec}s` },
  json: { ...bool, alias: 'J', describe: 'Print one JSON document at the end (stdout); no live lines' },
  'json-stream': { ...bool, describe: 'Print one JSON event per line (start, interval, warning, end, error)' },
  backend: { ...str, describe: 'Socket backend: auto, dgram (node:dgram) or native (recvmmsg, kernel timestamps)', defaultDescription: DEFAULTS.backend },
  repeat: { ...str, describe: `Send the same traffic this many times (${LIMITS.repeat.min}-${LIMITS.repeat.max}), a new session each run: one run per setting of a compare receiver (receive --rcvbuf a,b)` },
  gap: { ...str, describe: `Silence between --repeat runs (${LIMITS.gapSec.min}-${LIMITS.gapSec.max} s), e.g. 2s; a compare receiver needs about 1 s to reopen`, defaultDescription: `${DEFAULTS.repeatGapSec}s` },
  profile: { ...str, describe: 'Traffic profile: totem (Corosync: --window-size datagrams filling --netmtu, back to back, every --token-rotation); not with --rate, --burst, --burst-interval, --size' },
  'window-size': {
    ...str,
    describe: `Totem window_size: datagrams per token rotation (${LIMITS.windowSize.min}-${LIMITS.windowSize.max}); corosync.conf(5) advises at most 256000 / netmtu`,
    defaultDescription: String(DEFAULTS.totem.windowSize),
  },
  netmtu: {
    ...str,
    describe: `Totem netmtu, bytes: each datagram fills it with its IP/UDP headers (${LIMITS.netmtuBytes.min}-${LIMITS.netmtuBytes.max}; IPv6 ${LIMITS.netmtuV6Bytes.min}-${LIMITS.netmtuV6Bytes.max})`,
    defaultDescription: String(DEFAULTS.totem.netmtuBytes),
  },
  'token-rotation': { ...str, describe: 'Totem token rotation: time between windows (0.1ms-1s)', defaultDescription: `${DEFAULTS.totem.tokenRotationSec * 1000}ms` },
  search: { ...str, describe: 'What find-rate searches: rate (datagrams/s, in bursts of --burst) or burst (datagrams per burst, at a fixed --burst-interval)' },
  start: { ...str, describe: 'First value tried, then doubled: a rate (10m, 1000pps), or with --search burst datagrams per burst' },
  ceiling: { ...str, describe: 'Highest value ever tried, same units as --start' },
  resolution: { ...str, describe: 'Stop bisecting once the last pass and the first fail are this close, percent of the pass (0.1-50)' },
  trial: { ...str, describe: 'Length of each trial (e.g. 3s, 0.5-600 s); a buffer hides an overload until it fills, so large buffers need longer trials' },
  report: { ...str, describe: 'Also write a self-contained HTML report with charts to this file (opens offline), when the run ends or is interrupted' },
} as const satisfies Record<string, Options>;

/** Shown under every command's help too: the two unit systems and the exit codes. */
export const EPILOGUE = [
  'Units: rates are DECIMAL bits/s of UDP payload, as iperf counts them (100m = 100,000,000 bit/s;',
  '20kpps = packets/s); sizes are BINARY (4M = 4,194,304 bytes); durations take us/ms/s/m/h (default s).',
  '',
  'Exit codes: 0 ok, 1 run failure, 2 bad usage, 3 --max-loss exceeded, 130 interrupted twice.',
  'Ctrl-C once stops the run and still prints the result; twice quits at once.',
].join('\n');

export type OptionName = keyof typeof OPTIONS;

/** Option groups as shown in --help. */
export interface OptionGroups {
  [title: string]: readonly OptionName[];
}

export const OUTPUT_GROUP: readonly OptionName[] = ['interval', 'json', 'json-stream', 'backend'];

/**
 * Adds the named options, grouped for help, with optional per-command overrides (loopback's
 * port default, for one).
 */
export function addOptions(y: Argv, groups: OptionGroups, overrides: Partial<Record<OptionName, Options>> = {}): Argv {
  let out = y;
  for (const [title, names] of Object.entries(groups)) {
    for (const name of names) out = out.option(name, { ...OPTIONS[name], ...overrides[name] } as Options);
    out = out.group([...names], title);
  }
  return out.epilogue(EPILOGUE);
}
