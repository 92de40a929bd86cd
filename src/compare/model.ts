/** Result model of `mcastbench compare`: one row per receive-buffer setting, then a verdict. */
import type { StopReason, TotemBufferCheck, TotemProfileResult } from '../report/model.js';

export interface CompareSetting {
  /** As given: "default" or a size in bytes. */
  label: string;
  rcvbufRequestedBytes: number | null;
  rcvbufGrantedBytes: number;
  rcvbufForced: boolean;
  sentPackets: number;
  packets: number;
  lostPackets: number;
  lossPercent: number;
  rcvbufErrors: number;
  socketDrops: number;
  latencyP99Us: number;
  peakQueueFraction: number;
  backend: string;
  /** The sender session this setting measured (null: no datagram arrived). */
  sessionId: string | null;
  /** Two-node: datagrams of other sender sessions that arrived while this setting ran, ignored. */
  otherSessionPackets: number;
  /** Why this setting's run ended ('senders-done' on loopback, 'end-of-session' between two nodes). */
  stoppedBy: StopReason;
  /** --profile totem: the window against this setting's buffer. */
  totem?: TotemBufferCheck;
}

export interface CompareVerdict {
  /** Label of the smallest setting whose loss stayed at or below --max-loss, or null. */
  winner: string | null;
  /** One plain sentence per setting, e.g. "default 212992: 9.9 % lost, all of it receive-buffer overflow on this host". */
  lines: string[];
  /** Exact commands to apply the winning setting (sysctl -w lines and an /etc/sysctl.d file). */
  fix: string[];
}

/**
 * How the settings ran: 'loopback' (compare: sender and receiver in this process) or
 * 'two-node' (receive --rcvbuf a,b,...: one remote sender session per setting).
 */
export type CompareMode = 'loopback' | 'two-node';

export interface CompareReport {
  schemaVersion: number;
  start: { role: 'compare'; mode: CompareMode; settings: string[]; rmemMaxBytes: number | null; rmemDefaultBytes: number | null };
  end: { role: 'compare'; settings: CompareSetting[]; verdict: CompareVerdict; maxLossPercent: number; profile?: TotemProfileResult };
}
