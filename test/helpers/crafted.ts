/** Datagrams in our wire format with sequence numbers the test chooses: known truth. */
import dgram from 'node:dgram';
import { FLAG_END_OF_STREAM, HEADER_BYTES, encodeHeader } from '../../src/wire/header.js';

export function crafted(seq: number, flags = 0, session: [number, number] = [0xabc, 0xdef], size = 100): Uint8Array {
  const b = new Uint8Array(flags & FLAG_END_OF_STREAM ? HEADER_BYTES : size);
  const nowNs = Date.now() * 1e6;
  encodeHeader(new DataView(b.buffer), 0, flags, 1, ...session, seq, Math.floor(nowNs / 2 ** 32), nowNs % 2 ** 32, seq);
  return b;
}

export async function sendRaw(port: number, datagrams: Uint8Array[], address = '127.0.0.1'): Promise<void> {
  const s = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  for (const d of datagrams) {
    await new Promise<void>((r, j) => s.send(d, port, address, (e) => (e ? j(e) : r())));
    // A few hundred datagrams: pace lightly so no receive buffer overflows.
    await new Promise((r) => setImmediate(r));
  }
  await new Promise<void>((r) => s.close(() => r()));
}

/**
 * 200 datagrams "sent": 0..189 arrive except 17, 18 and 100; 50 arrives twice; 60 and 61 swap;
 * 190..199 are lost at the tail and only the end-of-stream count (sent 3 times) reveals them.
 * Truth: packets 188, lost 13, duplicates 1, out of order 1, sender packets 200.
 */
export function gappyStream(session: [number, number] = [0xabc, 0xdef]): Uint8Array[] {
  const order: number[] = [];
  for (let i = 0; i < 190; i++) if (![17, 18, 100].includes(i)) order.push(i);
  order.splice(order.indexOf(60), 2, 61, 60);
  order.splice(order.indexOf(50) + 1, 0, 50);
  const datagrams = order.map((s) => crafted(s, 0, session));
  for (let i = 0; i < 3; i++) datagrams.push(crafted(200, FLAG_END_OF_STREAM, session));
  return datagrams;
}

export const GAPPY_TRUTH = { packets: 188, lostPackets: 13, duplicatePackets: 1, outOfOrderPackets: 1, senderPackets: 200 };
