/**
 * IPv6 and MLD parsing (src/igmp/packet6.ts), the IPv6 group MAC (group-mac.ts) and the watcher
 * on MLD, from packets built here byte by byte: the truth is what the test wrote.
 */
import { describe, expect, it } from 'vitest';
import { canonicalGroup, groupFamily, groupMac, macOverlaps } from '../../src/igmp/group-mac.js';
import { internetChecksum } from '../../src/igmp/packet.js';
import { decodeMldMaxRespCode, formatIpv6, icmpv6ChecksumOk, mldFromIpv6, parseIpv6, parseIpv6Text, parseMld } from '../../src/igmp/packet6.js';
import { Watcher } from '../../src/igmp/watch.js';

const a6 = (text: string): number[] => [...parseIpv6Text(text)!];

/** An ICMPv6 message with its checksum set for src -> dst (RFC 8200 §8.1 pseudo-header). */
function icmp6(src: string, dst: string, msg: number[]): number[] {
  const m = [...msg];
  m[2] = 0;
  m[3] = 0;
  const len = m.length;
  const c = internetChecksum(new Uint8Array([...a6(src), ...a6(dst), 0, 0, len >> 8, len & 0xff, 0, 0, 0, 58, ...m]));
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return m;
}

/** An extension header: its type and its bytes after the Next Header byte (filled in by ipv6()). */
interface Ext {
  type: number;
  rest: number[];
}
/** Hop-by-Hop with Router Alert value `ra` (RFC 2711) and a PadN, 8 bytes. */
const hbhRouterAlert = (ra = 0): Ext => ({ type: 0, rest: [0, 5, 2, ra >> 8, ra & 0xff, 1, 0] });
/** Destination Options with a PadN only, 8 bytes. */
const destOpts = (): Ext => ({ type: 60, rest: [0, 1, 4, 0, 0, 0, 0] });
/** Routing header type 4 with segments left 0 and one 16-byte segment, 24 bytes. */
const routing = (): Ext => ({ type: 43, rest: [2, 4, 0, 0, 0, 0, 0, ...new Array<number>(16).fill(0)] });
const fragmentHdr = (offset8: number, more: boolean): Ext => ({ type: 44, rest: [0, offset8 >> 5, ((offset8 << 3) & 0xf8) | (more ? 1 : 0), 0, 0, 0, 1] });
/** AH with a 4-byte ICV: 16 bytes, Payload Len 2 (RFC 4302 §2.2). */
const ah = (): Ext => ({ type: 51, rest: [2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0xaa, 0xbb, 0xcc, 0xdd] });

function ipv6(src: string, dst: string, exts: Ext[], proto: number, payload: number[], hopLimit = 1): Uint8Array {
  const types = [...exts.map((e) => e.type), proto];
  const body: number[] = [];
  exts.forEach((e, i) => body.push(types[i + 1]!, ...e.rest));
  body.push(...payload);
  const len = body.length;
  return new Uint8Array([0x60, 0, 0, 0, len >> 8, len & 0xff, types[0]!, hopLimit, ...a6(src), ...a6(dst), ...body]);
}

const LL = 'fe80::77:1';
const ALL_NODES = 'ff02::1';
const v1Query = (group = '::', delayMs = 10000): number[] => [130, 0, 0, 0, delayMs >> 8, delayMs & 0xff, 0, 0, ...a6(group)];
const v2Query = (group = '::', mrc = 1000, qqic = 125, sources: string[] = [], sqrv = 0x02): number[] => [
  ...v1Query(group, mrc), sqrv, qqic, 0, sources.length, ...sources.flatMap(a6),
];
const mldPacket = (src: string, dst: string, msg: number[], exts: Ext[] = [hbhRouterAlert()]): Uint8Array => ipv6(src, dst, exts, 58, icmp6(src, dst, msg));

describe('IPv6 text and RFC 5952 formatting', () => {
  it('formats the canonical form', () => {
    for (const [text, canonical] of [
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['::1', '::1'],
      ['FF02::16', 'ff02::16'],
      ['ff15:0:0:0:0:0:4d42:0001', 'ff15::4d42:1'],
      ['fe80::1%eth0', 'fe80::1'],
      ['::ffff:10.0.0.1', '::ffff:a00:1'],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ]) {
      expect(formatIpv6(parseIpv6Text(text!)!), text).toBe(canonical);
    }
  });
  it('rejects what is not an IPv6 address', () => {
    for (const bad of ['', ':::', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '10.0.0.1', '1::2:3:4:5:6:7:8', '::1.2.3.256', '12345::1']) {
      expect(parseIpv6Text(bad), bad).toBeNull();
    }
  });
});

