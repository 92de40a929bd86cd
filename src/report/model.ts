/**
 * The single result model. The JSON document is this model serialized, with no mapping layer,
 * so every key carries its unit. Renderers (table.ts, interval-line.ts, json.ts) read it and
 * return strings; measurement code never formats.
 */
import type { TotemProfileConfig } from '../config/types.js';

export const SCHEMA_VERSION = 1;

export type Role = 'sender' | 'receiver' | 'loopback';
export type StopReason = 'duration' | 'count' | 'idle-exit' | 'signal' | 'senders-done' | 'error' | 'end-of-session';

export interface LatencySummaryUs {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  min: number;
  max: number;
  mean: number;
  /** Values recorded in the histogram. */
  samples: number;
  /** Values below zero (receiver clock behind sender's): counted, not recorded. */
  negativeSamples: number;
}

/**
 * One point of a latency percentile distribution (HdrHistogram's percentile output): valueUs
 * is the latency at or below which `percentile` % of the samples fall. percentile 0 is the
 * minimum and 100 the maximum.
 */
export interface LatencyPercentileUs {
  percentile: number;
  valueUs: number;
}

/** Lateness of burst starts against their deadlines. */
export interface LatenessSummaryUs {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

export interface ReceiverStreamCounters {
  packets: number;
  bytes: number;
  /** Expected minus unique received; includes tail loss once the end-of-stream count is known. */
  lostPackets: number;
  duplicatePackets: number;
  outOfOrderPackets: number;
  /** RFC 3550 section 6.4.1 interarrival jitter, ms. */
  jitterMs: number;
}

export interface ReceiverStreamResult extends ReceiverStreamCounters {
  /** `${sessionId}/${streamId}` */
  key: string;
  sessionId: string;
  streamId: number;
  /** Sender address:port of the first datagram of this stream. */
  source: string;
  firstSeq: number;
  highestSeq: number;
  /** Packets the sender says it sent (end-of-stream), or null if no end-of-stream arrived. */
  senderPackets: number | null;
  endOfStreamReceived: boolean;
  /** Sequence numbers below the first one received that never arrived (sent before we listened, or lost). */
  lostBeforeFirstPackets: number;
  lossPercent: number;
  durationSec: number;
  bitsPerSecond: number;
  packetsPerSecond: number;
  /** Multicast: time from the join to this stream's first datagram, ms. */
  joinToFirstPacketMs: number | null;
  /** One-way: receive (app) time minus the send time in the header. */
  latencyUs: LatencySummaryUs;
  /** Native backend only: kernel receive timestamp minus send time. */
  sendToKernelUs: LatencySummaryUs | null;
  /** Native backend only: app time minus kernel receive timestamp. */
  kernelToAppUs: LatencySummaryUs | null;
  /** Gaps between consecutive datagrams of this stream as received (burstiness), us. */
  interArrivalUs: LatencySummaryUs;
  /** Which clock stamped the arrivals: the kernel's (native backend) or the application's. */
  interArrivalClock: 'kernel' | 'application';
}

export interface ReceiverTotal extends ReceiverStreamCounters {
  lossPercent: number;
  /** Datagrams that were not ours: wrong magic, truncated, unknown version, bad check. */
  foreignPackets: number;
  /** Datagrams in our format that were implausible (sequence leap, table full): ignored. */
  invalidPackets: number;
  /** One-session mode (compare receiver): datagrams of other sender sessions, ignored; else 0. */
  otherSessionPackets: number;
  durationSec: number;
  bitsPerSecond: number;
  packetsPerSecond: number;
  latencyUs: LatencySummaryUs;
  /** The whole run's latency distribution, for a percentile curve; empty without samples. */
  latencyPercentilesUs: LatencyPercentileUs[];
}

/** Kernel counter deltas over the run (or interval). */
export interface KernelCounters {
  /** This socket's own `drops` column in /proc/net/udp(6): exact for this socket. */
  socketDrops: number;
  /** Namespace-wide Udp RcvbufErrors (+ Udp6 for IPv6). */
  rcvbufErrors: number;
  inErrors: number;
  inDatagrams: number;
  noPorts: number;
  inCsumErrors: number;
  /** Bytes waiting in the socket's receive queue at the sample (rx_queue). */
  rxQueueBytes: number;
  /** Highest receive-queue occupancy seen (sampled every 20 ms), bytes of kernel truesize. */
  peakRxQueueBytes: number;
  /** peakRxQueueBytes / the granted receive buffer: 1.0 means the buffer filled and dropped. */
  peakQueueFraction: number;
}

export interface ReceiverSocketInfo {
  backend: 'dgram' | 'native';
  backendReason: string;
  localAddress: string;
  localPort: number;
  group: string | null;
  source: string | null;
  rcvbufRequestedBytes: number | null;
  rcvbufGrantedBytes: number;
  rmemMaxBytes: number | null;
  rmemDefaultBytes: number | null;
  rcvbufForced: boolean;
  rcvbufMethod: string;
  /** One plain line when the kernel gave less than asked, with the fix; else null. */
  rcvbufNote: string | null;
}

export interface Reconciliation {
  lostPackets: number;
  /** Lost packets this host's socket dropped (receive buffer full). */
  droppedBySocket: number;
  /** Lost packets the socket never saw: lost on the path, before this host's socket. */
  lostBeforeSocket: number;
  /** Socket drops beyond our loss (foreign traffic or other senders on the same port). */
  unexplainedSocketDrops: number;
  words: string;
}

export interface ReceiverStart {
  role: 'receiver';
  version: string;
  timestampUs: number;
  config: Record<string, unknown>;
  socket: ReceiverSocketInfo;
  clockNote: string | null;
  warnings: string[];
}

export interface ReceiverIntervalStream extends ReceiverStreamCounters {
  key: string;
  lossPercent: number;
  bitsPerSecond: number;
  packetsPerSecond: number;
  latencyUs: LatencySummaryUs;
}

export interface ReceiverInterval {
  role: 'receiver';
  startSec: number;
  endSec: number;
  streams: ReceiverIntervalStream[];
  sum: ReceiverIntervalStream & { foreignPackets: number };
  kernel: KernelCounters;
}

export interface ReceiverEnd {
  role: 'receiver';
  stoppedBy: StopReason;
  durationSec: number;
  total: ReceiverTotal;
  streams: ReceiverStreamResult[];
  kernel: KernelCounters;
  socket: ReceiverSocketInfo;
  reconciliation: Reconciliation;
  clockNote: string | null;
  maxLossPercent: number | null;
  maxLossExceeded: boolean;
  warnings: string[];
}

export interface SenderStreamResult {
  streamId: number;
  packets: number;
  bytes: number;
  bursts: number;
  lateBursts: number;
  sendErrors: number;
  durationSec: number;
  bitsPerSecond: number;
  packetsPerSecond: number;
  sendLatenessUs: LatenessSummaryUs;
}

export interface SenderTotal {
  packets: number;
  bytes: number;
  bursts: number;
  lateBursts: number;
  sendErrors: number;
  durationSec: number;
  bitsPerSecond: number;
  packetsPerSecond: number;
  /** Target rate per stream x streams, or null for max rate. */
  targetPacketsPerSecond: number | null;
  /** (achieved - target) / target x 100, or null for max rate. */
  rateErrorPercent: number | null;
  sendLatenessUs: LatenessSummaryUs;
}

export interface SenderSocketInfo {
  backend: 'dgram' | 'native';
  backendReason: string;
  localAddress: string;
  localPort: number;
  sndbufRequestedBytes: number | null;
  sndbufGrantedBytes: number;
  wmemMaxBytes: number | null;
  /** How the pacer sleeps between bursts. */
  pacer: string;
  /** UDP GSO requested (native backend). */
  gso: boolean;
  /** IP TOS byte set, or null. */
  tos: number | null;
}

export interface SenderStart {
  role: 'sender';
  version: string;
  timestampUs: number;
  sessionId: string;
  config: Record<string, unknown>;
  socket: SenderSocketInfo;
  warnings: string[];
}

export interface SenderIntervalStream {
  streamId: number;
  packets: number;
  bytes: number;
  lateBursts: number;
  bitsPerSecond: number;
  packetsPerSecond: number;
}

export interface SenderInterval {
  role: 'sender';
  startSec: number;
  endSec: number;
  streams: SenderIntervalStream[];
  sum: Omit<SenderIntervalStream, 'streamId'>;
}

export interface SenderEnd {
  role: 'sender';
  stoppedBy: StopReason;
  sessionId: string;
  total: SenderTotal;
  streams: SenderStreamResult[];
  socket: SenderSocketInfo;
  /** Namespace-wide Udp SndbufErrors / OutDatagrams deltas. */
  kernel: { sndbufErrors: number; outDatagrams: number };
  warnings: string[];
  /** --profile totem: the Corosync rule for the window sent (no buffer check: the receiver is elsewhere). */
  profile?: TotemProfileResult;
}

export type Interval = ReceiverInterval | SenderInterval;

export interface ReceiverRunReport {
  schemaVersion: number;
  start: ReceiverStart;
  intervals: ReceiverInterval[];
  end: ReceiverEnd;
}

export interface SenderRunReport {
  schemaVersion: number;
  start: SenderStart;
  intervals: SenderInterval[];
  end: SenderEnd;
}

/**
 * send --repeat N: the same traffic N times, a new session each run, with a silence between
 * runs. Each run keeps its own full report.
 */
export interface SenderRepeatReport {
  schemaVersion: number;
  start: { role: 'sender-repeat'; repeat: number; gapSec: number };
  runs: SenderRunReport[];
  end: {
    role: 'sender-repeat';
    /** 'signal' when Ctrl-C cut the series short, else how the last run ended. */
    stoppedBy: StopReason;
    /** Runs that ran (after Ctrl-C the last one may be partial). */
    runsCompleted: number;
    /** Per run, in order: its session id and the datagrams it sent (all streams). */
    sessionIds: string[];
    sentPackets: number[];
  };
}

/** loopback: both ends in one process. `end` is the receiver's end plus the sender's. */
export interface LoopbackRunReport {
  schemaVersion: number;
  start: { role: 'loopback'; sender: SenderStart; receiver: ReceiverStart };
  intervals: Interval[];
  end: ReceiverEnd & { sender: SenderEnd; profile?: TotemProfileResult };
}

export type RunReport = ReceiverRunReport | SenderRunReport | LoopbackRunReport;

/** --json-stream events, one per line. */
export type StreamEvent =
  | { event: 'start'; data: ReceiverStart | SenderStart }
  | { event: 'interval'; data: Interval }
  | { event: 'warning'; data: { message: string } }
  | { event: 'end'; data: ReceiverEnd | SenderEnd }
  | { event: 'error'; data: { code: string; message: string } };

/**
 * --profile totem: the window against corosync.conf(5)'s rule and, where the receive buffer is
 * known (loopback, compare), against that buffer: predicted from the kernel's per-datagram
 * charge and measured by the run.
 */
export interface TotemProfileResult extends TotemProfileConfig {
  /** UDP payload per token rotation: windowSize x datagramBytes. */
  windowBytes: number;
  /** Offered load: one window per rotation. */
  packetsPerSecond: number;
  /** Offered UDP payload bits per second. */
  bitsPerSecond: number;
  /** corosync.conf(5): window_size should not exceed corosyncRuleBytes / netmtu. */
  corosyncRuleBytes: number;
  /** floor(corosyncRuleBytes / netmtuBytes). */
  maxWindowSizeForNetmtu: number;
  withinCorosyncRule: boolean;
  /** The window against this run's receive buffer; null when the buffer is not known here (send). */
  buffer: TotemBufferCheck | null;
}

export interface TotemBufferCheck {
  rcvbufGrantedBytes: number;
  /**
   * What the kernel charges the receive buffer per datagram of datagramBytes (the skb's
   * truesize, not its payload), measured on this host's loopback before the run; null if the
   * probe could not run.
   */
  truesizeBytes: number | null;
  /** The measurement: datagrams queued on an unread loopback socket and the bytes charged for them. */
  truesizeProbe: { datagrams: number; queuedBytes: number } | null;
  /** windowSize x truesizeBytes: what one whole window costs the buffer. */
  windowTruesizeBytes: number | null;
  /** floor(rcvbufGrantedBytes / truesizeBytes): datagrams queued before the kernel drops. */
  bufferHoldsDatagrams: number | null;
  /** Predicted: one whole window fits while the receiver reads nothing (Corosync's slow processor). */
  windowFitsBuffer: boolean | null;
  /** Measured by the run, attributed by the kernel's counters. */
  sentPackets: number;
  lostPackets: number;
  droppedBySocketPackets: number;
  lostBeforeSocketPackets: number;
  socketDrops: number;
  peakRxQueueBytes: number;
  peakQueueFraction: number;
  /** peakRxQueueBytes / truesizeBytes: the most datagrams seen queued at once (sampled every 20 ms). */
  peakQueuedDatagrams: number | null;
  /** Measured: nothing lost and nothing dropped by the socket. */
  survived: boolean;
}
