/**
 * Main-thread merge of receiver snapshots into the result model: interval reports from the
 * differences of cumulative counters, run totals from the merged interval histograms.
 * Pure apart from the histograms it owns (destroy() releases them).
 */
import os from 'node:os';
import { createHistogram, latencyPercentiles, mergeEncoded, summarizeLatency, type Histogram } from './histograms.js';
import { reconcile } from '../kernel/reconcile.js';
import type { ReceiverConfig } from '../config/types.js';
import type { KernelSnapshot, ReceiverReady, ReceiverSnapshot, StreamSnapshot } from '../engine/messages.js';
import type {
  KernelCounters, LatencySummaryUs, ReceiverEnd, ReceiverInterval, ReceiverIntervalStream, ReceiverSocketInfo,
  ReceiverStreamResult, StopReason,
} from '../report/model.js';

interface StreamAcc {
  last: StreamSnapshot;
  prev: StreamSnapshot | null;
  latency: Histogram;
  sendToKernel: Histogram | null;
  kernelToApp: Histogram | null;
  interArrival: Histogram;
}

const ZERO_KERNEL: KernelSnapshot = { socketDrops: 0, rxQueueBytes: 0, peakRxQueueBytes: 0, rcvbufErrors: 0, inErrors: 0, inDatagrams: 0, noPorts: 0, inCsumErrors: 0 };

const pct = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e4 : 0);
const rate = (n: number, sec: number): number => (sec > 0 ? Math.round(n / sec) : 0);

export function rcvbufNote(req: number | null, granted: number, forced: boolean, rmemMax: number | null): string | null {
  if (req === null || forced) return null;
  if (granted >= req * 2 || rmemMax === null || req <= rmemMax) return null;
  return `requested ${req}, granted ${granted} = 2 x rmem_max ${rmemMax}: raise net.core.rmem_max, or run as root with --rcvbuf-force`;
}

function localAddresses(): Set<string> {
  const s = new Set<string>(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) s.add(a.address);
  return s;
}

function kernelCounters(k: KernelSnapshot, peak: number, rcvbuf: number): KernelCounters {
  return { ...k, peakRxQueueBytes: peak, peakQueueFraction: fraction(peak, rcvbuf) };
}

const fraction = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 1e4) / 1e4 : 0);

export class ReceiverAggregator {
  readonly intervals: ReceiverInterval[] = [];
  readonly socket: ReceiverSocketInfo;
  private readonly streams = new Map<string, StreamAcc>();
  private kernel: KernelSnapshot = ZERO_KERNEL;
  private prevKernel: KernelSnapshot = ZERO_KERNEL;
  private foreign = 0;
  private invalid = 0;
  private otherSession = 0;
  private prevForeign = 0;
  private peakQueue = 0;
  private lastElapsedSec = 0;
  private readonly locals = localAddresses();

  constructor(
    private readonly cfg: ReceiverConfig,
    ready: ReceiverReady,
    rmemMax: number | null,
    rmemDefault: number | null,
  ) {
    this.socket = {
      backend: ready.backend,
      backendReason: ready.backendReason,
      localAddress: ready.localAddress,
      localPort: ready.localPort,
      group: cfg.group,
      source: cfg.source,
      rcvbufRequestedBytes: ready.rcvbufRequestedBytes,
      rcvbufGrantedBytes: ready.rcvbufGrantedBytes,
      rmemMaxBytes: rmemMax,
      rmemDefaultBytes: rmemDefault,
      rcvbufForced: ready.rcvbufForced,
      rcvbufMethod: ready.rcvbufMethod,
      rcvbufNote: rcvbufNote(ready.rcvbufRequestedBytes, ready.rcvbufGrantedBytes, ready.rcvbufForced, rmemMax),
    };
  }

