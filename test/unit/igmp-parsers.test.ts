import { describe, expect, it } from 'vitest';
import { groupMac, macOverlaps } from '../../src/igmp/group-mac.js';
import { decodeFloatCode, internetChecksum, parseIgmp, parseIpv4, parseUdp } from '../../src/igmp/packet.js';
import { Watcher, medianInterval } from '../../src/igmp/watch.js';

const ip4 = (s: string): number[] => s.split('.').map(Number);

/** IGMP message with a correct checksum. */
function igmp(bytes: number[]): Uint8Array {
  const b = new Uint8Array(bytes);
  b[2] = 0;
  b[3] = 0;
  const c = internetChecksum(b);
  b[2] = c >> 8;
  b[3] = c & 0xff;
  return b;
}

/** IPv4 header (with Router Alert when ra) around a payload, as the raw socket delivers it. */
function ipv4(src: string, dst: string, proto: number, payload: Uint8Array, ra = true): Uint8Array {
  const opt = ra ? [0x94, 0x04, 0x00, 0x00] : [];
  const hl = 20 + opt.length;
  const total = hl + payload.length;
  const h = [0x40 | (hl / 4), 0xc0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 1, proto, 0, 0, ...ip4(src), ...ip4(dst), ...opt];
  const out = new Uint8Array(total);
  out.set(h, 0);
  out.set(payload, hl);
  return out;
}

const v2Query = (group = '0.0.0.0', code = 100) => igmp([0x11, code, 0, 0, ...ip4(group)]);
const v1Query = () => igmp([0x11, 0, 0, 0, 0, 0, 0, 0]);
const v3Query = (group = '0.0.0.0', code = 100, qqic = 125, sources: string[] = []) =>
  igmp([0x11, code, 0, 0, ...ip4(group), 0x02, qqic, 0, sources.length, ...sources.flatMap(ip4)]);

describe('IPv4 header', () => {
  it('parses addresses, protocol, Router Alert and cuts the payload to Total Length', () => {
    const pkt = ipv4('10.0.0.1', '224.0.0.1', 2, v2Query());
    const padded = new Uint8Array(pkt.length + 6);
    padded.set(pkt);
    const p = parseIpv4(padded)!;
    expect(p).toMatchObject({ src: '10.0.0.1', dst: '224.0.0.1', protocol: 2, ttl: 1, headerBytes: 24, routerAlert: true, fragment: false });
    expect(p.payload.length).toBe(8);
  });
  it('rejects non-IPv4 and truncated headers', () => {
    expect(parseIpv4(new Uint8Array(10))).toBeNull();
    expect(parseIpv4(new Uint8Array([0x60, ...new Array(39).fill(0)]))).toBeNull();
    expect(parseIpv4(new Uint8Array([0x4f, ...new Array(30).fill(0)]))).toBeNull();
  });
});

