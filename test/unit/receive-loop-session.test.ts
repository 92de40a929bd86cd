/**
 * One-session mode of the receive loop (a compare receiver): crafted datagrams of two sender
 * sessions back to back; the truth is what the test sends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ReceiveLoop } from '../../src/engine/receive-loop.js';
import { FLAG_END_OF_STREAM, HEADER_BYTES, encodeHeader } from '../../src/wire/header.js';
import { initHistograms } from '../../src/stats/histograms.js';

beforeAll(() => initHistograms());

const A: [number, number] = [0x11111111, 0x22222222];
const B: [number, number] = [0x33333333, 0x44444444];
const A_ID = '1111111122222222';
const B_ID = '3333333344444444';

function datagram(session: [number, number], seq: number, opts: { stream?: number; end?: boolean } = {}): Uint8Array {
  const b = new Uint8Array(opts.end ? HEADER_BYTES : 300);
  const ns = 1_700_000_000_000_000 * 1000;
  encodeHeader(new DataView(b.buffer), 0, opts.end ? FLAG_END_OF_STREAM : 0, opts.stream ?? 1, ...session, seq, Math.floor(ns / 2 ** 32), ns % 2 ** 32, 0);
  return b;
}

let clockUs = 1_700_000_000_001_000;
function deliver(loop: ReceiveLoop, b: Uint8Array, stepUs = 100): void {
  clockUs += stepUs;
  loop.handle(b, 0, b.length, NaN, clockUs, '10.0.0.1', 4000);
}

/** `sent` datagrams of one stream with `lose` of them missing, then 3 end-of-stream copies. */
function session(loop: ReceiveLoop, s: [number, number], sent: number, lose: Set<number> = new Set(), stream = 1): void {
  for (let i = 0; i < sent; i++) if (!lose.has(i)) deliver(loop, datagram(s, i, { stream }));
  for (let i = 0; i < 3; i++) deliver(loop, datagram(s, sent, { stream, end: true }), 5000);
}

describe('receive loop, one session per run', () => {
  it('session 2 right behind session 1 does not leak into session 1 counts', () => {
    const loop = new ReceiveLoop('zero', NaN, { excludeSessionIds: [] });
    session(loop, A, 500, new Set([7, 8, 9]));
    // the next sender run starts before this setting has closed
    session(loop, B, 200);
    const snaps = loop.snapshot(true);
    expect(snaps.map((s) => s.sessionId)).toEqual([A_ID]);
    expect(snaps[0]).toMatchObject({ packets: 497, lost: 3, endCount: 500, duplicates: 0 });
    expect(loop.otherSession).toBe(203);
    expect(loop.sessionId).toBe(A_ID);
    expect(loop.foreign).toBe(0);
    expect(loop.invalid).toBe(0);
  });

  it('a trailing end-of-stream copy of a measured session does not capture the next setting', () => {
    const loop = new ReceiveLoop('zero', NaN, { excludeSessionIds: [A_ID] });
    deliver(loop, datagram(A, 500, { end: true }));
    expect(loop.sessionId).toBeNull();
    session(loop, B, 200);
    const [s] = loop.snapshot(true);
    expect(s).toMatchObject({ sessionId: B_ID, packets: 200, lost: 0, endCount: 200 });
    expect(loop.otherSession).toBe(1);
  });

  it('ends once every stream of the session has ended and a grace has passed', () => {
    const loop = new ReceiveLoop('zero', NaN, { excludeSessionIds: [] });
    expect(loop.sessionEnded(clockUs + 1e9, 250_000)).toBe(false);
    for (let i = 0; i < 50; i++) {
      deliver(loop, datagram(A, i, { stream: 1 }));
      deliver(loop, datagram(A, i, { stream: 2 }));
    }
    deliver(loop, datagram(A, 50, { stream: 1, end: true }));
    // stream 2 still running: not over, whatever the time
    expect(loop.sessionEnded(clockUs + 10e6, 250_000)).toBe(false);
    deliver(loop, datagram(A, 50, { stream: 2, end: true }));
    const endUs = clockUs;
    expect(loop.sessionEnded(endUs + 249_999, 250_000)).toBe(false);
    expect(loop.sessionEnded(endUs + 250_000, 250_000)).toBe(true);
    // a reordered tail datagram inside the grace restarts it
    deliver(loop, datagram(A, 49, { stream: 2 }), 10_000);
    expect(loop.sessionEnded(endUs + 250_000, 250_000)).toBe(false);
    expect(loop.sessionEnded(clockUs + 250_000, 250_000)).toBe(true);
  });

  it('without one-session mode every session is counted, and it never reports a session end', () => {
    const loop = new ReceiveLoop('zero', NaN);
    session(loop, A, 100);
    session(loop, B, 100);
    expect(loop.snapshot(true).map((s) => [s.sessionId, s.packets])).toEqual([
      [A_ID, 100],
      [B_ID, 100],
    ]);
    expect(loop.otherSession).toBe(0);
    expect(loop.sessionEnded(clockUs + 1e9, 0)).toBe(false);
  });
});
