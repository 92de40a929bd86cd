/**
 * One find-rate trial on loopback: the sender configuration for a searched value, and what the
 * finished loopback run measured. Pure.
 */
import type { SenderConfig } from '../config/types.js';
import type { LoopbackRunReport } from '../report/model.js';
import type { SearchVariable } from './model.js';
import type { TrialMeasurement } from './search.js';

export interface TrialPlan {
  search: SearchVariable;
  trialSec: number;
  /** UDP payload bytes per datagram (header included): bit rates count these, as iperf does. */
  sizeBytes: number;
  /** Rate search: datagrams per burst (fixed). */
  burst: number;
  /** Burst search: time between burst starts, ns (fixed). */
  burstIntervalNs: number | null;
}

/** Offered pacing for a searched value: datagrams/s, datagrams per burst, ns between bursts. */
export function pacingOf(plan: TrialPlan, value: number): { packetsPerSec: number; burst: number; burstIntervalNs: number } {
  if (plan.search === 'burst') {
    const intervalNs = plan.burstIntervalNs as number;
    return { packetsPerSec: value / (intervalNs / 1e9), burst: value, burstIntervalNs: intervalNs };
  }
  return { packetsPerSec: value, burst: plan.burst, burstIntervalNs: (plan.burst / value) * 1e9 };
}

/** The setting's validated sender, paced for this value, sending for one trial. */
export function trialSender(base: SenderConfig, plan: TrialPlan, value: number): SenderConfig {
  const p = pacingOf(plan, value);
  return {
    ...base,
    rate: { kind: 'packetsPerSec', packetsPerSec: p.packetsPerSec },
    packetsPerSec: p.packetsPerSec,
    burst: p.burst,
    burstIntervalNs: p.burstIntervalNs,
    count: null,
    durationSec: plan.trialSec,
  };
}

/**
 * A finished loopback run -> the trial's figures. Loss is counted against the sender's own
 * count (same process, exact), not the receiver's sequence accounting: when the path drops the
 * end-of-stream datagrams too (a shaper's full queue), the receiver cannot know the tail, but
 * the sender does.
 */
export function measureTrial(report: LoopbackRunReport, plan: TrialPlan, value: number): TrialMeasurement {
  const e = report.end;
  const p = pacingOf(plan, value);
  const sentPackets = e.sender.total.packets;
  const unique = e.total.packets - e.total.duplicatePackets;
  const lostPackets = Math.max(0, sentPackets - unique);
  const sec = e.sender.total.durationSec;
  return {
    packetsPerSec: p.packetsPerSec,
    bitsPerSec: p.packetsPerSec * plan.sizeBytes * 8,
    burst: p.burst,
    durationSec: sec,
    sentPackets,
    packets: e.total.packets,
    lostPackets,
    lossPercent: sentPackets > 0 ? (lostPackets / sentPackets) * 100 : 0,
    socketDrops: e.kernel.socketDrops,
    rcvbufErrors: e.kernel.rcvbufErrors,
    sentPacketsPerSec: sec > 0 ? sentPackets / sec : 0,
  };
}
