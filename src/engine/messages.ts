/**
 * The closed, versioned set of messages between workers and the main thread. Workers post
 * snapshots once per interval, never per packet (a postMessage costs ~870 ns: docs/native.md).
 */
import type { ReceiverConfig, SenderConfig } from '../config/types.js';

export const MESSAGE_VERSION = 1;

/** Shared control words (Int32Array over a SharedArrayBuffer). */
export const CTRL_STOP = 0;
export const CTRL_WORDS = 2;

export interface SenderWorkerData {
  version: number;
  config: SenderConfig;
  streamId: number;
  sessionHi: number;
  sessionLo: number;
  ctrl: SharedArrayBuffer;
}

export interface ReceiverWorkerData {
  version: number;
  config: ReceiverConfig;
  /** One-session mode (a compare receiver), or null: every session is counted. */
  session: { excludeSessionIds: string[] } | null;
}

export interface SocketReady {
  backend: 'dgram' | 'native';
  backendReason: string;
  localAddress: string;
  localPort: number;
}

export interface SenderReady extends SocketReady {
  sndbufGrantedBytes: number;
  /** How the pacer sleeps. */
  pacer: string;
}

export interface SenderStreamDone {
  streamId: number;
  packets: number;
  bytes: number;
  bursts: number;
  lateBursts: number;
  sendErrors: number;
  durationSec: number;
  /** Encoded lateness histogram, us. */
  lateness: string;
}

export type SenderToMain =
  | { type: 'ready'; ready: SenderReady }
  | { type: 'interval'; streamId: number; elapsedSec: number; packets: number; bytes: number; lateBursts: number }
  | { type: 'done'; done: SenderStreamDone }
  | { type: 'error'; code: string; message: string };

export type MainToSender = { type: 'go' };

export interface ReceiverReady extends SocketReady {
  rcvbufRequestedBytes: number | null;
  rcvbufGrantedBytes: number;
  rcvbufForced: boolean;
  rcvbufMethod: string;
  joinedAtUs: number;
  startedAtUs: number;
}

/** Cumulative per-stream state plus this interval's histograms. */
export interface StreamSnapshot {
  key: string;
  sessionId: string;
  streamId: number;
  source: string;
  packets: number;
  bytes: number;
  duplicates: number;
  outOfOrder: number;
  unique: number;
  lost: number;
  lostBeforeFirst: number;
  firstSeq: number;
  highestSeq: number;
  endCount: number;
  jitterUs: number;
  firstArrivalUs: number;
  lastArrivalUs: number;
  joinToFirstMs: number | null;
  negativeLatency: number;
  /** This interval only (reset after encoding); empty string when nothing was recorded. */
  latency: string;
  sendToKernel: string;
  kernelToApp: string;
  interArrival: string;
  kernelClock: boolean;
}

export interface KernelSnapshot {
  socketDrops: number;
  rxQueueBytes: number;
  /** Peak rx queue since the previous snapshot. */
  peakRxQueueBytes: number;
  rcvbufErrors: number;
  inErrors: number;
  inDatagrams: number;
  noPorts: number;
  inCsumErrors: number;
}

export interface ReceiverSnapshot {
  elapsedSec: number;
  streams: StreamSnapshot[];
  foreign: number;
  invalid: number;
  /** One-session mode: datagrams of other sessions, ignored. */
  otherSession: number;
  /** Cumulative since the receiver was ready. */
  kernel: KernelSnapshot;
}

export type ReceiverToMain =
  | { type: 'ready'; ready: ReceiverReady }
  | { type: 'interval'; snapshot: ReceiverSnapshot }
  | { type: 'ended' }
  | { type: 'idle' }
  /** One-session mode: the session's end of stream arrived on every stream, plus a grace. */
  | { type: 'session-ended' }
  | { type: 'final'; snapshot: ReceiverSnapshot }
  | { type: 'error'; code: string; message: string };

export type MainToReceiver = { type: 'stop' };
