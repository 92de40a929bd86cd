/**
 * find-rate end to end on 127.0.0.1, with short trials and a receiver made slow on purpose
 * (--receiver-work-us 2000: at least 2 ms per datagram, so it can never process more than 500
 * datagrams/s). That bound is the truth the test controls: in a trial of T seconds the receiver
 * takes at most T / 2 ms datagrams, plus what its buffer still holds when the sender stops
 * (under rcvbufGranted / size: each datagram costs more than its payload), plus one (the kernel
 * admits one datagram past the limit). Everything sent beyond that must be lost, and every loss
 * must be the socket's own drops.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { FindRateReport } from '../../src/findrate/model.js';

const WORK_US = 2000;
const SIZE = 1000;
/** End-of-stream copies per run (DEFAULTS.endCopies): the socket may drop them too, and they are not data. */
const END_COPIES = 3;

describe('mcastbench find-rate on loopback', () => {
  it('--json: every trial in order, each loss the socket\'s own drops, and no answer above what the receiver can take', async () => {
    const r = await runCli(
      ['find-rate', '--rcvbuf', 'default', '--start', '300pps', '--ceiling', '2400pps', '--trial', '0.5s', '--resolution', '20', '--size', String(SIZE), '--receiver-work-us', String(WORK_US), '--json'],
      120_000,
    );
    const doc = JSON.parse(r.stdout) as FindRateReport;
    expect(r.stderr).not.toMatch(/^find-rate: /m);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.start).toEqual({ role: 'find-rate', search: 'rate', settings: ['default'], sizeBytes: SIZE, maxLossPercent: 0, trialSec: 0.5 });
    expect(doc.end.role).toBe('find-rate');
    expect(doc.end.results).toHaveLength(1);
    const res = doc.end.results[0]!;
    expect(res.label).toBe('default');
    expect(res.rcvbufRequestedBytes).toBeNull();
    expect(res.rcvbufGrantedBytes).toBeGreaterThan(0);
    expect(r.code).toBe(res.bestPacketsPerSec === null ? 3 : 0);

    const heldMax = res.rcvbufGrantedBytes / SIZE + 1;
    let climbing = true;
    let offered = 300;
    res.trials.forEach((t, i) => {
      // the path: doubling from --start until the first trial that does not pass, then bisection
      if (climbing) {
        expect(t.phase, `trial ${i + 1}`).toBe('step');
        expect(t.packetsPerSec).toBeCloseTo(offered, 6);
        offered *= 2;
        if (!t.passed) climbing = false;
      } else {
        expect(t.phase, `trial ${i + 1}`).toBe('bisect');
      }
      expect(t.bitsPerSec).toBeCloseTo(t.packetsPerSec * SIZE * 8, 3);
      expect(t.burst).toBe(1);
      // the sender sent for the trial's length at the offered rate (a deadline pacer: within a datagram or two)
      expect(Math.abs(t.sentPackets - t.packetsPerSec * 0.5)).toBeLessThanOrEqual(2);
      // every datagram sent is received or lost, and every loss is this socket's drop
      expect(t.packets + t.lostPackets).toBe(t.sentPackets);
      expect(t.lossPercent).toBeCloseTo((t.lostPackets / t.sentPackets) * 100, 9);
      expect(t.socketDrops).toBeGreaterThanOrEqual(t.lostPackets);
      expect(t.socketDrops).toBeLessThanOrEqual(t.lostPackets + END_COPIES);
      // the slow receiver's bound
      const takenMax = t.durationSec / (WORK_US / 1e6) + 1 + heldMax;
      expect(t.lostPackets, `trial ${i + 1}: sent ${t.sentPackets}, the receiver can take at most ${Math.floor(takenMax)}`).toBeGreaterThanOrEqual(Math.ceil(t.sentPackets - takenMax));
      expect(t.passed).toBe(t.lostPackets === 0 && t.senderLimited === false);
    });
    // 2400 pps for 0.5 s is 1,200 datagrams, beyond any receiver bound here: the climb must have failed by then
    expect(climbing).toBe(false);
    if (res.bestPacketsPerSec !== null) {
      const best = res.trials.find((t) => t.passed && t.packetsPerSec === res.bestPacketsPerSec);
      expect(best).toBeDefined();
      expect(res.bestBitsPerSec).toBe(best!.bitsPerSec);
      const fail = res.trials.find((t) => !t.passed && t.packetsPerSec === res.firstFailPacketsPerSec);
      expect(fail).toBeDefined();
      expect(res.firstFailPacketsPerSec!).toBeGreaterThan(res.bestPacketsPerSec);
      expect((res.firstFailPacketsPerSec! - res.bestPacketsPerSec) / res.bestPacketsPerSec).toBeLessThanOrEqual(0.2);
      expect(res.stoppedBy).toBe('resolution');
      expect(res.summary).toMatch(/^default \d+: highest loss-free rate [\d.]+ Mbit\/s \([\d,]+ pps at 1000 B\), between [\d.]+ and [\d.]+ Mbit\/s; the loss above it was this socket's full receive buffer$/);
    }
  }, 120_000);

  it('text: progress lines on stderr, the table and the answer on stdout; the ceiling passed', async () => {
    const r = await runCli(['find-rate', '--rcvbuf', 'default', '--start', '100pps', '--ceiling', '300pps', '--trial', '0.5s', '--size', '200'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    const progress = r.stderr.split('\n').filter((l) => l.startsWith('find-rate: default: step '));
    expect(progress).toHaveLength(3);
    expect(progress[0]).toMatch(/^find-rate: default: step 1: 100 pps \(0\.16 Mbit\/s, burst 1\): sent 50, received 50, lost 0 \(socket drops 0\): pass$/);
    expect(r.stdout).toContain('receive buffer default ');
    expect(r.stdout.split('\n').filter((l) => /^│ +\d │ step/.test(l))).toHaveLength(3);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^default \d+: highest loss-free rate 0\.48 Mbit\/s \(300 pps at 200 B\), the ceiling: the limit is above --ceiling$/);
  }, 60_000);
});
