/**
 * Per-stream sequence accounting: loss (gaps plus tail loss), duplicates and out-of-order
 * arrivals, with no per-packet allocation.
 *
 * A sliding bitmap over the last WINDOW sequence numbers tells a duplicate (bit already set)
 * from a late arrival (bit clear, below the highest seen). Arrivals older than the window are
 * counted as out of order and assumed unique (iperf 2 makes the same assumption; it cannot tell
 * either). Sequence numbers are doubles and exact below 2^53, so nothing special happens at
 * 2^32 (the 32-bit wrap that iperf3's default counters suffer from).
 *
 * A forged or corrupted header with a huge sequence number would otherwise turn into millions
 * of "lost" packets. A forward leap larger than LEAP_LIMIT is therefore held as a candidate and
 * only accepted when the next packet of the stream lands just after it; otherwise the leaping
 * packet is counted as invalid and changes nothing else.
 */
export const WINDOW = 1 << 16;
const WORDS = WINDOW >>> 5;
const MASK = WINDOW - 1;
export const LEAP_LIMIT = 1 << 20;

export const enum SeqResult {
  InOrder = 0,
  OutOfOrder = 1,
  Duplicate = 2,
  Invalid = 3,
  /** A leap held for confirmation: not counted yet. */
  Held = 4,
}

export class SequenceTracker {
  /** Lowest sequence number received. */
  firstSeq = -1;
  highestSeq = -1;
  unique = 0;
  duplicates = 0;
  outOfOrder = 0;
  invalid = 0;
  /** Arrivals older than the window (counted out of order, assumed unique). */
  beyondWindow = 0;
  /** Packets the sender says it sent (end of stream), or -1. */
  endCount = -1;
  private readonly bits = new Uint32Array(WORDS);
  private leapCandidate = -1;

  private set(seq: number): void {
    const i = seq & MASK;
    this.bits[i >>> 5]! |= 1 << (i & 31);
  }

  private isSet(seq: number): boolean {
    const i = seq & MASK;
    return (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  private clearRange(fromSeq: number, toSeq: number): void {
    if (toSeq - fromSeq >= WINDOW) {
      this.bits.fill(0);
      return;
    }
    for (let s = fromSeq; s <= toSeq; s++) {
      const i = s & MASK;
      this.bits[i >>> 5]! &= ~(1 << (i & 31));
    }
  }

  /** `seq` must be an integer in [0, 2^53) (the decoder guarantees it). */
  record(seq: number): SeqResult {
    if (this.highestSeq < 0) {
      this.firstSeq = seq;
      this.highestSeq = seq;
      this.set(seq);
      this.unique = 1;
      return SeqResult.InOrder;
    }
    if (seq > this.highestSeq) {
      if (seq - this.highestSeq > LEAP_LIMIT) return this.leap(seq);
      this.advance(seq);
      return SeqResult.InOrder;
    }
    if (this.highestSeq - seq >= WINDOW) {
      this.outOfOrder++;
      this.beyondWindow++;
      this.unique++;
      if (seq < this.firstSeq) this.firstSeq = seq;
      return SeqResult.OutOfOrder;
    }
    if (this.isSet(seq)) {
      this.duplicates++;
      return SeqResult.Duplicate;
    }
    this.set(seq);
    this.unique++;
    this.outOfOrder++;
    if (seq < this.firstSeq) this.firstSeq = seq;
    return SeqResult.OutOfOrder;
  }

  private advance(seq: number): void {
    this.clearRange(this.highestSeq + 1, seq - 1);
    this.set(seq);
    this.highestSeq = seq;
    this.unique++;
  }

  private leap(seq: number): SeqResult {
    const c = this.leapCandidate;
    if (c >= 0 && seq > c && seq - c < WINDOW) {
      // Confirmed: the stream really moved on (a long outage). Count the held packet too.
      this.leapCandidate = -1;
      this.invalid--;
      this.advance(c);
      this.advance(seq);
      return SeqResult.InOrder;
    }
    this.leapCandidate = seq;
    this.invalid++;
    return SeqResult.Held;
  }

  /**
   * End of stream: the sender sent `count` packets (sequence 0 .. count-1). A count below what
   * was already seen is implausible and ignored (returns false).
   */
  end(count: number): boolean {
    if (count < this.highestSeq + 1) return false;
    this.endCount = count;
    return true;
  }

  /** Packets expected: from 0 (or the first received) to the end count or the highest seen. */
  expected(countFrom: 'zero' | 'first'): number {
    if (this.highestSeq < 0) return this.endCount > 0 ? this.endCount : 0;
    const last = this.endCount >= 0 ? this.endCount : this.highestSeq + 1;
    return last - (countFrom === 'first' ? this.firstSeq : 0);
  }

  lost(countFrom: 'zero' | 'first'): number {
    return Math.max(0, this.expected(countFrom) - this.unique);
  }

  /** Sequence numbers below the first one received (sent before we listened, or lost). */
  lostBeforeFirst(): number {
    return this.firstSeq > 0 ? this.firstSeq : 0;
  }
}