  /** Applies a snapshot; returns the interval it closes (null if nothing happened in it). */
  apply(snap: ReceiverSnapshot): ReceiverInterval | null {
    const rows: ReceiverIntervalStream[] = [];
    const intervalHist = createHistogram();
    let negatives = 0;
    for (const s of snap.streams) {
      let acc = this.streams.get(s.key);
      if (!acc) {
        acc = { last: s, prev: null, latency: createHistogram(), sendToKernel: null, kernelToApp: null, interArrival: createHistogram() };
        this.streams.set(s.key, acc);
      }
      acc.prev = acc.last === s ? null : acc.last;
      acc.last = s;
      const h = createHistogram();
      if (s.latency) mergeEncoded(h, s.latency);
      acc.latency.add(h);
      intervalHist.add(h);
      if (s.sendToKernel) mergeEncoded((acc.sendToKernel ??= createHistogram()), s.sendToKernel);
      if (s.kernelToApp) mergeEncoded((acc.kernelToApp ??= createHistogram()), s.kernelToApp);
      if (s.interArrival) mergeEncoded(acc.interArrival, s.interArrival);
      const p = acc.prev;
      const negDelta = s.negativeLatency - (p?.negativeLatency ?? 0);
      negatives += negDelta;
      rows.push(this.intervalRow(s, p, snap.elapsedSec - this.lastElapsedSec, summarizeLatency(h, negDelta)));
      h.destroy();
    }
    this.prevKernel = this.kernel;
    this.kernel = snap.kernel;
    this.peakQueue = Math.max(this.peakQueue, snap.kernel.peakRxQueueBytes);
    this.foreign = snap.foreign;
    this.invalid = snap.invalid;
    this.otherSession = snap.otherSession;
    const startSec = this.lastElapsedSec;
    this.lastElapsedSec = snap.elapsedSec;
    const foreignDelta = this.foreign - this.prevForeign;
    this.prevForeign = this.foreign;
    if (rows.length === 0 && foreignDelta === 0) {
      intervalHist.destroy();
      return null;
    }
    const sum = this.sumRows(rows, snap.elapsedSec - startSec, summarizeLatency(intervalHist, negatives));
    intervalHist.destroy();
    const k = this.kernel;
    const pk = this.prevKernel;
    const interval: ReceiverInterval = {
      role: 'receiver',
      startSec: round3(startSec),
      endSec: round3(snap.elapsedSec),
      streams: rows,
      sum: { ...sum, foreignPackets: foreignDelta },
      kernel: {
        socketDrops: k.socketDrops - pk.socketDrops,
        rcvbufErrors: k.rcvbufErrors - pk.rcvbufErrors,
        inErrors: k.inErrors - pk.inErrors,
        inDatagrams: k.inDatagrams - pk.inDatagrams,
        noPorts: k.noPorts - pk.noPorts,
        inCsumErrors: k.inCsumErrors - pk.inCsumErrors,
        rxQueueBytes: k.rxQueueBytes,
        peakRxQueueBytes: k.peakRxQueueBytes,
        peakQueueFraction: fraction(k.peakRxQueueBytes, this.socket.rcvbufGrantedBytes),
      },
    };
    this.intervals.push(interval);
    return interval;
  }

  private intervalRow(s: StreamSnapshot, p: StreamSnapshot | null, sec: number, latencyUs: LatencySummaryUs): ReceiverIntervalStream {
    const packets = s.packets - (p?.packets ?? 0);
    const bytes = s.bytes - (p?.bytes ?? 0);
    const lost = s.lost - (p?.lost ?? 0);
    const uniqueDelta = s.unique - (p?.unique ?? 0);
    return {
      key: s.key,
      packets,
      bytes,
      lostPackets: lost,
      duplicatePackets: s.duplicates - (p?.duplicates ?? 0),
      outOfOrderPackets: s.outOfOrder - (p?.outOfOrder ?? 0),
      jitterMs: round3(s.jitterUs / 1000),
      lossPercent: pct(Math.max(0, lost), uniqueDelta + Math.max(0, lost)),
      bitsPerSecond: rate(bytes * 8, sec),
      packetsPerSecond: rate(packets, sec),
      latencyUs,
    };
  }

  private sumRows(rows: ReceiverIntervalStream[], sec: number, latencyUs: LatencySummaryUs): ReceiverIntervalStream {
    const t = rows.reduce(
      (a, r) => ({
        packets: a.packets + r.packets,
        bytes: a.bytes + r.bytes,
        lost: a.lost + r.lostPackets,
        dup: a.dup + r.duplicatePackets,
        ooo: a.ooo + r.outOfOrderPackets,
        jitter: Math.max(a.jitter, r.jitterMs),
      }),
      { packets: 0, bytes: 0, lost: 0, dup: 0, ooo: 0, jitter: 0 },
    );
    return {
      key: 'sum',
      packets: t.packets,
      bytes: t.bytes,
      lostPackets: t.lost,
      duplicatePackets: t.dup,
      outOfOrderPackets: t.ooo,
      jitterMs: t.jitter,
      lossPercent: pct(Math.max(0, t.lost), t.packets - t.dup + Math.max(0, t.lost)),
      bitsPerSecond: rate(t.bytes * 8, sec),
      packetsPerSecond: rate(t.packets, sec),
      latencyUs,
    };
  }

