/**
 * Validated, frozen run configurations. Produced once by config/validate.ts from the CLI's raw
 * options; nothing past that boundary re-checks user input. Units are in every numeric name.
 */
export type Family = 4 | 6;
export type BackendChoice = 'auto' | 'dgram' | 'native';

export interface OutputOptions {
  /** One JSON document on stdout at the end. */
  json: boolean;
  /** One JSON event per line on stdout. */
  jsonStream: boolean;
  /** Interval between live reports, seconds (0 disables interval reports). */
  intervalSec: number;
}

/** An interface given by name ("eth0") or by address ("10.0.0.1"), resolved at validation. */
export interface InterfaceSpec {
  /** As the user wrote it. */
  given: string;
  name: string | null;
  /** IPv4 address for IP_MULTICAST_IF / IP_ADD_MEMBERSHIP; for IPv6 the scoped "::%name" form. */
  address: string | null;
}

export type RateSpec =
  | { kind: 'bitsPerSec'; bitsPerSec: number }
  | { kind: 'packetsPerSec'; packetsPerSec: number }
  | { kind: 'max' };

export interface SenderConfig {
  dest: string;
  port: number;
  family: Family;
  isMulticast: boolean;
  /** Per stream. */
  rate: RateSpec;
  /** Derived: datagrams per second per stream (Infinity for max). */
  packetsPerSec: number;
  /** UDP payload bytes, header included. */
  sizeBytes: number;
  /** Datagrams per stream; null = until duration. */
  count: number | null;
  durationSec: number | null;
  /** Datagrams sent back to back per burst. */
  burst: number;
  /** Derived or given: time between burst starts, ns (0 for max rate). */
  burstIntervalNs: number;
  ttl: number | null;
  loop: boolean;
  interface: InterfaceSpec | null;
  sndbufBytes: number | null;
  /** Native backend: send each burst as one UDP_SEGMENT super-datagram (every segment a full datagram). */
  gso: boolean;
  /** IP TOS / IPv6 traffic class byte (--tos, or --dscp << 2); native backend only. */
  tos: number | null;
  streams: number;
  /** Copies of the end-of-stream datagram. */
  endCopies: number;
  backend: BackendChoice;
  output: OutputOptions;
  /** Warnings found during validation (e.g. above path MTU): printed, never silently fixed. */
  warnings: string[];
  /** --profile totem: the Corosync parameters the pacing above was derived from; null without a profile. */
  profile?: TotemProfileConfig | null;
}

export interface ReceiverConfig {
  /** Local address to bind (unicast), or the wildcard for multicast. */
  bind: string;
  port: number;
  family: Family;
  group: string | null;
  source: string | null;
  interface: InterfaceSpec | null;
  /** null = kernel default. */
  rcvbufBytes: number | null;
  rcvbufForce: boolean;
  durationSec: number | null;
  idleExitSec: number | null;
  maxLossPercent: number | null;
  /** 'zero': loss counts from sequence 0; 'first': from the first datagram received (late join). */
  countFrom: 'zero' | 'first';
  /** The user declares sender and receiver clocks synchronized (PTP/NTP): latency is absolute. */
  clocksSynced: boolean;
  /** Slow receiver on demand: stop reading for pauseSec every pauseEverySec (both or neither). */
  pauseSec: number | null;
  pauseEverySec: number | null;
  /** CPU burnt per datagram, us (a slow consumer); 0 = none. */
  workUsPerPacket: number;
  backend: BackendChoice;
  output: OutputOptions;
  warnings: string[];
}

/**
 * --profile totem (config/profile.ts): Corosync Totem-shaped traffic. Each token rotation sends
 * window_size datagrams back to back, each filling netmtu with its IP and UDP headers.
 */
export interface TotemProfileConfig {
  name: 'totem';
  /** corosync.conf(5) totem.window_size: messages per token rotation. */
  windowSize: number;
  /** corosync.conf(5) totem.netmtu. */
  netmtuBytes: number;
  /** IP + UDP header bytes inside netmtu: 28 (IPv4), 48 (IPv6). */
  ipUdpHeaderBytes: number;
  /** UDP payload per datagram: netmtuBytes - ipUdpHeaderBytes (our 40-byte header included). */
  datagramBytes: number;
  /** Time between token arrivals: one window per rotation. */
  tokenRotationMs: number;
}