describe('IPv6 header and extension headers', () => {
  it('reads the header, the Hop-by-Hop Router Alert and cuts the payload to Payload Length', () => {
    const pkt = mldPacket(LL, ALL_NODES, v2Query());
    const padded = new Uint8Array(pkt.length + 10);
    padded.set(pkt);
    const ip = parseIpv6(padded)!;
    expect(ip).toMatchObject({ src: LL, dst: ALL_NODES, protocol: 58, hopLimit: 1, headerBytes: 48, routerAlert: 0, fragment: false, truncated: false });
    expect(ip.payload.length).toBe(28);
  });
  it('walks Hop-by-Hop, Destination Options, Routing, an atomic Fragment and AH to the upper layer', () => {
    const pkt = ipv6(LL, ALL_NODES, [hbhRouterAlert(), destOpts(), routing(), fragmentHdr(0, false), ah()], 58, icmp6(LL, ALL_NODES, v1Query()));
    const ip = parseIpv6(pkt)!;
    expect(ip).toMatchObject({ protocol: 58, headerBytes: 40 + 8 + 8 + 24 + 8 + 16, routerAlert: 0, fragment: false });
    expect(mldFromIpv6(ip)).toMatchObject({ kind: 'query', version: 1 });
  });
  it('a Router Alert outside Hop-by-Hop is not one; another value is kept as it is', () => {
    expect(parseIpv6(ipv6(LL, ALL_NODES, [{ type: 60, rest: hbhRouterAlert().rest }], 58, []))?.routerAlert).toBeNull();
    expect(parseIpv6(ipv6(LL, ALL_NODES, [hbhRouterAlert(1)], 17, [0, 1, 0, 2, 0, 8, 0, 0]))?.routerAlert).toBe(1);
  });
  it('fragments: the first is flagged, a later one stops the walk; neither is taken as MLD', () => {
    const first = parseIpv6(ipv6(LL, ALL_NODES, [fragmentHdr(0, true)], 58, icmp6(LL, ALL_NODES, v1Query())))!;
    expect(first).toMatchObject({ fragment: true, protocol: 58 });
    expect(mldFromIpv6(first)).toBeNull();
    const later = parseIpv6(ipv6(LL, ALL_NODES, [fragmentHdr(3, false), hbhRouterAlert()], 58, []))!;
    expect(later).toMatchObject({ fragment: true, protocol: 0, headerBytes: 48 });
  });
  it('rejects malformed chains: Hop-by-Hop not first, a header or option past the end, a jumbogram, not IPv6', () => {
    expect(parseIpv6(ipv6(LL, ALL_NODES, [destOpts(), hbhRouterAlert()], 58, []))).toBeNull();
    const cut = ipv6(LL, ALL_NODES, [routing()], 58, []);
    expect(parseIpv6(cut.subarray(0, 50))).toBeNull();
    expect(parseIpv6(ipv6(LL, ALL_NODES, [{ type: 0, rest: [0, 5, 9, 0, 0, 0, 0] }], 58, []))).toBeNull();
    const jumbo = mldPacket(LL, ALL_NODES, v1Query());
    jumbo[4] = 0;
    jumbo[5] = 0;
    expect(parseIpv6(jumbo)).toBeNull();
    expect(parseIpv6(new Uint8Array(39).fill(0x60))).toBeNull();
    expect(parseIpv6(new Uint8Array([0x45, ...new Array<number>(60).fill(0)]))).toBeNull();
  });
  it('a chain longer than any real packet is refused, not walked forever', () => {
    const many = Array.from({ length: 40 }, () => destOpts());
    expect(parseIpv6(ipv6(LL, ALL_NODES, many, 58, []))).toBeNull();
  });
  it('a frame shorter than its Payload Length is flagged truncated and not taken as MLD', () => {
    const pkt = mldPacket(LL, ALL_NODES, v2Query());
    const ip = parseIpv6(pkt.subarray(0, pkt.length - 4))!;
    expect(ip.truncated).toBe(true);
    expect(mldFromIpv6(ip)).toBeNull();
  });
  it('never throws on garbage: random frames, every truncation and every single-byte corruption', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 3000; i++) {
      const b = new Uint8Array(rnd() + rnd());
      for (let k = 0; k < b.length; k++) b[k] = rnd();
      if (b.length > 0) b[0] = 0x60;
      // Next headers from the walked set make deep chains likely.
      if (b.length > 6) b[6] = [0, 43, 44, 51, 60, 58][i % 6]!;
      const ip = parseIpv6(b);
      if (ip !== null) mldFromIpv6(ip);
    }
    const good = ipv6(LL, ALL_NODES, [hbhRouterAlert(), destOpts(), fragmentHdr(0, false)], 58, icmp6(LL, ALL_NODES, [143, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 1, ...a6('ff15::1'), ...a6(LL)]));
    for (let n = 0; n <= good.length; n++) {
      const ip = parseIpv6(good.subarray(0, n));
      if (ip !== null) mldFromIpv6(ip);
    }
    const icmpAt = parseIpv6(good)!.headerBytes;
    let acceptedCorrupt = 0;
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice();
      bad[i] = bad[i]! ^ 0x5a;
      const ip = parseIpv6(bad);
      const mld = ip === null ? null : mldFromIpv6(ip);
      if (i >= icmpAt && mld !== null) acceptedCorrupt += 1;
    }
    // Any corruption of the MLD message breaks its checksum.
    expect(acceptedCorrupt).toBe(0);
  });
});

