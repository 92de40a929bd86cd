/**
 * Pure parsers for IPv6 and MLD, as the AF_PACKET (SOCK_DGRAM, ETH_P_IPV6) socket delivers them:
 * from the IPv6 header on. Total functions like packet.ts: any bytes (truncated, garbage, hostile
 * extension-header chains) give a result or null, never an exception, and every loop is bounded
 * by the bytes there are.
 *
 * IPv6: RFC 8200 (header, extension header order and formats, §4), RFC 2711 (Router Alert: value
 * 0 = MLD), RFC 4302 (AH length in 4-byte words). MLD: RFC 2710 (MLDv1: query 130, report 131,
 * done 132, 24 bytes) and RFC 3810 (MLDv2: query 130 of >= 28 bytes, report 143; §8.1 tells the
 * versions apart by the query's length). Every MLD message carries the ICMPv6 checksum over the
 * pseudo-header (RFC 8200 §8.1), which is verified: a corrupted query is no evidence of a querier.
 */
import { decodeFloatCode, internetChecksum, parseGroupRecords, type IgmpGroupRecord } from './packet.js';

export const IPPROTO_ICMPV6 = 58;
const IPV6_HEADER_BYTES = 40;
const NH_HOP_BY_HOP = 0;
const NH_ROUTING = 43;
const NH_FRAGMENT = 44;
const NH_AH = 51;
const NH_DEST_OPTIONS = 60;
const OPT_PAD1 = 0;
const OPT_ROUTER_ALERT = 5;
/** More than any real packet carries (RFC 8200 §4.1 recommends each at most once or twice). */
const MAX_EXTENSION_HEADERS = 16;

