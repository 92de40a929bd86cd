import { describe, expect, it } from 'vitest';
import { diffSnmp, parseSnmp6Udp, parseSnmpUdp, parseUdpTable } from '../../src/kernel/proc-net.js';
import { reconcile } from '../../src/kernel/reconcile.js';

const UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  123: 00000000:1388 00000000:0000 07 00000000:00034000 00:00000000 00000000     0        0 43210 2 0000000000000000 9912
  124: 0100007F:9C40 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 43211 2 0000000000000000 0
`;

const SNMP = `Ip: Forwarding DefaultTTL
Ip: 1 64
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 10088 3 9912 5 9912 0 0 0 0
UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
UdpLite: 0 0 0 0 0 0 0 0 0
`;

const SNMP6 = `Udp6InDatagrams                 	700
Udp6NoPorts                     	1
Udp6InErrors                    	20
Udp6OutDatagrams                	9
Udp6RcvbufErrors                	20
Udp6SndbufErrors                	0
Udp6InCsumErrors                	0
`;

describe('/proc parsers', () => {
  it('finds a socket by inode with its drops and queue', () => {
    expect(parseUdpTable(UDP, 43210)).toEqual({ inode: 43210, localPort: 5000, txQueueBytes: 0, rxQueueBytes: 0x34000, drops: 9912 });
    expect(parseUdpTable(UDP, 43211)?.localPort).toBe(40000);
    expect(parseUdpTable(UDP, 1)).toBeNull();
  });

  it('reads the Udp row by column name, not position', () => {
    expect(parseSnmpUdp(SNMP)).toEqual({ inDatagrams: 10088, noPorts: 3, inErrors: 9912, outDatagrams: 5, rcvbufErrors: 9912, sndbufErrors: 0, inCsumErrors: 0 });
    expect(parseSnmpUdp('').inDatagrams).toBe(0);
  });

  it('reads snmp6 and takes differences', () => {
    const a = parseSnmp6Udp(SNMP6);
    expect(a.rcvbufErrors).toBe(20);
    expect(diffSnmp(a, { ...a, rcvbufErrors: 25, inDatagrams: 710 })).toMatchObject({ rcvbufErrors: 5, inDatagrams: 10, noPorts: 0 });
  });
});

describe('reconciliation', () => {
  it('explains loss by the socket drops first, the rest as lost on the path', () => {
    const r = reconcile(9912, 9912, 9912);
    expect(r).toMatchObject({ droppedBySocket: 9912, lostBeforeSocket: 0, unexplainedSocketDrops: 0 });
    expect(r.words).toBe("lost 9,912: 9,912 dropped by this socket's full receive buffer, 0 lost before reaching this host's socket");
    expect(reconcile(300, 100, 100)).toMatchObject({ droppedBySocket: 100, lostBeforeSocket: 200 });
  });

  it('says so when the socket dropped more than was lost or others overflow', () => {
    expect(reconcile(0, 5, 5).words).toContain('not part of a counted stream');
    expect(reconcile(10, 10, 50).words).toContain('other sockets here');
    expect(reconcile(10, 10, 10).words).not.toContain('still queued');
    expect(reconcile(10, 10, 10, 4608).words).toContain('4,608 bytes were still queued unread');
  });
});