describe('ICMPv6 checksum and MLD messages', () => {
  it('verifies the checksum over the pseudo-header: a corrupted query is no query', () => {
    const pkt = mldPacket(LL, ALL_NODES, v2Query());
    const ip = parseIpv6(pkt)!;
    expect(icmpv6ChecksumOk(ip, ip.payload)).toBe(true);
    const wrongDst = parseIpv6(mldPacket(LL, ALL_NODES, v2Query()).map((x, i) => (i === 39 ? 2 : x)))!;
    expect(icmpv6ChecksumOk(wrongDst, wrongDst.payload)).toBe(false);
    expect(mldFromIpv6(wrongDst)).toBeNull();
  });
  it('MLDv1 general and address-specific queries (24 bytes, delay in ms)', () => {
    expect(parseMld(new Uint8Array(v1Query()))).toEqual({ kind: 'query', version: 1, group: '::', general: true, maxRespSec: 10 });
    expect(parseMld(new Uint8Array(v1Query('ff15::4d42:1', 1000)))).toEqual({ kind: 'query', version: 1, group: 'ff15::4d42:1', general: false, maxRespSec: 1 });
  });
  it('MLDv2 queries: S, QRV, QQIC, sources, and the floating-point Maximum Response Code', () => {
    expect(parseMld(new Uint8Array(v2Query('::', 1000, 125)))).toEqual({
      kind: 'query', version: 2, group: '::', general: true, maxRespSec: 1, suppressRouterSide: false, robustness: 2, announcedIntervalSec: 125, sources: [],
    });
    expect(parseMld(new Uint8Array(v2Query('ff15::1', 0x8000, 0x90, ['2001:db8::9'], 0x0b)))).toMatchObject({
      general: false, group: 'ff15::1', maxRespSec: 32.768, suppressRouterSide: true, robustness: 3, announcedIntervalSec: 256, sources: ['2001:db8::9'],
    });
    expect(decodeMldMaxRespCode(32767)).toBe(32767);
    expect(decodeMldMaxRespCode(0xffff)).toBe(0x1fff << 10);
  });
  it('refuses queries of 25..27 bytes and ones whose sources run past the end', () => {
    for (const n of [25, 26, 27]) expect(parseMld(new Uint8Array(v2Query()).subarray(0, n))).toBeNull();
    const q = v2Query('::', 1000, 125, ['2001:db8::9']);
    expect(parseMld(new Uint8Array(q.slice(0, q.length - 1)))).toBeNull();
    expect(parseMld(new Uint8Array(v1Query()).subarray(0, 23))).toBeNull();
  });
  it('MLDv1 report and done; MLDv2 report records with sources and aux data', () => {
    const g = a6('ff15::77');
    expect(parseMld(new Uint8Array([131, 0, 0, 0, 0, 0, 0, 0, ...g]))).toEqual({ kind: 'report', version: 1, records: [{ type: 'is_ex', group: 'ff15::77', sources: [] }] });
    expect(parseMld(new Uint8Array([132, 0, 0, 0, 0, 0, 0, 0, ...g]))).toEqual({ kind: 'leave', version: 1, group: 'ff15::77' });
    const v2 = [143, 0, 0, 0, 0, 0, 0, 2, 3, 0, 0, 0, ...g, 1, 1, 0, 1, ...a6('ff35::1'), ...a6('2001:db8::9'), 0xde, 0xad, 0xbe, 0xef];
    expect(parseMld(new Uint8Array(v2))).toEqual({
      kind: 'report',
      version: 2,
      records: [
        { type: 'to_in', group: 'ff15::77', sources: [] },
        { type: 'is_in', group: 'ff35::1', sources: ['2001:db8::9'] },
      ],
    });
    expect(parseMld(new Uint8Array(v2.slice(0, v2.length - 1)))).toBeNull();
    expect(parseMld(new Uint8Array([143, 0, 0, 0, 0, 0]))).toBeNull();
    expect(parseMld(new Uint8Array([133, 0, 0, 0, ...g, 0, 0, 0, 0]))).toBeNull();
    expect(parseMld(new Uint8Array([]))).toBeNull();
  });
});

