/**
 * find-rate against a rate the test sets: a token-bucket shaper (tc-tbf(8)) on the loopback
 * device of a namespace the test creates, and `mcastbench find-rate` run inside it. The answer
 * must be within 10 % of the shaper's rate, and the loss must be the shaper's own drops.
 *
 * tbf on lo does shape loopback UDP (checked by hand before this test was written: at 1,800
 * datagrams/s into a 20 Mbit/s tbf, 257 of 3,600 were lost and `tc -s qdisc` said dropped 257).
 *
 * What tbf counts. Its rate is in bytes of the whole packet as the qdisc sees it (skb->len),
 * and on lo that packet carries a 14-byte Ethernet header (lo uses eth_header), so one datagram
 * of --size S is S + 8 (UDP) + 20 (IPv4) + 14 = S + 42 bytes. mcastbench's rates count UDP
 * payload only (S bytes, as iperf does). So a tbf rate of B bytes/s passes B / (S + 42)
 * datagrams/s, i.e. B x S / (S + 42) x 8 bit/s as find-rate reports it: for 20 Mbit/s and
 * S = 1470, 1,653.4 datagrams/s = 19.44 Mbit/s of payload. The end-of-stream datagrams are the
 * 40-byte header alone: 82 bytes at the qdisc. The test checks this arithmetic too: the qdisc's
 * byte and packet counters must decompose exactly into data and end-of-stream datagrams.
 *
 * What tbf absorbs. A trial above the rate loses only once the bucket (burst) and the queue
 * (limit = rate x latency + burst, tc-tbf(8)) are full, so a trial of T s at r datagrams/s loses
 * (r - R) x T - absorbed datagrams. With latency 50 ms that is ~88 datagrams: +2.7 % of R over a
 * 2 s trial, well inside the 10 % the test allows, while a sender stall up to 50 ms below the
 * rate is still absorbed.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindRateReport } from '../../src/findrate/model.js';
import { renderFindRate } from '../../src/findrate/render.js';
import { cliScenarioSkipReason, createLab, type Lab } from '../helpers/lab.js';

const SIZE = 1470;
/** IPv4 20 + UDP 8 + the Ethernet header lo's packets carry, 14. */
const LO_OVERHEAD_BYTES = 42;
const HEADER_BYTES = 40;
const END_COPIES = 3;
const RATE = '20mbit';
const BURST_BYTES = 4000;
const LATENCY_MS = 50;
const TRIAL_SEC = 2;

function skipReason(): string | null {
  const base = cliScenarioSkipReason();
  if (base) return base;
  const tc = spawnSync('tc', ['-V'], { encoding: 'utf8', timeout: 5000 });
  if (tc.error) return "'tc' not found (Debian package iproute2)";
  return null;
}

const skip = skipReason();
if (skip) console.warn(`[lab/find-rate] skipped: ${skip}`);

interface QdiscStats {
  kind: string;
  options: { rate: number; burst: number; lat: number };
  bytes: number;
  packets: number;
  drops: number;
}

