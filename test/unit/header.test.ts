import { describe, expect, it } from 'vitest';
import { DecodeStatus, FLAG_END_OF_STREAM, HEADER_BYTES, MAGIC, decodeHeader, encodeHeader, newHeaderFields, sendTimeUs, sessionIdHex } from '../../src/wire/header.js';

function encoded(seq: number, flags = 0): DataView {
  const v = new DataView(new ArrayBuffer(HEADER_BYTES + 20));
  encodeHeader(v, 0, flags, 7, 0xdeadbeef, 0x01020304, seq, 0x179f0a12, 0x3b9aca00, 42);
  return v;
}

describe('wire header', () => {
  it('round-trips every field, big-endian, magic first', () => {
    const v = encoded(123456789);
    expect(v.getUint32(0)).toBe(MAGIC);
    expect(v.getUint8(4)).toBe(1);
    const h = newHeaderFields();
    expect(decodeHeader(v, 0, v.byteLength, h)).toBe(DecodeStatus.Ok);
    expect(h).toMatchObject({ flags: 0, streamId: 7, sessionHi: 0xdeadbeef, sessionLo: 0x01020304, seq: 123456789, burstIndex: 42 });
    expect(sendTimeUs(h)).toBe((0x179f0a12 * 4294967296 + 0x3b9aca00) / 1000);
    expect(sessionIdHex(h.sessionHi, h.sessionLo)).toBe('deadbeef01020304');
  });

  it('carries sequence numbers beyond 32 bits exactly', () => {
    for (const seq of [2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1]) {
      const h = newHeaderFields();
      expect(decodeHeader(encoded(seq), 0, HEADER_BYTES, h)).toBe(DecodeStatus.Ok);
      expect(h.seq).toBe(seq);
    }
  });

  it('keeps the end-of-stream flag', () => {
    const h = newHeaderFields();
    decodeHeader(encoded(1000, FLAG_END_OF_STREAM), 0, HEADER_BYTES, h);
    expect(h.flags & FLAG_END_OF_STREAM).toBe(1);
    expect(h.seq).toBe(1000);
  });

  it('rejects truncated datagrams at every length below the header', () => {
    const v = encoded(5);
    for (let len = 0; len < HEADER_BYTES; len++) {
      expect(decodeHeader(new DataView(v.buffer, 0, len), 0, len, newHeaderFields())).toBe(DecodeStatus.Truncated);
    }
  });

  it('rejects a wrong magic, an unknown version, a corrupted field and unknown flags', () => {
    const bad = (mut: (v: DataView) => void): DecodeStatus => {
      const v = encoded(9);
      mut(v);
      return decodeHeader(v, 0, HEADER_BYTES, newHeaderFields());
    };
    expect(bad((v) => v.setUint32(0, 0x12345678))).toBe(DecodeStatus.BadMagic);
    expect(bad((v) => v.setUint8(4, 2))).toBe(DecodeStatus.BadVersion);
    expect(bad((v) => v.setUint32(20, 10))).toBe(DecodeStatus.BadCheck);
    expect(bad((v) => v.setUint8(5, 0x80))).toBe(DecodeStatus.BadCheck);
  });

  it('is total: random bytes never throw and are never accepted', () => {
    let seed = 12345;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) & 0xff;
    const h = newHeaderFields();
    for (let i = 0; i < 20000; i++) {
      const len = rnd() % 80;
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) b[j] = rnd();
      // Half of them start with our magic and version, to reach the check.
      if (i % 2 === 0 && len >= 5) {
        new DataView(b.buffer).setUint32(0, MAGIC);
        b[4] = 1;
      }
      expect(decodeHeader(new DataView(b.buffer), 0, len, h)).not.toBe(DecodeStatus.Ok);
    }
  });
});
