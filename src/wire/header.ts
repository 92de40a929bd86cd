/**
 * The mcastbench datagram header (version 1). Every datagram starts with it; the README has the
 * byte table. All fields are big-endian (network byte order). 64-bit fields are written as two
 * u32 halves so the hot path never allocates a BigInt.
 *
 *  off len field
 *    0   4 magic 0x4D434253 ("MCBS")
 *    4   1 version (1)
 *    5   1 flags (bit 0: end of stream)
 *    6   2 stream id
 *    8   8 session id (random per sender run; separates runs and senders)
 *   16   8 sequence number (data) | packets sent in this stream (end of stream)
 *   24   8 send time, ns since the Unix epoch (CLOCK_REALTIME)
 *   32   4 burst index
 *   36   4 check: FNV-1a-style mix of the nine words before it
 *
 * The check is not security: it keeps random or foreign bytes that happen to start with our
 * magic from being counted as ours (a forged header is caught by plausibility checks in
 * the sequence tracker instead).
 */
export const MAGIC = 0x4d434253;
export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 40;
/** Largest UDP payload over IPv4: 65535 - 20 (IP) - 8 (UDP). */
export const MAX_DATAGRAM_BYTES = 65507;
export const FLAG_END_OF_STREAM = 0x01;
const KNOWN_FLAGS = FLAG_END_OF_STREAM;
const TWO_32 = 4294967296;

export const enum DecodeStatus {
  Ok = 0,
  Truncated = 1,
  BadMagic = 2,
  BadVersion = 3,
  BadCheck = 4,
  BadFlags = 5,
}

/** Mutable, reusable decode target: decoding never allocates. */
export interface HeaderFields {
  flags: number;
  streamId: number;
  sessionHi: number;
  sessionLo: number;
  /** Sequence number, or for end-of-stream the count of packets sent. Exact below 2^53. */
  seq: number;
  sendTimeNsHi: number;
  sendTimeNsLo: number;
  burstIndex: number;
}

export function newHeaderFields(): HeaderFields {
  return { flags: 0, streamId: 0, sessionHi: 0, sessionLo: 0, seq: 0, sendTimeNsHi: 0, sendTimeNsLo: 0, burstIndex: 0 };
}

function mix(view: DataView, offset: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 36; i += 4) h = Math.imul(h ^ view.getUint32(offset + i), 0x01000193);
  return h >>> 0;
}

/**
 * Writes a header into `view` at `offset`. `seq` must be an integer in [0, 2^53).
 * The caller owns the buffer; nothing is allocated.
 */
export function encodeHeader(
  view: DataView,
  offset: number,
  flags: number,
  streamId: number,
  sessionHi: number,
  sessionLo: number,
  seq: number,
  sendTimeNsHi: number,
  sendTimeNsLo: number,
  burstIndex: number,
): void {
  view.setUint32(offset, MAGIC);
  view.setUint8(offset + 4, PROTOCOL_VERSION);
  view.setUint8(offset + 5, flags);
  view.setUint16(offset + 6, streamId);
  view.setUint32(offset + 8, sessionHi);
  view.setUint32(offset + 12, sessionLo);
  view.setUint32(offset + 16, Math.floor(seq / TWO_32));
  view.setUint32(offset + 20, seq >>> 0);
  view.setUint32(offset + 24, sendTimeNsHi);
  view.setUint32(offset + 28, sendTimeNsLo);
  view.setUint32(offset + 32, burstIndex >>> 0);
  view.setUint32(offset + 36, mix(view, offset));
}

/**
 * Total decoder: any byte sequence yields a status, never an exception. Only on Ok are the
 * fields of `out` meaningful.
 */
export function decodeHeader(view: DataView, offset: number, length: number, out: HeaderFields): DecodeStatus {
  if (length < HEADER_BYTES || offset < 0 || offset + HEADER_BYTES > view.byteLength) return DecodeStatus.Truncated;
  if (view.getUint32(offset) !== MAGIC) return DecodeStatus.BadMagic;
  if (view.getUint8(offset + 4) !== PROTOCOL_VERSION) return DecodeStatus.BadVersion;
  if (view.getUint32(offset + 36) !== mix(view, offset)) return DecodeStatus.BadCheck;
  const flags = view.getUint8(offset + 5);
  if ((flags & ~KNOWN_FLAGS) !== 0) return DecodeStatus.BadFlags;
  const seqHi = view.getUint32(offset + 16);
  // Sequence numbers at or above 2^53 cannot be represented exactly: not a header we wrote.
  if (seqHi >= 0x200000) return DecodeStatus.BadCheck;
  out.flags = flags;
  out.streamId = view.getUint16(offset + 6);
  out.sessionHi = view.getUint32(offset + 8);
  out.sessionLo = view.getUint32(offset + 12);
  out.seq = seqHi * TWO_32 + view.getUint32(offset + 20);
  out.sendTimeNsHi = view.getUint32(offset + 24);
  out.sendTimeNsLo = view.getUint32(offset + 28);
  out.burstIndex = view.getUint32(offset + 32);
  return DecodeStatus.Ok;
}

/** Send time in microseconds since the epoch, as a double (about 0.25 us resolution today). */
export function sendTimeUs(h: HeaderFields): number {
  return (h.sendTimeNsHi * TWO_32 + h.sendTimeNsLo) / 1000;
}

export function sessionIdHex(hi: number, lo: number): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
