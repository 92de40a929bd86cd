/**
 * The sender's hot loop: paced bursts of datagrams stamped with sequence number and send time.
 * Buffers rotate through a small pool because a datagram the kernel could not take at once
 * stays queued (and referenced) in user space until the event loop flushes it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FLAG_END_OF_STREAM, HEADER_BYTES, encodeHeader } from '../wire/header.js';
import { nowNs, realtimeNs } from './clock.js';
import { Pacer, type PacerClock } from './pacer.js';
import type { Histogram } from '../stats/histograms.js';
import type { SenderSocket } from '../transport/types.js';

const POOL = 64;

export interface SendLoopOptions {
  sizeBytes: number;
  burst: number;
  burstIntervalNs: number;
  count: number | null;
  durationSec: number | null;
  streamId: number;
  sessionHi: number;
  sessionLo: number;
  endCopies: number;
  intervalSec: number;
  /** With sendCopies (native): hand each burst to the kernel as UDP GSO super-datagrams. */
  gso: boolean;
}

export interface SendLoopState {
  packets: number;
  bytes: number;
  bursts: number;
  lateBursts: number;
  durationSec: number;
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Datagrams per sendmmsg / GSO call: 64 at most, and a GSO super-datagram fits 65507 bytes. */
export function batchLimit(sizeBytes: number, gso: boolean): number {
  return gso ? Math.max(1, Math.min(64, Math.floor(65507 / sizeBytes))) : 64;
}

/** A burst refused by a full socket is retried this many times (yielding between) before giving up. */
const MAX_RETRIES = 1000;

export async function runSendLoop(
  sock: SenderSocket,
  o: SendLoopOptions,
  clock: PacerClock,
  stopped: () => boolean,
  lateness: Histogram,
  onInterval: (elapsedSec: number, s: SendLoopState) => void,
): Promise<SendLoopState> {
  const bufs: Uint8Array[] = [];
  const views: DataView[] = [];
  for (let i = 0; i < POOL; i++) {
    const b = new Uint8Array(o.sizeBytes);
    bufs.push(b);
    views.push(new DataView(b.buffer));
  }
  let slot = 0;
  // Native backend: one template, headers patched in C per copy, sendmmsg or GSO per call.
  const batched = typeof sock.sendCopies === 'function';
  const perCall = batchLimit(o.sizeBytes, o.gso);
  if (batched) encodeHeader(views[0]!, 0, 0, o.streamId, o.sessionHi, o.sessionLo, 0, 0, 0, 0);
  // At maximum rate there is no pacing unit to respect: batch as much as one call takes.
  const burst = o.burstIntervalNs > 0 || !batched ? o.burst : Math.max(o.burst, perCall);
  const startNs = clock.nowNs();
  const endNs = o.durationSec === null ? Infinity : startNs + o.durationSec * 1e9;
  const maxPackets = o.count ?? Infinity;
  const pacer = new Pacer(o.burstIntervalNs, startNs, clock);
  const s: SendLoopState = { packets: 0, bytes: 0, bursts: 0, lateBursts: 0, durationSec: 0 };
  const reportNs = o.intervalSec > 0 ? o.intervalSec * 1e9 : Infinity;
  let nextReportNs = startNs + reportNs;
  let lastYieldNs = startNs;
  // A paced burst owns the time slot up to the next deadline: the run lasts until the last
  // slot ends (or the last send, if that was later), so N packets at R/s take N/R seconds.
  let lastSlotEndNs = startNs;
  let lastSendNs = startNs;

  while (s.packets < maxPackets && !stopped()) {
    // The next burst is due at or after the end: the run is over (do not wait for it).
    if (o.burstIntervalNs > 0 ? pacer.nextDeadlineNs >= endNs : clock.nowNs() >= endNs) break;
    const lateNs = pacer.next();
    if (stopped()) break;
    const now = clock.nowNs();
    if (o.burstIntervalNs > 0) {
      lateness.recordValue(Math.round(lateNs / 1000));
      if (lateNs >= o.burstIntervalNs) s.lateBursts++;
    }
    const burstIndex = s.bursts;
    // Bursts already due (a sender behind schedule, or intervals finer than one loop turn)
    // join this one in the same sendmmsg call, up to one call's worth: the rate stays exact
    // and a high paced rate costs one syscall per batch, not per burst. A merged batch
    // carries the burst index of its first burst.
    let bursts = 1;
    if (batched && o.burstIntervalNs > 0) {
      while ((bursts + 1) * burst <= perCall && pacer.nextDeadlineNs < endNs && (bursts + 1) * burst <= maxPackets - s.packets) {
        const late = pacer.takeIfDue(now);
        if (late < 0) break;
        lateness.recordValue(Math.round(late / 1000));
        if (late >= o.burstIntervalNs) s.lateBursts++;
        bursts++;
      }
    }
    const n = Math.min(burst * bursts, maxPackets - s.packets);
    if (batched) {
      let left = n;
      let retries = 0;
      while (left > 0 && !stopped()) {
        const k = Math.min(left, perCall);
        // Sequence numbers stay dense over what the kernel took: a refused copy is re-sent
        // with the same number, so the receiver never counts an unsent datagram as lost.
        const taken = sock.sendCopies!(bufs[0]!, o.sizeBytes, k, s.packets, burstIndex, o.gso);
        s.packets += taken;
        s.bytes += taken * o.sizeBytes;
        left -= taken;
        if (taken < k) {
          if (++retries > MAX_RETRIES) break;
          await yieldToLoop();
        }
      }
    }
    for (let i = 0; !batched && i < n; i++) {
      realtimeNs();
      const v = views[slot]!;
      encodeHeader(v, 0, 0, o.streamId, o.sessionHi, o.sessionLo, s.packets, nowNs.hi, nowNs.lo, burstIndex);
      const synchronous = sock.send(bufs[slot]!, o.sizeBytes);
      s.packets++;
      s.bytes += o.sizeBytes;
      if (!synchronous) {
        // The buffer is referenced by the queued send: use the next one, and let the queue
        // drain before the pool wraps around.
        slot = (slot + 1) % POOL;
        if (sock.pending() >= POOL - 1) while (sock.pending() > 0 && !stopped()) await yieldToLoop();
      }
    }
    s.bursts += bursts;
    lastSlotEndNs = pacer.nextDeadlineNs;
    lastSendNs = clock.nowNs();
    if (now >= nextReportNs) {
      s.durationSec = (now - startNs) / 1e9;
      onInterval(s.durationSec, s);
      nextReportNs += reportNs;
    }
    // Let queued sends and messages move at least every 50 ms.
    if (now - lastYieldNs > 50e6) {
      lastYieldNs = now;
      await yieldToLoop();
    }
  }
  s.durationSec = ((o.burstIntervalNs > 0 ? Math.max(lastSlotEndNs, lastSendNs) : lastSendNs) - startNs) / 1e9;
  while (sock.pending() > 0) await yieldToLoop();
  await sendEndOfStream(sock, o, s.packets);
  return s;
}

/**
 * The end-of-stream datagram carries the number of packets sent, so the receiver counts tail
 * loss exactly. It is header-only (40 bytes) and sent `endCopies` times, 5 ms apart, so one
 * loss does not hide the count.
 */
export async function sendEndOfStream(sock: SenderSocket, o: SendLoopOptions, packets: number): Promise<void> {
  for (let i = 0; i < o.endCopies; i++) {
    const b = new Uint8Array(HEADER_BYTES);
    realtimeNs();
    encodeHeader(new DataView(b.buffer), 0, FLAG_END_OF_STREAM, o.streamId, o.sessionHi, o.sessionLo, packets, nowNs.hi, nowNs.lo, i);
    sock.send(b, HEADER_BYTES);
    await sleep(5);
  }
  while (sock.pending() > 0) await yieldToLoop();
}
