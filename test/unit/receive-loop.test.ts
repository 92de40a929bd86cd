import { beforeAll, describe, expect, it } from 'vitest';
import { ReceiveLoop, MAX_STREAMS } from '../../src/engine/receive-loop.js';
import { FLAG_END_OF_STREAM, HEADER_BYTES, MAGIC, encodeHeader } from '../../src/wire/header.js';
import { initHistograms } from '../../src/stats/histograms.js';

beforeAll(() => initHistograms());

function datagram(seq: number, opts: { session?: [number, number]; stream?: number; flags?: number; size?: number; sendUs?: number } = {}): Uint8Array {
  const b = new Uint8Array(opts.size ?? 200);
  const ns = (opts.sendUs ?? 1_700_000_000_000_000) * 1000;
  encodeHeader(new DataView(b.buffer), 0, opts.flags ?? 0, opts.stream ?? 1, ...(opts.session ?? [1, 2]), seq, Math.floor(ns / 2 ** 32), ns % 2 ** 32, 0);
  return b;
}

function deliver(loop: ReceiveLoop, b: Uint8Array, arrivalUs = 1_700_000_000_000_100): void {
  loop.handle(b, 0, b.length, NaN, arrivalUs, '10.0.0.1', 4000);
}

describe('receive loop', () => {
  it('counts a clean stream with its end of stream', () => {
    const loop = new ReceiveLoop('zero', NaN);
    for (let i = 0; i < 100; i++) deliver(loop, datagram(i));
    for (let i = 0; i < 3; i++) deliver(loop, datagram(100, { flags: FLAG_END_OF_STREAM, size: HEADER_BYTES }));
    const [s] = loop.snapshot(true);
    expect(s).toMatchObject({ packets: 100, bytes: 20000, lost: 0, duplicates: 0, outOfOrder: 0, endCount: 100, source: '10.0.0.1:4000' });
    expect(loop.allEnded).toBe(true);
    expect(loop.invalid).toBe(0);
  });

  it('counts tail loss from the end-of-stream count', () => {
    const loop = new ReceiveLoop('zero', NaN);
    for (let i = 0; i < 90; i++) deliver(loop, datagram(i));
    deliver(loop, datagram(100, { flags: FLAG_END_OF_STREAM, size: HEADER_BYTES }));
    expect(loop.snapshot(true)[0]!.lost).toBe(10);
  });

  it('keeps sessions and streams apart', () => {
    const loop = new ReceiveLoop('zero', NaN);
    for (let i = 0; i < 10; i++) {
      deliver(loop, datagram(i, { session: [1, 2], stream: 1 }));
      deliver(loop, datagram(i, { session: [1, 2], stream: 2 }));
      deliver(loop, datagram(i * 2, { session: [3, 4], stream: 1 }));
    }
    const snaps = loop.snapshot(true);
    expect(snaps.map((s) => [s.key, s.packets, s.lost])).toEqual([
      ['0000000100000002/1', 10, 0],
      ['0000000100000002/2', 10, 0],
      ['0000000300000004/1', 10, 9],
    ]);
  });

  it('foreign, truncated and corrupted datagrams change nothing but foreignPackets', () => {
    const loop = new ReceiveLoop('zero', NaN);
    let foreign = 0;
    for (let i = 0; i < 50; i++) {
      deliver(loop, datagram(i));
      const junk = new Uint8Array(i % 7 === 0 ? 3 : 64).fill(i);
      deliver(loop, junk);
      foreign++;
      const truncated = datagram(i).subarray(0, HEADER_BYTES - 1 - (i % 10));
      deliver(loop, truncated);
      foreign++;
      const wrongVersion = datagram(i);
      wrongVersion[4] = 9;
      deliver(loop, wrongVersion);
      foreign++;
      const badMagic = datagram(i);
      new DataView(badMagic.buffer).setUint32(0, MAGIC ^ 1);
      deliver(loop, badMagic);
      foreign++;
      const flipped = datagram(i + 1000);
      flipped[21] = flipped[21]! ^ 0x40;
      deliver(loop, flipped);
      foreign++;
    }
    const [s] = loop.snapshot(true);
    expect(loop.foreign).toBe(foreign);
    expect(s).toMatchObject({ packets: 50, lost: 0, duplicates: 0, outOfOrder: 0 });
    expect(loop.invalid).toBe(0);
  });

  it('a forged header with a huge sequence number is invalid, not a million losses', () => {
    const loop = new ReceiveLoop('zero', NaN);
    for (let i = 0; i < 10; i++) deliver(loop, datagram(i));
    deliver(loop, datagram(2 ** 40));
    for (let i = 10; i < 20; i++) deliver(loop, datagram(i));
    expect(loop.snapshot(true)[0]).toMatchObject({ packets: 20, lost: 0 });
    expect(loop.invalid).toBe(1);
  });

  it('a forged end of stream below what arrived is ignored', () => {
    const loop = new ReceiveLoop('zero', NaN);
    for (let i = 0; i < 10; i++) deliver(loop, datagram(i));
    deliver(loop, datagram(3, { flags: FLAG_END_OF_STREAM, size: HEADER_BYTES }));
    expect(loop.snapshot(true)[0]).toMatchObject({ lost: 0, endCount: -1 });
    expect(loop.invalid).toBe(1);
  });

  it('a flood of forged sessions is bounded', () => {
    const loop = new ReceiveLoop('zero', NaN);
    for (let i = 0; i < MAX_STREAMS + 100; i++) deliver(loop, datagram(0, { session: [i, i] }));
    expect(loop.streamCount).toBe(MAX_STREAMS);
    expect(loop.invalid).toBe(100);
  });

  it('measures latency and counts negative one-way times apart', () => {
    const loop = new ReceiveLoop('zero', NaN);
    deliver(loop, datagram(0, { sendUs: 1000 }), 1250);
    deliver(loop, datagram(1, { sendUs: 2000 }), 1900);
    const [s] = loop.snapshot(true);
    expect(s!.negativeLatency).toBe(1);
    expect(s!.latency).not.toBe('');
  });

  it('reports join-to-first-packet for multicast', () => {
    const loop = new ReceiveLoop('zero', 1_700_000_000_000_000);
    deliver(loop, datagram(0), 1_700_000_000_012_500);
    expect(loop.snapshot(true)[0]!.joinToFirstMs).toBe(12.5);
  });
});