export interface Ipv6Packet {
  src: string;
  dst: string;
  /** The 16-byte addresses, for the pseudo-header and fast comparisons. */
  srcBytes: Uint8Array;
  dstBytes: Uint8Array;
  /** Upper-layer protocol after the extension headers (58 ICMPv6, 17 UDP, 59 none, 50 ESP). */
  protocol: number;
  hopLimit: number;
  /** The fixed header plus every extension header walked. */
  headerBytes: number;
  /** Hop-by-Hop Router Alert value (0 = MLD, RFC 2711), or null when there is none. */
  routerAlert: number | null;
  /** A Fragment header that is not an atomic fragment (RFC 6946): not a whole datagram. */
  fragment: boolean;
  /** The frame is shorter than its Payload Length says. */
  truncated: boolean;
  payload: Uint8Array;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (2+) of zero groups as "::". */
export function formatIpv6(b: Uint8Array, off = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(((b[off + 2 * i] ?? 0) << 8) | (b[off + 2 * i + 1] ?? 0));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j += 1;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => g.slice(from, to).map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(0, 8) : `${hex(0, best)}::${hex(best + bestLen, 8)}`;
}

/** Textual IPv6 (RFC 4291 §2.2, with "::" and a dotted IPv4 tail; a %zone is ignored) to 16 bytes, or null. */
export function parseIpv6Text(text: string): Uint8Array | null {
  const addr = text.split('%')[0] ?? '';
  const halves = addr.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const q = p.split('.');
        if (q.length !== 4 || q.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return null;
        const n = q.map(Number);
        out.push((n[0]! << 8) | n[1]!, (n[2]! << 8) | n[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((x, i) => {
    out[2 * i] = x >> 8;
    out[2 * i + 1] = x & 0xff;
  });
  return out;
}

/** Canonical (RFC 5952) form of an IPv6 text address, or the text itself if it is not one. */
export function canonicalIpv6(text: string): string {
  const b = parseIpv6Text(text);
  return b === null ? text : formatIpv6(b);
}

/**
 * Options of a Hop-by-Hop or Destination Options header (RFC 8200 §4.2): the Router Alert value
 * if there is one, undefined when there is none, null when an option runs past the header.
 */
function walkOptions(b: Uint8Array, from: number, to: number): number | undefined | null {
  let alert: number | undefined;
  for (let i = from; i < to; ) {
    const type = b[i]!;
    if (type === OPT_PAD1) {
      i += 1;
      continue;
    }
    if (i + 2 > to) return null;
    const len = b[i + 1]!;
    if (i + 2 + len > to) return null;
    if (type === OPT_ROUTER_ALERT && len === 2) alert = (b[i + 2]! << 8) | b[i + 3]!;
    i += 2 + len;
  }
  return alert;
}

/**
 * The IPv6 header and its upper-layer payload after walking the extension headers, or null if
 * this is not a well-formed IPv6 packet. Walks Hop-by-Hop (first only), Routing, Destination
 * Options, Fragment and AH; stops at anything else (the upper layer, ESP, No Next Header). A
 * non-first fragment stops the walk with fragment=true: its payload is no upper-layer header.
 */
export function parseIpv6(b: Uint8Array): Ipv6Packet | null {
  if (b.length < IPV6_HEADER_BYTES || b[0]! >> 4 !== 6) return null;
  const payloadLength = (b[4]! << 8) | b[5]!;
  // 0 is a jumbogram (RFC 2675): never MLD or our UDP, and its length lives in an option.
  if (payloadLength === 0) return null;
  const end = Math.min(IPV6_HEADER_BYTES + payloadLength, b.length);
  let next = b[6]!;
  let off = IPV6_HEADER_BYTES;
  let routerAlert: number | null = null;
  let fragment = false;
  for (let n = 0; ; n++) {
    if (n > MAX_EXTENSION_HEADERS) return null;
    if (next === NH_HOP_BY_HOP || next === NH_ROUTING || next === NH_DEST_OPTIONS) {
      // RFC 8200 §4.1: Hop-by-Hop only immediately after the IPv6 header.
      if (next === NH_HOP_BY_HOP && off !== IPV6_HEADER_BYTES) return null;
      if (off + 2 > end) return null;
      const len = (b[off + 1]! + 1) * 8;
      if (off + len > end) return null;
      if (next !== NH_ROUTING) {
        const alert = walkOptions(b, off + 2, off + len);
        if (alert === null) return null;
        if (alert !== undefined && next === NH_HOP_BY_HOP) routerAlert = alert;
      }
      next = b[off]!;
      off += len;
      continue;
    }
    if (next === NH_FRAGMENT) {
      if (off + 8 > end) return null;
      const offsetAndFlags = (b[off + 2]! << 8) | b[off + 3]!;
      const fragmentOffset = offsetAndFlags >> 3;
      const more = (offsetAndFlags & 1) !== 0;
      next = b[off]!;
      off += 8;
      if (fragmentOffset !== 0 || more) fragment = true;
      if (fragmentOffset !== 0) break;
      continue;
    }
    if (next === NH_AH) {
      if (off + 2 > end) return null;
      const len = (b[off + 1]! + 2) * 4;
      if (off + len > end) return null;
      next = b[off]!;
      off += len;
      continue;
    }
    break;
  }
  const srcBytes = b.subarray(8, 24);
  const dstBytes = b.subarray(24, 40);
  return {
    src: formatIpv6(srcBytes),
    dst: formatIpv6(dstBytes),
    srcBytes,
    dstBytes,
    protocol: next,
    hopLimit: b[7]!,
    headerBytes: off,
    routerAlert,
    fragment,
    truncated: b.length < IPV6_HEADER_BYTES + payloadLength,
    payload: b.subarray(off, end),
  };
}

/** ICMPv6 checksum (RFC 4443 §2.3) over the pseudo-header (RFC 8200 §8.1) and the message. */
export function icmpv6ChecksumOk(ip: Pick<Ipv6Packet, 'srcBytes' | 'dstBytes'>, message: Uint8Array): boolean {
  const buf = new Uint8Array(40 + message.length);
  buf.set(ip.srcBytes, 0);
  buf.set(ip.dstBytes, 16);
  const len = message.length;
  buf[32] = (len >>> 24) & 0xff;
  buf[33] = (len >>> 16) & 0xff;
  buf[34] = (len >>> 8) & 0xff;
  buf[35] = len & 0xff;
  buf[39] = IPPROTO_ICMPV6;
  buf.set(message, 40);
  return internetChecksum(buf) === 0;
}

export type MldVersion = 1 | 2;

export interface MldQuery {
  kind: 'query';
  version: MldVersion;
  /** :: for a general query. */
  group: string;
  general: boolean;
  /** Maximum Response Delay in seconds (RFC 2710 §3.4 ms; RFC 3810 §5.1.3 code). */
  maxRespSec: number;
  /** MLDv2 only: S flag, QRV and QQIC (the querier's announced query interval, seconds). */
  suppressRouterSide?: boolean;
  robustness?: number;
  announcedIntervalSec?: number;
  sources?: string[];
}

export interface MldReport {
  kind: 'report';
  version: MldVersion;
  /** v1: the address reported; v2: one entry per Multicast Address Record. */
  records: IgmpGroupRecord[];
}

/** MLDv1 Done (RFC 2710 §3.7), the counterpart of an IGMPv2 Leave. */
export interface MldDone {
  kind: 'leave';
  version: 1;
  group: string;
}

export type MldMessage = MldQuery | MldReport | MldDone;

const MLD_QUERY = 130;
const MLD_V1_REPORT = 131;
const MLD_V1_DONE = 132;
const MLD_V2_REPORT = 143;
const MLD_V1_BYTES = 24;
const MLD_V2_QUERY_MIN_BYTES = 28;
/** RFC 3810 §5.1.3: codes >= 32768 are (mant | 0x1000) << (exp + 3), in ms. */
export function decodeMldMaxRespCode(code: number): number {
  if (code < 32768) return code;
  return ((code & 0x0fff) | 0x1000) << (((code >> 12) & 0x07) + 3);
}

/** One MLD message from the ICMPv6 message bytes (checksum verified by the caller), or null. */
export function parseMld(b: Uint8Array): MldMessage | null {
  const type = b[0];
  if (type === MLD_QUERY) return parseQuery(b);
  if (type === MLD_V1_REPORT || type === MLD_V1_DONE) {
    if (b.length < MLD_V1_BYTES) return null;
    const group = formatIpv6(b, 8);
    if (type === MLD_V1_DONE) return { kind: 'leave', version: 1, group };
    return { kind: 'report', version: 1, records: [{ type: 'is_ex', group, sources: [] }] };
  }
  if (type === MLD_V2_REPORT) return parseV2Report(b);
  return null;
}

function parseQuery(b: Uint8Array): MldQuery | null {
  // RFC 3810 §8.1: 24 bytes = MLDv1; >= 28 = MLDv2; anything else is not a valid query.
  if (b.length < MLD_V1_BYTES || (b.length > MLD_V1_BYTES && b.length < MLD_V2_QUERY_MIN_BYTES)) return null;
  const code = (b[4]! << 8) | b[5]!;
  const group = formatIpv6(b, 8);
  const general = group === '::';
  if (b.length === MLD_V1_BYTES) return { kind: 'query', version: 1, group, general, maxRespSec: code / 1000 };
  const n = (b[26]! << 8) | b[27]!;
  if (b.length < MLD_V2_QUERY_MIN_BYTES + 16 * n) return null;
  const sources: string[] = [];
  for (let i = 0; i < n; i++) sources.push(formatIpv6(b, MLD_V2_QUERY_MIN_BYTES + 16 * i));
  return {
    kind: 'query',
    version: 2,
    group,
    general,
    maxRespSec: decodeMldMaxRespCode(code) / 1000,
    suppressRouterSide: (b[24]! & 0x08) !== 0,
    robustness: b[24]! & 0x07,
    announcedIntervalSec: decodeFloatCode(b[25]!),
    sources,
  };
}

function parseV2Report(b: Uint8Array): MldReport | null {
  if (b.length < 8) return null;
  const records = parseGroupRecords(b, 16, formatIpv6);
  return records === null ? null : { kind: 'report', version: 2, records };
}

/**
 * The MLD message an IPv6 packet carries, or null: ICMPv6, a whole datagram (no fragment, not
 * truncated), a correct checksum, and an MLD type.
 */
export function mldFromIpv6(ip: Ipv6Packet): MldMessage | null {
  if (ip.protocol !== IPPROTO_ICMPV6 || ip.fragment || ip.truncated) return null;
  if (!icmpv6ChecksumOk(ip, ip.payload)) return null;
  return parseMld(ip.payload);
}
