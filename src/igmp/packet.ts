/**
 * Pure parsers for what the raw IGMP socket and the AF_PACKET (SOCK_DGRAM, ETH_P_IP) socket
 * deliver: both start at the IPv4 header (a raw IPv4 socket includes the IP header on receive,
 * ip(7); SOCK_DGRAM packet sockets strip only the link header, packet(7)). Total functions: any
 * bytes give a result or null, never an exception.
 *
 * IGMP formats: RFC 1112 (v1), RFC 2236 (v2), RFC 3376 §4 (v3). Version of a query (RFC 3376
 * §7.1): length 8 and Max Resp Code 0 = v1; length 8 otherwise = v2; length >= 12 = v3.
 * IPv6 and MLD: packet6.ts. Group-to-MAC mapping: group-mac.ts.
 */

export interface Ipv4Packet {
  src: string;
  dst: string;
  protocol: number;
  ttl: number;
  /** Header length in bytes, options (e.g. Router Alert) included. */
  headerBytes: number;
  /** Router Alert option present (RFC 2113): IGMPv2/v3 messages carry it. */
  routerAlert: boolean;
  /** More-fragments or a fragment offset: the payload is not a whole datagram. */
  fragment: boolean;
  payload: Uint8Array;
}

export const IPPROTO_IGMP = 2;
export const IPPROTO_UDP = 17;