  private streamResult(acc: StreamAcc): ReceiverStreamResult {
    const s = acc.last;
    const durationSec = s.firstArrivalUs === s.firstArrivalUs && s.packets > 1 ? (s.lastArrivalUs - s.firstArrivalUs) / 1e6 : 0;
    const expected = s.unique + s.lost;
    const neg = s.negativeLatency;
    return {
      key: s.key,
      sessionId: s.sessionId,
      streamId: s.streamId,
      source: s.source,
      packets: s.packets,
      bytes: s.bytes,
      lostPackets: s.lost,
      duplicatePackets: s.duplicates,
      outOfOrderPackets: s.outOfOrder,
      jitterMs: round3(s.jitterUs / 1000),
      firstSeq: s.firstSeq,
      highestSeq: s.highestSeq,
      senderPackets: s.endCount >= 0 ? s.endCount : null,
      endOfStreamReceived: s.endCount >= 0,
      lostBeforeFirstPackets: s.lostBeforeFirst,
      lossPercent: pct(s.lost, expected),
      durationSec: round3(durationSec),
      bitsPerSecond: rate(s.bytes * 8, durationSec),
      packetsPerSecond: rate(s.packets, durationSec),
      joinToFirstPacketMs: s.joinToFirstMs === null ? null : round3(s.joinToFirstMs),
      latencyUs: summarizeLatency(acc.latency, neg),
      sendToKernelUs: acc.sendToKernel ? summarizeLatency(acc.sendToKernel, 0) : null,
      kernelToAppUs: acc.kernelToApp ? summarizeLatency(acc.kernelToApp, 0) : null,
      interArrivalUs: summarizeLatency(acc.interArrival, 0),
      interArrivalClock: s.kernelClock ? 'kernel' : 'application',
    };
  }

  end(stoppedBy: StopReason, durationSec: number, warnings: string[]): ReceiverEnd {
    const accs = [...this.streams.values()];
    const streams = accs.map((a) => this.streamResult(a));
    const all = createHistogram();
    for (const a of accs) all.add(a.latency);
    let first = Infinity;
    let last = -Infinity;
    for (const a of accs) {
      if (a.last.firstArrivalUs === a.last.firstArrivalUs) first = Math.min(first, a.last.firstArrivalUs);
      if (a.last.lastArrivalUs === a.last.lastArrivalUs) last = Math.max(last, a.last.lastArrivalUs);
    }
    const sec = last > first ? (last - first) / 1e6 : 0;
    const sum = (f: (s: ReceiverStreamResult) => number): number => streams.reduce((a, s) => a + f(s), 0);
    const packets = sum((s) => s.packets);
    const bytes = sum((s) => s.bytes);
    const lost = sum((s) => s.lostPackets);
    const dup = sum((s) => s.duplicatePackets);
    const total = {
      packets,
      bytes,
      lostPackets: lost,
      duplicatePackets: dup,
      outOfOrderPackets: sum((s) => s.outOfOrderPackets),
      jitterMs: streams.reduce((a, s) => Math.max(a, s.jitterMs), 0),
      lossPercent: pct(lost, packets - dup + lost),
      foreignPackets: this.foreign,
      invalidPackets: this.invalid,
      otherSessionPackets: this.otherSession,
      durationSec: round3(sec),
      bitsPerSecond: rate(bytes * 8, sec),
      packetsPerSecond: rate(packets, sec),
      latencyUs: summarizeLatency(all, sum((s) => s.latencyUs.negativeSamples)),
      latencyPercentilesUs: latencyPercentiles(all),
    };
    all.destroy();
    const kernel = kernelCounters(this.kernel, this.peakQueue, this.socket.rcvbufGrantedBytes);
    const maxLoss = this.cfg.maxLossPercent;
    return {
      role: 'receiver',
      stoppedBy,
      durationSec: round3(durationSec),
      total,
      streams,
      kernel,
      socket: this.socket,
      reconciliation: reconcile(lost, kernel.socketDrops, kernel.rcvbufErrors, kernel.rxQueueBytes),
      clockNote: this.clockNote(streams),
      maxLossPercent: maxLoss,
      maxLossExceeded: maxLoss !== null && total.lossPercent > maxLoss,
      warnings,
    };
  }

  private clockNote(streams: ReceiverStreamResult[]): string | null {
    if (this.cfg.clocksSynced) return null;
    const remote = streams.filter((s) => !this.locals.has(s.source.slice(0, s.source.lastIndexOf(':'))));
    if (remote.length === 0) return null;
    return 'one-way latency from another host includes the offset between its clock and this one; synchronize them (PTP) and pass --clocks-synced to drop this note';
  }

  destroy(): void {
    for (const a of this.streams.values()) {
      a.latency.destroy();
      a.sendToKernel?.destroy();
      a.kernelToApp?.destroy();
      a.interArrival.destroy();
    }
    this.streams.clear();
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
