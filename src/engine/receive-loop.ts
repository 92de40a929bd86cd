/**
 * Per-datagram receive accounting: decode, find the stream, sequence accounting, RFC 3550
 * jitter and one-way latency. No socket here (the transport calls `handle`), no allocation per
 * datagram (streams and their histograms are created once, on a stream's first datagram).
 * Anything a peer sends is accepted: foreign bytes are counted in `foreign`, implausible
 * headers in `invalid`, and neither touches any stream's counts.
 *
 * In one-session mode (a compare receiver: one buffer setting per sender session) the loop
 * locks onto the first session it sees that is not excluded (sessions already measured, whose
 * trailing end-of-stream copies may still arrive), and counts every other session's datagrams
 * in `otherSession` only: a next session starting early never leaks into this one's counts.
 */
import { DecodeStatus, FLAG_END_OF_STREAM, HEADER_BYTES, decodeHeader, newHeaderFields, sendTimeUs, sessionIdHex } from '../wire/header.js';
import { SeqResult, SequenceTracker } from '../stats/sequence.js';
import { JitterEstimator } from '../stats/jitter.js';
import { createHistogram, encodeHistogram, type Histogram } from '../stats/histograms.js';
import type { StreamSnapshot } from './messages.js';

/** Beyond this many streams, new ones are refused (a flood of forged sessions stays bounded). */
export const MAX_STREAMS = 1024;

class StreamState {
  readonly key: string;
  readonly sessionId: string;
  readonly tracker = new SequenceTracker();
  readonly jitter = new JitterEstimator();
  packets = 0;
  bytes = 0;
  firstArrivalUs = NaN;
  lastArrivalUs = NaN;
  negativeLatency = 0;
  changed = true;
  latency: Histogram | null = null;
  sendToKernel: Histogram | null = null;
  kernelToApp: Histogram | null = null;
  interArrival: Histogram | null = null;
  lastRxUs = NaN;
  kernelClock = false;
  next: StreamState | null = null;

  constructor(
    readonly sessionHi: number,
    readonly sessionLo: number,
    readonly streamId: number,
    readonly source: string,
  ) {
    this.sessionId = sessionIdHex(sessionHi, sessionLo);
    this.key = `${this.sessionId}/${streamId}`;
  }
}

function takeEncoded(h: Histogram | null): string {
  if (h === null || h.totalCount === 0) return '';
  const s = encodeHistogram(h);
  h.reset();
  return s;
}

/** One-session mode: which sessions may not be locked onto (hex ids, as in the report). */
export interface SessionFilter {
  excludeSessionIds: readonly string[];
}

export class ReceiveLoop {
  foreign = 0;
  invalid = 0;
  /** One-session mode: datagrams of sessions other than the locked one (ignored otherwise). */
  otherSession = 0;
  lastDatagramUs = NaN;
  private readonly scratch = new Uint8Array(HEADER_BYTES);
  private readonly view = new DataView(this.scratch.buffer);
  private readonly h = newHeaderFields();
  private readonly table = new Map<number, StreamState>();
  private readonly streams: StreamState[] = [];
  private last: StreamState | null = null;
  private endedCount = 0;
  private readonly oneSession: boolean;
  /** Excluded sessions as [hi, lo] pairs: compared as numbers, no string per datagram. */
  private readonly excluded: Array<[number, number]>;
  private lockedHi = -1;
  private lockedLo = -1;

  constructor(
    private readonly countFrom: 'zero' | 'first',
    private readonly joinedAtUs: number,
    session: SessionFilter | null = null,
  ) {
    this.oneSession = session !== null;
    this.excluded = (session?.excludeSessionIds ?? []).map((id) => [parseInt(id.slice(0, 8), 16), parseInt(id.slice(8, 16), 16)]);
  }

  /** One-session mode: the locked session's id, or null before its first datagram. */
  get sessionId(): string | null {
    return this.lockedHi < 0 ? null : sessionIdHex(this.lockedHi, this.lockedLo);
  }

  /**
   * One-session mode: the locked session is over when every stream of it has sent its end of
   * stream and none of its datagrams arrived for `graceUs` (reordered tail datagrams and the
   * end-of-stream copies, sent 5 ms apart, land within that).
   */
  sessionEnded(nowUs: number, graceUs: number): boolean {
    return this.oneSession && this.allEnded && nowUs - this.lastDatagramUs >= graceUs;
  }

  get streamCount(): number {
    return this.streams.length;
  }

  /** True when at least one stream was seen and every stream has sent its end of stream. */
  get allEnded(): boolean {
    return this.streams.length > 0 && this.endedCount === this.streams.length;
  }