export function ipv4ToString(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** The IPv4 header and its payload (cut to Total Length), or null if not a valid IPv4 header. */
export function parseIpv4(b: Uint8Array): Ipv4Packet | null {
  if (b.length < 20 || b[0]! >> 4 !== 4) return null;
  const ihl = (b[0]! & 0x0f) * 4;
  if (ihl < 20 || b.length < ihl) return null;
  const total = (b[2]! << 8) | b[3]!;
  if (total < ihl) return null;
  const end = Math.min(total, b.length);
  let routerAlert = false;
  for (let i = 20; i < ihl; ) {
    const t = b[i]!;
    if (t === 0) break;
    if (t === 1) {
      i += 1;
      continue;
    }
    if (t === 0x94) routerAlert = true;
    const len = b[i + 1] ?? 0;
    if (len < 2) break;
    i += len;
  }
  const fragField = (b[6]! << 8) | b[7]!;
  return {
    src: ipv4ToString(b, 12),
    dst: ipv4ToString(b, 16),
    protocol: b[9]!,
    ttl: b[8]!,
    headerBytes: ihl,
    routerAlert,
    fragment: (fragField & 0x2000) !== 0 || (fragField & 0x1fff) !== 0,
    payload: b.subarray(ihl, end),
  };
}

/** RFC 1071 Internet checksum over the bytes; 0 when a message with its checksum field is intact. */
export function internetChecksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (b.length % 2 === 1) sum += b[b.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** RFC 3376 §4.1.1 / §4.1.7: codes >= 128 are a floating-point form (mant | 0x10) << (exp + 3). */
export function decodeFloatCode(code: number): number {
  if (code < 128) return code;
  const exp = (code >> 4) & 0x07;
  const mant = code & 0x0f;
  return (mant | 0x10) << (exp + 3);
}

export type IgmpVersion = 1 | 2 | 3;

export interface IgmpQuery {
  kind: 'query';
  version: IgmpVersion;
  /** 0.0.0.0 for a general query. */
  group: string;
  general: boolean;
  /** Max response time in seconds (v1: 10 s, fixed by RFC 1112 hosts). */
  maxRespSec: number;
  /** v3 only: S flag, QRV and QQIC (the querier's announced query interval, seconds). */
  suppressRouterSide?: boolean;
  robustness?: number;
  announcedIntervalSec?: number;
  sources?: string[];
}

export type V3RecordType = 'is_in' | 'is_ex' | 'to_in' | 'to_ex' | 'allow' | 'block' | 'unknown';

export interface IgmpGroupRecord {
  type: V3RecordType;
  group: string;
  sources: string[];
}

export interface IgmpReport {
  kind: 'report';
  version: IgmpVersion;
  /** v1/v2: the group reported; v3: one entry per record. */
  records: IgmpGroupRecord[];
}

export interface IgmpLeave {
  kind: 'leave';
  version: 2;
  group: string;
}

export type IgmpMessage = IgmpQuery | IgmpReport | IgmpLeave;

const V3_RECORD_TYPES: Record<number, V3RecordType> = { 1: 'is_in', 2: 'is_ex', 3: 'to_in', 4: 'to_ex', 5: 'allow', 6: 'block' };

/** A v3 record that means "I want this group" (join) vs. "I no longer want it" (leave). */
export function recordIsLeave(r: IgmpGroupRecord): boolean {
  return r.type === 'to_in' && r.sources.length === 0;
}

/**
 * One IGMP message (the IP payload). checksumOk=false messages are returned as null: a
 * corrupted query must not be taken as evidence of a querier.
 */
export function parseIgmp(b: Uint8Array): IgmpMessage | null {
  if (b.length < 8 || internetChecksum(b) !== 0) return null;
  const type = b[0]!;
  const code = b[1]!;
  const group = ipv4ToString(b, 4);
  switch (type) {
    case 0x11: {
      if (b.length === 8 || b.length < 12) {
        const version: IgmpVersion = code === 0 ? 1 : 2;
        return { kind: 'query', version, group, general: group === '0.0.0.0', maxRespSec: version === 1 ? 10 : code / 10 };
      }
      const n = (b[10]! << 8) | b[11]!;
      if (b.length < 12 + 4 * n) return null;
      const sources: string[] = [];
      for (let i = 0; i < n; i++) sources.push(ipv4ToString(b, 12 + 4 * i));
      return {
        kind: 'query',
        version: 3,
        group,
        general: group === '0.0.0.0',
        maxRespSec: decodeFloatCode(code) / 10,
        suppressRouterSide: (b[8]! & 0x08) !== 0,
        robustness: b[8]! & 0x07,
        announcedIntervalSec: decodeFloatCode(b[9]!),
        sources,
      };
    }
    case 0x12:
    case 0x16:
      return { kind: 'report', version: type === 0x12 ? 1 : 2, records: [{ type: 'is_ex', group, sources: [] }] };
    case 0x17:
      return { kind: 'leave', version: 2, group };
    case 0x22:
      return parseV3Report(b);
    default:
      return null;
  }
}

/**
 * The group records of an IGMPv3 report (RFC 3376 section 4.2.4) or an MLDv2 report (RFC 3810
 * section 5.2.4): the same layout, type, aux length, source count, then addresses of
 * `addrBytes` each. Null when a record runs past the end.
 */
export function parseGroupRecords(b: Uint8Array, addrBytes: number, format: (b: Uint8Array, off: number) => string): IgmpGroupRecord[] | null {
  const n = (b[6]! << 8) | b[7]!;
  const records: IgmpGroupRecord[] = [];
  const head = 4 + addrBytes;
  let off = 8;
  for (let i = 0; i < n; i++) {
    if (off + head > b.length) return null;
    const auxWords = b[off + 1]!;
    const ns = (b[off + 2]! << 8) | b[off + 3]!;
    const end = off + head + addrBytes * ns + 4 * auxWords;
    if (end > b.length) return null;
    const sources: string[] = [];
    for (let k = 0; k < ns; k++) sources.push(format(b, off + head + addrBytes * k));
    records.push({ type: V3_RECORD_TYPES[b[off]!] ?? 'unknown', group: format(b, off + 4), sources });
    off = end;
  }
  return records;
}

function parseV3Report(b: Uint8Array): IgmpReport | null {
  const records = parseGroupRecords(b, 4, ipv4ToString);
  return records === null ? null : { kind: 'report', version: 3, records };
}

export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

/** UDP header + payload (the IP payload of a non-fragment), or null. */
export function parseUdp(b: Uint8Array): UdpDatagram | null {
  if (b.length < 8) return null;
  const len = (b[4]! << 8) | b[5]!;
  if (len < 8) return null;
  return { srcPort: (b[0]! << 8) | b[1]!, dstPort: (b[2]! << 8) | b[3]!, payload: b.subarray(8, Math.min(len, b.length)) };
}