describe('IGMP messages', () => {
  it('v1, v2 and v3 general queries', () => {
    expect(parseIgmp(v1Query())).toMatchObject({ kind: 'query', version: 1, general: true, maxRespSec: 10 });
    expect(parseIgmp(v2Query())).toMatchObject({ kind: 'query', version: 2, general: true, maxRespSec: 10, group: '0.0.0.0' });
    expect(parseIgmp(v3Query('0.0.0.0', 10, 125))).toMatchObject({ kind: 'query', version: 3, general: true, maxRespSec: 1, robustness: 2, announcedIntervalSec: 125 });
  });
  it('group-specific and group-and-source queries', () => {
    expect(parseIgmp(v2Query('239.1.1.1', 10))).toMatchObject({ version: 2, general: false, group: '239.1.1.1', maxRespSec: 1 });
    expect(parseIgmp(v3Query('232.1.1.1', 10, 125, ['10.0.0.9']))).toMatchObject({ version: 3, general: false, sources: ['10.0.0.9'] });
  });
  it('floating-point Max Resp Code and QQIC (RFC 3376 4.1.1)', () => {
    expect(decodeFloatCode(100)).toBe(100);
    expect(decodeFloatCode(0x80)).toBe(128);
    expect(decodeFloatCode(0x8d)).toBe(29 << 3);
    expect(decodeFloatCode(0xff)).toBe(31 << 10);
    expect(parseIgmp(v3Query('0.0.0.0', 0x80, 0x90))).toMatchObject({ maxRespSec: 12.8, announcedIntervalSec: 256 });
  });
  it('v1/v2 reports and v2 leave', () => {
    expect(parseIgmp(igmp([0x12, 0, 0, 0, ...ip4('239.1.1.1')]))).toEqual({ kind: 'report', version: 1, records: [{ type: 'is_ex', group: '239.1.1.1', sources: [] }] });
    expect(parseIgmp(igmp([0x16, 0, 0, 0, ...ip4('239.1.1.2')]))).toMatchObject({ kind: 'report', version: 2, records: [{ group: '239.1.1.2' }] });
    expect(parseIgmp(igmp([0x17, 0, 0, 0, ...ip4('239.1.1.3')]))).toEqual({ kind: 'leave', version: 2, group: '239.1.1.3' });
  });
  it('v3 report with several records, sources and aux data', () => {
    const msg = igmp([
      0x22, 0, 0, 0, 0, 0, 0, 3,
      2, 0, 0, 0, ...ip4('239.1.1.1'),
      3, 0, 0, 0, ...ip4('239.1.1.2'),
      1, 1, 0, 1, ...ip4('232.1.1.1'), ...ip4('10.0.0.9'), 0xde, 0xad, 0xbe, 0xef,
    ]);
    expect(parseIgmp(msg)).toEqual({
      kind: 'report',
      version: 3,
      records: [
        { type: 'is_ex', group: '239.1.1.1', sources: [] },
        { type: 'to_in', group: '239.1.1.2', sources: [] },
        { type: 'is_in', group: '232.1.1.1', sources: ['10.0.0.9'] },
      ],
    });
  });
  it('rejects a bad checksum, truncated records and unknown types', () => {
    const q = v2Query();
    q[3] = q[3]! ^ 1;
    expect(parseIgmp(q)).toBeNull();
    expect(parseIgmp(igmp([0x22, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, ...ip4('239.1.1.1')]))).toBeNull();
    expect(parseIgmp(igmp([0x42, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(parseIgmp(new Uint8Array(4))).toBeNull();
  });
});

describe('UDP and MAC mapping', () => {
  it('UDP ports and payload', () => {
    expect(parseUdp(new Uint8Array([0x13, 0x89, 0x13, 0x8a, 0, 10, 0, 0, 7, 8]))).toMatchObject({ srcPort: 5001, dstPort: 5002, payload: new Uint8Array([7, 8]) });
    expect(parseUdp(new Uint8Array(4))).toBeNull();
  });
  it('maps groups to 01:00:5e + low 23 bits and finds the 32:1 overlaps', () => {
    expect(groupMac('239.1.1.1')).toBe('01:00:5e:01:01:01');
    expect(groupMac('224.129.1.1')).toBe('01:00:5e:01:01:01');
    expect(macOverlaps('239.1.1.1', ['224.129.1.1', '239.129.1.1', '239.1.1.1', '239.1.1.2', '10.1.1.1'])).toEqual(['224.129.1.1', '239.129.1.1']);
  });
});

describe('Watcher', () => {
  it('measures the querier interval from consecutive general queries; counts reports and leaves by others', () => {
    const w = new Watcher(new Set(['10.0.0.4']));
    const q = ipv4('0.0.0.0', '224.0.0.1', 2, v2Query());
    for (const t of [0.5, 1, 3, 5, 7]) w.feedIpv4(q, t);
    w.feedIpv4(ipv4('0.0.0.0', '239.1.1.1', 2, v2Query('239.1.1.1', 10)), 7.5);
    expect(w.feedIpv4(ipv4('10.0.0.2', '239.1.1.1', 2, igmp([0x16, 0, 0, 0, ...ip4('239.1.1.1')])), 7.6)).toEqual([
      { kind: 'report', protocol: 'igmp', atSec: 7.6, from: '10.0.0.2', version: 2, group: '239.1.1.1', record: 'is_ex', self: false },
    ]);
    w.feedIpv4(ipv4('10.0.0.4', '239.1.1.9', 2, igmp([0x16, 0, 0, 0, ...ip4('239.1.1.9')])), 7.7);
    w.feedIpv4(ipv4('10.0.0.2', '224.0.0.2', 2, igmp([0x17, 0, 0, 0, ...ip4('239.1.1.1')])), 8);
    w.feedIpv4(ipv4('10.0.0.3', '224.0.0.22', 2, igmp([0x22, 0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, ...ip4('239.2.2.2')])), 8.1);
    w.feedIpv4(ipv4('10.0.0.3', '239.2.2.2', 17, new Uint8Array(12), false), 8.2);
    const s = w.summary();
    expect(s.queriers).toHaveLength(1);
    expect(s.queriers[0]).toMatchObject({ protocol: 'igmp', address: '0.0.0.0', version: 2, generalQueries: 5, groupQueries: 1, maxRespSec: 10, intervalsSec: [0.5, 2, 2, 2], queryIntervalSec: 2 });
    expect(s).toMatchObject({ reports: 2, leaves: 2, groupQueries: 1, reportedGroups: { '239.1.1.1': ['10.0.0.2'] }, packetsSeen: 11, igmpSeen: 10, mldSeen: 0 });
  });
  it('median interval', () => {
    expect(medianInterval([])).toBeNull();
    expect(medianInterval([30, 7.5, 7.5])).toBe(7.5);
    expect(medianInterval([1, 3])).toBe(2);
  });
});
