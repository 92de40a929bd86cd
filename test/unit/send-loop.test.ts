/**
 * The send loop's batching of due bursts, against a fake clock and a fake batched socket: the
 * truth is the schedule the test sets (bursts due at start + k x interval).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runSendLoop } from '../../src/engine/send-loop.js';
import { Pacer, type PacerClock } from '../../src/engine/pacer.js';
import { createHistogram, initHistograms } from '../../src/stats/histograms.js';
import type { SenderSocket } from '../../src/transport/types.js';

beforeAll(async () => {
  await initHistograms();
});

/** Each sendCopies call costs `costNs` of fake time; sleeping jumps to the deadline. */
function fakes(costNs: number): { clock: PacerClock; sock: SenderSocket; calls: { count: number; seq: number; at: number }[] } {
  let t = 0;
  const calls: { count: number; seq: number; at: number }[] = [];
  const clock: PacerClock = { nowNs: () => t, sleepUntilNs: (d) => (t = Math.max(t, d)) };
  const sock = {
    send: () => true,
    pending: () => 0,
    sendCopies(_b: Uint8Array, _len: number, count: number, seq: number) {
      calls.push({ count, seq, at: t });
      t += costNs;
      return count;
    },
  } as unknown as SenderSocket;
  return { clock, sock, calls };
}

const base = { sizeBytes: 100, streamId: 0, sessionHi: 1, sessionLo: 2, endCopies: 0, intervalSec: 0, gso: false, durationSec: null };

describe('send loop batching', () => {
  it('a sender slower than its interval sends the due bursts in one call, at the exact rate', async () => {
    // 1 us interval (1M pps), 4 us per call: each call finds ~4 more bursts due.
    const { clock, sock, calls } = fakes(4_000);
    const s = await runSendLoop(sock, { ...base, burst: 1, burstIntervalNs: 1_000, count: 10_000 }, clock, () => false, createHistogram(), () => {});
    expect(s.packets).toBe(10_000);
    expect(s.bursts).toBe(10_000);
    // Sequence numbers stay dense across calls.
    let next = 0;
    for (const c of calls) {
      expect(c.seq).toBe(next);
      next += c.count;
    }
    // Far fewer calls than bursts, none above one sendmmsg (64), and no call before its burst was due.
    expect(calls.length).toBeLessThan(10_000 / 3);
    expect(Math.max(...calls.map((c) => c.count))).toBeLessThanOrEqual(64);
    for (const c of calls) expect(c.at).toBeGreaterThanOrEqual((c.seq + c.count - 1) * 1_000);
    // 10,000 bursts at 1 us end at ~10 ms of fake time: the schedule held.
    expect(s.durationSec).toBeCloseTo(0.01, 3);
  });

  it('a sender that keeps up sends one burst per call', async () => {
    const { clock, sock, calls } = fakes(100);
    const s = await runSendLoop(sock, { ...base, burst: 4, burstIntervalNs: 10_000, count: 400 }, clock, () => false, createHistogram(), () => {});
    expect(s.packets).toBe(400);
    expect(calls.map((c) => c.count)).toEqual(new Array(100).fill(4));
    expect(s.lateBursts).toBe(0);
  });

  it('never merges bursts past --count or the end of the run', async () => {
    const { clock, sock } = fakes(50_000);
    const s = await runSendLoop(sock, { ...base, burst: 3, burstIntervalNs: 1_000, count: 100 }, clock, () => false, createHistogram(), () => {});
    expect(s.packets).toBe(100);
    expect(s.bursts).toBe(34); // 33 full bursts of 3 and one of 1: none counted that was not sent
  });

  it('Pacer.takeIfDue takes only bursts whose deadline has passed', () => {
    const p = new Pacer(1_000, 0, { nowNs: () => 0, sleepUntilNs: () => {} });
    expect(p.takeIfDue(0)).toBe(0); // burst 0 due at 0
    expect(p.takeIfDue(500)).toBe(-1); // burst 1 due at 1000
    expect(p.takeIfDue(3_500)).toBe(2_500);
    expect(p.lateBursts).toBe(1);
    expect(p.nextDeadlineNs).toBe(2_000);
  });
});
