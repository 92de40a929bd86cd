import { describe, expect, it } from 'vitest';
import { LEAP_LIMIT, SeqResult, SequenceTracker, WINDOW } from '../../src/stats/sequence.js';

function feed(seqs: number[]): SequenceTracker {
  const t = new SequenceTracker();
  for (const s of seqs) t.record(s);
  return t;
}

describe('sequence accounting', () => {
  it('counts nothing lost for an in-order stream', () => {
    const t = feed([0, 1, 2, 3, 4]);
    expect([t.unique, t.lost('zero'), t.duplicates, t.outOfOrder]).toEqual([5, 0, 0, 0]);
  });

  it('counts gaps as lost', () => {
    const t = feed([0, 1, 4, 5, 9]);
    expect(t.lost('zero')).toBe(5);
  });

  it('a late arrival fills its gap and counts as out of order', () => {
    const t = feed([0, 1, 3, 2, 4]);
    expect(t.lost('zero')).toBe(0);
    expect(t.outOfOrder).toBe(1);
    expect(t.duplicates).toBe(0);
  });

  it('tells duplicates from late arrivals', () => {
    const t = feed([0, 1, 2, 2, 1, 3]);
    expect(t.duplicates).toBe(2);
    expect(t.outOfOrder).toBe(0);
    expect(t.unique).toBe(4);
    expect(t.record(3)).toBe(SeqResult.Duplicate);
  });

  it('counts tail loss from the end-of-stream count', () => {
    const t = feed([0, 1, 2, 3]);
    expect(t.lost('zero')).toBe(0);
    expect(t.end(10)).toBe(true);
    expect(t.lost('zero')).toBe(6);
  });

  it('refuses an end-of-stream count below what was seen', () => {
    const t = feed([0, 1, 2, 3]);
    expect(t.end(2)).toBe(false);
    expect(t.lost('zero')).toBe(0);
  });

  it('counts from zero by default and from the first datagram on request', () => {
    const t = feed([100, 101, 102]);
    expect(t.lost('zero')).toBe(100);
    expect(t.lostBeforeFirst()).toBe(100);
    expect(t.lost('first')).toBe(0);
  });

  it('has no trouble crossing 2^32 (the 32-bit wrap)', () => {
    const base = 2 ** 32 - 3;
    const t = feed([base, base + 1, base + 3, base + 2, base + 4, base + 4, base + 6]);
    expect(t.lost('first')).toBe(1);
    expect(t.outOfOrder).toBe(1);
    expect(t.duplicates).toBe(1);
    expect(t.highestSeq).toBe(2 ** 32 + 3);
  });

  it('treats arrivals older than the window as out of order', () => {
    const t = feed([0, WINDOW + 10, 5]);
    expect(t.outOfOrder).toBe(1);
    expect(t.beyondWindow).toBe(1);
  });

  it('clears stale window bits on a large gap so old duplicates are not confused', () => {
    const t = feed([0, 1, 2]);
    t.record(WINDOW + 1); // bit index 1 reused
    expect(t.record(WINDOW)).toBe(SeqResult.OutOfOrder);
    expect(t.duplicates).toBe(0);
  });

  it('holds an implausible leap as invalid and changes no count', () => {
    const t = feed([0, 1, 2]);
    expect(t.record(2 + LEAP_LIMIT + 5)).toBe(SeqResult.Held);
    expect(t.invalid).toBe(1);
    expect([t.unique, t.lost('zero'), t.highestSeq]).toEqual([3, 0, 2]);
    t.record(3);
    expect(t.lost('zero')).toBe(0);
  });

  it('accepts a leap confirmed by the next datagram (a real long outage)', () => {
    const t = feed([0, 1]);
    const far = 1 + LEAP_LIMIT + 100;
    t.record(far);
    t.record(far + 1);
    expect(t.invalid).toBe(0);
    expect(t.unique).toBe(4);
    expect(t.lost('zero')).toBe(far + 2 - 4);
  });
});