  readonly handle = (
    data: Uint8Array,
    offset: number,
    length: number,
    kernelRxUs: number,
    appRxUs: number,
    sourceAddress: string,
    sourcePort: number,
  ): void => {
    if (length < HEADER_BYTES || offset + HEADER_BYTES > data.length) {
      this.foreign++;
      return;
    }
    const scratch = this.scratch;
    for (let i = 0; i < HEADER_BYTES; i++) scratch[i] = data[offset + i]!;
    const h = this.h;
    if (decodeHeader(this.view, 0, length, h) !== DecodeStatus.Ok) {
      this.foreign++;
      return;
    }
    if (this.oneSession && !this.ofLockedSession(h.sessionHi, h.sessionLo)) {
      this.otherSession++;
      return;
    }
    const st = this.lookup(h.sessionHi, h.sessionLo, h.streamId, sourceAddress, sourcePort);
    if (st === null) {
      this.invalid++;
      return;
    }
    this.lastDatagramUs = appRxUs;
    if ((h.flags & FLAG_END_OF_STREAM) !== 0) {
      const wasEnded = st.tracker.endCount >= 0;
      if (!st.tracker.end(h.seq)) this.invalid++;
      else if (!wasEnded) this.endedCount++;
      st.changed = true;
      return;
    }
    const r = st.tracker.record(h.seq);
    if (r === SeqResult.Held || r === SeqResult.Invalid) {
      this.invalid++;
      return;
    }
    st.packets++;
    st.bytes += length;
    st.changed = true;
    if (st.firstArrivalUs !== st.firstArrivalUs) st.firstArrivalUs = appRxUs;
    st.lastArrivalUs = appRxUs;
    const sentUs = sendTimeUs(h);
    st.jitter.record(appRxUs, sentUs);
    const lat = appRxUs - sentUs;
    if (lat < 0) st.negativeLatency++;
    else (st.latency ??= createHistogram()).recordValue(Math.round(lat));
    // Inter-arrival gaps on the best clock there is: the kernel's stamp, else ours.
    const rxUs = kernelRxUs === kernelRxUs ? kernelRxUs : appRxUs;
    if (st.lastRxUs === st.lastRxUs && rxUs >= st.lastRxUs) (st.interArrival ??= createHistogram()).recordValue(Math.round(rxUs - st.lastRxUs));
    st.lastRxUs = rxUs;
    if (kernelRxUs === kernelRxUs) {
      st.kernelClock = true;
      const a = kernelRxUs - sentUs;
      if (a >= 0) (st.sendToKernel ??= createHistogram()).recordValue(Math.round(a));
      const b = appRxUs - kernelRxUs;
      if (b >= 0) (st.kernelToApp ??= createHistogram()).recordValue(Math.round(b));
    }
  };

  /** Locks onto the first session that is not excluded; true for that session's datagrams. */
  private ofLockedSession(hi: number, lo: number): boolean {
    if (this.lockedHi >= 0) return this.lockedHi === hi && this.lockedLo === lo;
    for (const [xHi, xLo] of this.excluded) if (xHi === hi && xLo === lo) return false;
    this.lockedHi = hi;
    this.lockedLo = lo;
    return true;
  }

  private lookup(hi: number, lo: number, id: number, addr: string, port: number): StreamState | null {
    const last = this.last;
    if (last !== null && last.sessionLo === lo && last.streamId === id && last.sessionHi === hi) return last;
    const k = (lo ^ Math.imul(id + 1, 0x9e3779b1) ^ hi) & 0x3fffffff;
    let st = this.table.get(k) ?? null;
    while (st !== null && !(st.sessionLo === lo && st.streamId === id && st.sessionHi === hi)) st = st.next;
    if (st === null) {
      if (this.streams.length >= MAX_STREAMS) return null;
      st = new StreamState(hi, lo, id, `${addr}:${port}`);
      st.next = this.table.get(k) ?? null;
      this.table.set(k, st);
      this.streams.push(st);
    }
    this.last = st;
    return st;
  }

  /** Cumulative state of changed streams (all with `everything`) plus this interval's histograms. */
  snapshot(everything: boolean): StreamSnapshot[] {
    const out: StreamSnapshot[] = [];
    for (const st of this.streams) {
      // Streams still running are reported every interval, so one that stops shows zeros.
      if (!st.changed && !everything && st.tracker.endCount >= 0) continue;
      st.changed = false;
      const t = st.tracker;
      const join = this.joinedAtUs === this.joinedAtUs && st.firstArrivalUs === st.firstArrivalUs
        ? (st.firstArrivalUs - this.joinedAtUs) / 1000
        : null;
      out.push({
        key: st.key,
        sessionId: st.sessionId,
        streamId: st.streamId,
        source: st.source,
        packets: st.packets,
        bytes: st.bytes,
        duplicates: t.duplicates,
        outOfOrder: t.outOfOrder,
        unique: t.unique,
        lost: t.lost(this.countFrom),
        lostBeforeFirst: this.countFrom === 'zero' ? t.lostBeforeFirst() : 0,
        firstSeq: t.firstSeq,
        highestSeq: t.highestSeq,
        endCount: t.endCount,
        jitterUs: st.jitter.jitterUs,
        firstArrivalUs: st.firstArrivalUs,
        lastArrivalUs: st.lastArrivalUs,
        joinToFirstMs: join,
        negativeLatency: st.negativeLatency,
        latency: takeEncoded(st.latency),
        sendToKernel: takeEncoded(st.sendToKernel),
        kernelToApp: takeEncoded(st.kernelToApp),
        interArrival: takeEncoded(st.interArrival),
        kernelClock: st.kernelClock,
      });
    }
    return out;
  }

  destroy(): void {
    for (const st of this.streams) {
      st.latency?.destroy();
      st.sendToKernel?.destroy();
      st.kernelToApp?.destroy();
      st.interArrival?.destroy();
    }
  }
}
