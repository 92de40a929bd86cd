/**
 * Main-thread merge of sender worker messages: per-interval sums across streams and the final
 * totals with the lateness histogram and the achieved-versus-target rate error.
 */
import { createHistogram, mergeEncoded, summarizeLateness } from './histograms.js';
import type { SenderConfig } from '../config/types.js';
import type { SenderStreamDone } from '../engine/messages.js';
import type { SenderEnd, SenderInterval, SenderIntervalStream, SenderSocketInfo, SenderStreamResult, StopReason } from '../report/model.js';

const rate = (n: number, sec: number): number => (sec > 0 ? Math.round(n / sec) : 0);

export class SenderAggregator {
  readonly intervals: SenderInterval[] = [];
  private readonly pending = new Map<number, { elapsedSec: number; rows: SenderIntervalStream[] }>();
  private readonly done: SenderStreamDone[] = [];
  private active: number;
  private lastEndSec = 0;

  constructor(
    private readonly cfg: SenderConfig,
    readonly socket: SenderSocketInfo,
    readonly sessionId: string,
  ) {
    this.active = cfg.streams;
  }

  /** Adds one stream's interval; returns the merged interval once every running stream reported. */
  addInterval(streamId: number, elapsedSec: number, packets: number, bytes: number, lateBursts: number): SenderInterval | null {
    const iv = this.cfg.output.intervalSec;
    const index = Math.max(1, Math.round(elapsedSec / iv));
    const sec = iv;
    const slot = this.pending.get(index) ?? { elapsedSec, rows: [] };
    slot.rows.push({ streamId, packets, bytes, lateBursts, bitsPerSecond: rate(bytes * 8, sec), packetsPerSecond: rate(packets, sec) });
    this.pending.set(index, slot);
    return slot.rows.length >= this.active ? this.flush(index) : null;
  }

  private flush(index: number): SenderInterval | null {
    const slot = this.pending.get(index);
    if (!slot) return null;
    this.pending.delete(index);
    const iv = this.cfg.output.intervalSec;
    const startSec = Math.max(this.lastEndSec, (index - 1) * iv);
    const endSec = index * iv;
    this.lastEndSec = endSec;
    const rows = slot.rows.sort((a, b) => a.streamId - b.streamId);
    const packets = rows.reduce((a, r) => a + r.packets, 0);
    const bytes = rows.reduce((a, r) => a + r.bytes, 0);
    const sec = endSec - startSec;
    const interval: SenderInterval = {
      role: 'sender',
      startSec,
      endSec,
      streams: rows,
      sum: {
        packets,
        bytes,
        lateBursts: rows.reduce((a, r) => a + r.lateBursts, 0),
        bitsPerSecond: rate(bytes * 8, sec),
        packetsPerSecond: rate(packets, sec),
      },
    };
    this.intervals.push(interval);
    return interval;
  }

  /** A stream finished: it no longer holds back interval merging. Returns intervals now complete. */
  addDone(d: SenderStreamDone): SenderInterval[] {
    this.done.push(d);
    this.active--;
    const out: SenderInterval[] = [];
    for (const [index, slot] of [...this.pending.entries()].sort((a, b) => a[0] - b[0])) {
      if (slot.rows.length >= this.active) {
        const iv = this.flush(index);
        if (iv) out.push(iv);
      }
    }
    return out;
  }

  end(stoppedBy: StopReason, kernel: { sndbufErrors: number; outDatagrams: number }, warnings: string[]): SenderEnd {
    const all = createHistogram();
    const streams: SenderStreamResult[] = this.done
      .sort((a, b) => a.streamId - b.streamId)
      .map((d) => {
        const h = createHistogram();
        if (d.lateness) mergeEncoded(h, d.lateness);
        all.add(h);
        const r: SenderStreamResult = {
          streamId: d.streamId,
          packets: d.packets,
          bytes: d.bytes,
          bursts: d.bursts,
          lateBursts: d.lateBursts,
          sendErrors: d.sendErrors,
          durationSec: round3(d.durationSec),
          bitsPerSecond: rate(d.bytes * 8, d.durationSec),
          packetsPerSecond: rate(d.packets, d.durationSec),
          sendLatenessUs: summarizeLateness(h),
        };
        h.destroy();
        return r;
      });
    const sum = (f: (s: SenderStreamResult) => number): number => streams.reduce((a, s) => a + f(s), 0);
    const durationSec = streams.reduce((a, s) => Math.max(a, s.durationSec), 0);
    const packets = sum((s) => s.packets);
    const pps = durationSec > 0 ? packets / durationSec : 0;
    const target = Number.isFinite(this.cfg.packetsPerSec) ? this.cfg.packetsPerSec * this.cfg.streams : null;
    const end: SenderEnd = {
      role: 'sender',
      stoppedBy,
      sessionId: this.sessionId,
      total: {
        packets,
        bytes: sum((s) => s.bytes),
        bursts: sum((s) => s.bursts),
        lateBursts: sum((s) => s.lateBursts),
        sendErrors: sum((s) => s.sendErrors),
        durationSec: round3(durationSec),
        bitsPerSecond: rate(sum((s) => s.bytes) * 8, durationSec),
        packetsPerSecond: Math.round(pps),
        targetPacketsPerSecond: target === null ? null : Math.round(target * 1000) / 1000,
        rateErrorPercent: target === null || pps === 0 ? null : Math.round(((pps - target) / target) * 1e6) / 1e4,
        sendLatenessUs: summarizeLateness(all),
      },
      streams,
      socket: this.socket,
      kernel,
      warnings,
    };
    all.destroy();
    return end;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