describe.skipIf(skip !== null)('find-rate finds a tc tbf rate on a namespace loopback (real CLI)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await createLab({ hosts: 1 });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  async function qdisc(): Promise<QdiscStats> {
    const r = await lab.exec('h1', 'tc', ['-s', '-j', 'qdisc', 'show', 'dev', 'lo']);
    const all = JSON.parse(r.stdout) as QdiscStats[];
    const tbf = all.find((q) => q.kind === 'tbf');
    if (!tbf) throw new Error(`no tbf on lo: ${r.stdout}`);
    return tbf;
  }

  it(`--search rate of ${SIZE}-byte datagrams under tbf ${RATE}: within 10 %, and every loss the shaper's drop`, async () => {
    const add = await lab.exec('h1', 'tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'tbf', 'rate', RATE, 'burst', String(BURST_BYTES), 'latency', `${LATENCY_MS}ms`], { check: false });
    if (add.code !== 0) throw new Error(`tc tbf on lo failed (kernel without sch_tbf?): ${add.stderr.trim()}`);
    const before = await qdisc();
    expect([before.packets, before.drops]).toEqual([0, 0]);
    // The truth, read back from the kernel: the shaper's rate in bytes/s, and what that is for us.
    const rateBytesPerSec = before.options.rate;
    expect(rateBytesPerSec).toBe(2_500_000);
    const truthPps = rateBytesPerSec / (SIZE + LO_OVERHEAD_BYTES);
    const truthBitsPerSec = truthPps * SIZE * 8;

    const t0 = Date.now();
    const run = lab.cli('h1', ['find-rate', '--rcvbuf', 'default', '--start', '5m', '--ceiling', '80m', '--trial', `${TRIAL_SEC}s`, '--resolution', '5', '--size', String(SIZE), '--json'], { maxMs: 120_000 });
    const doc = await run.json<FindRateReport>();
    const seconds = (Date.now() - t0) / 1000;
    const after = await qdisc();
    expect((await run.done).code, run.stderr()).toBe(0);
    console.info(`[lab/find-rate] tbf ${RATE} = ${rateBytesPerSec} B/s = ${truthPps.toFixed(1)} datagrams/s of ${SIZE} B = ${(truthBitsPerSec / 1e6).toFixed(3)} Mbit/s of payload; search took ${seconds.toFixed(1)} s\n${renderFindRate(doc)}` +
      `tc -s qdisc: sent ${after.packets} packets, ${after.bytes} bytes, dropped ${after.drops}`);

    const res = doc.end.results[0]!;
    expect(res.bestBitsPerSec).not.toBeNull();
    // the answer
    expect(Math.abs(res.bestBitsPerSec! - truthBitsPerSec) / truthBitsPerSec).toBeLessThanOrEqual(0.1);
    expect(Math.abs(res.bestPacketsPerSec! - truthPps) / truthPps).toBeLessThanOrEqual(0.1);
    expect(res.firstFailPacketsPerSec!).toBeGreaterThan(truthPps);
    // the shaper drops before the socket: the answer line must not blame the buffer
    const firstFail = res.trials.find((t) => !t.passed && t.packetsPerSec === res.firstFailPacketsPerSec)!;
    if (firstFail.socketDrops === 0) expect(res.summary).toMatch(/; the loss above it happened before this socket \(it dropped none\)$/);

    // Per trial, what the shaper allows: it can never pass more than its rate over the trial plus
    // the drain of its queue (at most the latency), plus a full bucket; and above the rate by more
    // than it can absorb, it must drop.
    const absorbedMax = (rateBytesPerSec * (LATENCY_MS / 1000) + 2 * BURST_BYTES) / (SIZE + LO_OVERHEAD_BYTES) + 1;
    for (const t of res.trials) {
      const passMax = (rateBytesPerSec * (t.durationSec + LATENCY_MS / 1000) + 2 * BURST_BYTES) / (SIZE + LO_OVERHEAD_BYTES) + 1;
      expect(t.packets, `${t.packetsPerSec.toFixed(1)} pps`).toBeLessThanOrEqual(passMax);
      if ((t.packetsPerSec - truthPps) * t.durationSec > absorbedMax) expect(t.passed, `${t.packetsPerSec.toFixed(1)} pps`).toBe(false);
      if (t.packetsPerSec <= truthPps * 0.9) expect(t.passed, `${t.packetsPerSec.toFixed(1)} pps`).toBe(true);
      expect(t.senderLimited).toBe(false);
    }

    // The qdisc saw every datagram of every trial: data plus the end-of-stream copies.
    const sent = res.trials.reduce((a, t) => a + t.sentPackets, 0);
    const received = res.trials.reduce((a, t) => a + t.packets, 0);
    const lost = res.trials.reduce((a, t) => a + t.lostPackets, 0);
    const socketDrops = res.trials.reduce((a, t) => a + t.socketDrops, 0);
    expect(after.packets + after.drops).toBe(sent + END_COPIES * res.trials.length);
    // Its bytes split exactly into data (SIZE + 42 each) and end-of-stream datagrams (40 + 42).
    const dataBytes = SIZE + LO_OVERHEAD_BYTES;
    const endBytes = HEADER_BYTES + LO_OVERHEAD_BYTES;
    const dataPassed = (after.bytes - endBytes * after.packets) / (dataBytes - endBytes);
    expect(Number.isInteger(dataPassed)).toBe(true);
    const endPassed = after.packets - dataPassed;
    expect(endPassed).toBeGreaterThanOrEqual(0);
    expect(endPassed).toBeLessThanOrEqual(END_COPIES * res.trials.length);
    const dataDroppedByShaper = sent - dataPassed;
    expect(dataDroppedByShaper).toBeGreaterThan(0);
    expect(after.drops).toBe(dataDroppedByShaper + (END_COPIES * res.trials.length - endPassed));
    // The loss find-rate saw is the shaper's drops, plus whatever the socket itself dropped.
    expect(lost).toBeGreaterThanOrEqual(dataDroppedByShaper);
    expect(lost).toBeLessThanOrEqual(dataDroppedByShaper + socketDrops);
    expect(received).toBeLessThanOrEqual(dataPassed);
    expect(received + socketDrops).toBeGreaterThanOrEqual(dataPassed);
  }, 120_000);
});