describe('IPv6 group MAC (RFC 2464 §7)', () => {
  it('33:33 + the low 32 bits', () => {
    expect(groupMac('ff15::4d42:1')).toBe('33:33:4d:42:00:01');
    expect(groupMac('FF02::1')).toBe('33:33:00:00:00:01');
    expect(groupMac('fe80::1')).toBeNull();
    expect(groupMac('10.0.0.1')).toBeNull();
  });
  it('families and canonical text', () => {
    expect(groupFamily('239.1.1.1')).toBe(4);
    expect(groupFamily('224.0.0.256')).toBeNull();
    expect(groupFamily('ff0e::1')).toBe(6);
    expect(groupFamily('fe80::1')).toBeNull();
    expect(groupFamily('x')).toBeNull();
    expect(canonicalGroup('FF15:0::4D42:0001')).toBe('ff15::4d42:1');
  });
  it('overlaps: same low 32 bits in another scope or prefix, not the group itself nor another family', () => {
    expect(macOverlaps('ff15::4d42:1', ['ff05::4d42:1', 'ff15::1:4d42:1', 'FF15::4D42:1', 'ff02::1', '239.66.0.1', 'ff15::4d42:2'])).toEqual(['ff05::4d42:1', 'ff15::1:4d42:1']);
    // ff15::1 shares all-nodes' MAC: every IPv6 host on the link receives its frames.
    expect(macOverlaps('ff15::1', ['ff02::1'])).toEqual(['ff02::1']);
  });
});

describe('Watcher on MLD', () => {
  it('an MLD querier (link-local address, version, interval, max response), reports and leaves by others', () => {
    const w = new Watcher(new Set(['fe80::4']));
    for (const t of [0.5, 1, 3, 5, 7]) w.feedPacket(mldPacket(LL, ALL_NODES, v2Query('::', 10000, 2)), t);
    w.feedPacket(mldPacket(LL, 'ff15::77', v2Query('ff15::77', 1000, 2)), 7.2);
    const report = (src: string, type: number, group: string): Uint8Array => mldPacket(src, 'ff02::16', [143, 0, 0, 0, 0, 0, 0, 1, type, 0, 0, 0, ...a6(group)]);
    expect(w.feedPacket(report('fe80::2', 4, 'ff15::77'), 7.5)).toEqual([
      { kind: 'report', protocol: 'mld', atSec: 7.5, from: 'fe80::2', version: 2, group: 'ff15::77', record: 'to_ex', self: false },
    ]);
    expect(w.feedPacket(report('fe80::2', 3, 'ff15::77'), 8)).toEqual([{ kind: 'leave', protocol: 'mld', atSec: 8, from: 'fe80::2', version: 2, group: 'ff15::77', self: false }]);
    w.feedPacket(report('fe80::4', 4, 'ff15::99'), 8.1);
    w.feedPacket(mldPacket('fe80::3', 'ff02::2', [132, 0, 0, 0, 0, 0, 0, 0, ...a6('ff15::77')]), 8.2);
    // Not MLD: an ICMPv6 echo, and a corrupted query.
    w.feedPacket(mldPacket('fe80::3', ALL_NODES, [128, 0, 0, 0, 0, 1, 0, 1]), 8.3);
    const bad = mldPacket(LL, ALL_NODES, v2Query());
    bad[bad.length - 1] = 7;
    w.feedPacket(bad, 8.4);
    const s = w.summary();
    expect(s.queriers).toHaveLength(1);
    expect(s.queriers[0]).toMatchObject({ protocol: 'mld', address: LL, version: 2, generalQueries: 5, groupQueries: 1, maxRespSec: 10, announcedIntervalSec: 2, intervalsSec: [0.5, 2, 2, 2], queryIntervalSec: 2 });
    expect(s).toMatchObject({ reports: 2, leaves: 2, groupQueries: 1, reportedGroups: { 'ff15::77': ['fe80::2'] }, packetsSeen: 12, igmpSeen: 0, mldSeen: 10 });
  });
});
