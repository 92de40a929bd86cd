/**
 * Minimal reader for classic pcap files as written by `tcpdump -w` (micro- or nanosecond
 * precision, either byte order). Timestamps are returned in ns relative to the whole second of
 * the first packet, so they stay exact as doubles.
 */
export interface PcapPacket {
  /** ns since the start of the first packet's second. */
  tsNs: number;
  capturedBytes: number;
  wireBytes: number;
}

export function parsePcap(buf: Uint8Array): PcapPacket[] {
  if (buf.length < 24) return [];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magicLE = dv.getUint32(0, true);
  let little: boolean;
  let nano: boolean;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) {
    little = true;
    nano = magicLE === 0xa1b23c4d;
  } else {
    const magicBE = dv.getUint32(0, false);
    if (magicBE !== 0xa1b2c3d4 && magicBE !== 0xa1b23c4d) throw new Error('not a pcap file');
    little = false;
    nano = magicBE === 0xa1b23c4d;
  }
  const out: PcapPacket[] = [];
  let off = 24;
  let sec0 = -1;
  // Bounded: each record advances by at least its 16-byte header.
  while (off + 16 <= buf.length) {
    const sec = dv.getUint32(off, little);
    const frac = dv.getUint32(off + 4, little);
    const incl = dv.getUint32(off + 8, little);
    const orig = dv.getUint32(off + 12, little);
    if (off + 16 + incl > buf.length) break; // truncated last record
    if (sec0 < 0) sec0 = sec;
    out.push({ tsNs: (sec - sec0) * 1e9 + (nano ? frac : frac * 1000), capturedBytes: incl, wireBytes: orig });
    off += 16 + incl;
  }
  return out;
}
