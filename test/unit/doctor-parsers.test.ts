import { describe, expect, it } from 'vitest';
import { igmpHexToIPv4, ipv6FromHex, parseIgmp, parseIgmp6, parseMcfilter, parseMcfilter6 } from '../../src/doctor/igmp.js';
import { parseEthtoolRings, parseNetstatCounter, parsePageSize, parseSoftnetStat, parseUdpMem } from '../../src/doctor/parsers.js';

// From a lab host (netlab §2) with a second group and a pending report added.
const IGMP = `Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter
1\tlo        :     1      V3
\t\t\t\t010000E0     1 0:00000000\t\t0
2\teth0      :     3      V2
\t\t\t\t010101EF     2 0:00000000\t\t0
\t\t\t\t030201E8     1 1:0000001E\t\t1
\t\t\t\t010000E0     1 0:00000000\t\t0
`;

// This machine's /proc/net/igmp6.
const IGMP6 = `1    lo              ff020000000000000000000000000001     1 0000000C 0
4    eth0            ff0200000000000000000001ff000002     1 00000004 0
4    eth0            ff150000000000000000000000010077     1 00000004 12
`;

const MCFILTER = `Idx Device        MCA        SRC    INC    EXC
  2   eth0 0xe8010203 0x0a4d0109      1      0
`;

const MCFILTER6 = `Idx Device                Multicast Address                   Source Address    INC    EXC
  2   eth0 ff350000000000000000000000000077 fd770001000000000000000000000009      1      0
`;

// Kernel 6.18, 2 CPUs: 15 columns, the CPU number in column 12.
const SOFTNET = `0001d4c1 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
00020c06 0000002a 00000003 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 00000000 00000000
`;

// ethtool 6.1 on a virtio NIC.
const ETHTOOL_G = `Ring parameters for eth0:
Pre-set maximums:
RX:\t\t\t4096
RX Mini:\t\tn/a
RX Jumbo:\t\tn/a
TX:\t\t\t4096
Current hardware settings:
RX:\t\t\t256
RX Mini:\t\tn/a
RX Jumbo:\t\tn/a
TX:\t\t\t256
RX Buf Len:\t\tn/a
TX Push:\t\toff
`;

describe('doctor parsers: IGMP state', () => {
  it('reads /proc/net/igmp groups as little-endian hex, with the compatibility column and timers', () => {
    const igmp = parseIgmp(IGMP, true);
    expect(igmp.map((i) => [i.device, i.ifindex, i.groupCount, i.compatMode])).toEqual([
      ['lo', 1, 1, 'V3'],
      ['eth0', 2, 3, 'V2'],
    ]);
    expect(igmp[1]!.groups).toEqual([
      { group: '239.1.1.1', users: 2, timerRunning: false, timerMs: 0, reporter: 0 },
      { group: '232.1.2.3', users: 1, timerRunning: true, timerMs: 300, reporter: 1 },
      { group: '224.0.0.1', users: 1, timerRunning: false, timerMs: 0, reporter: 0 },
    ]);
  });

  it('converts the hex the way the machine printed it', () => {
    expect(igmpHexToIPv4('010101EF', true)).toBe('239.1.1.1');
    expect(igmpHexToIPv4('EF010101', false)).toBe('239.1.1.1');
  });

  it('reads igmp6 addresses in RFC 5952 form', () => {
    expect(parseIgmp6(IGMP6)).toEqual([
      { ifindex: 1, device: 'lo', group: 'ff02::1', users: 1, flags: 12, timerMs: 0 },
      { ifindex: 4, device: 'eth0', group: 'ff02::1:ff00:2', users: 1, flags: 4, timerMs: 0 },
      { ifindex: 4, device: 'eth0', group: 'ff15::1:77', users: 1, flags: 4, timerMs: 120 },
    ]);
    expect(ipv6FromHex('fd770001000000000000000000000009')).toBe('fd77:1::9');
  });

  it('reads mcfilter (host-order hex, the same on every machine) and mcfilter6', () => {
    expect(parseMcfilter(MCFILTER)).toEqual([{ ifindex: 2, device: 'eth0', group: '232.1.2.3', source: '10.77.1.9', includeCount: 1, excludeCount: 0 }]);
    expect(parseMcfilter6(MCFILTER6)).toEqual([{ ifindex: 2, device: 'eth0', group: 'ff35::77', source: 'fd77:1::9', includeCount: 1, excludeCount: 0 }]);
    expect(parseMcfilter('Idx Device        MCA        SRC    INC    EXC\n')).toEqual([]);
  });
});

describe('doctor parsers: kernel counters', () => {
  it('reads softnet_stat dropped and time_squeeze per CPU', () => {
    expect(parseSoftnetStat(SOFTNET)).toEqual([
      { cpu: 0, processedPackets: 0x1d4c1, droppedPackets: 0, timeSqueezeCount: 0 },
      { cpu: 1, processedPackets: 0x20c06, droppedPackets: 42, timeSqueezeCount: 3 },
    ]);
    // Old kernels print fewer columns: the line number is the CPU.
    expect(parseSoftnetStat('00000010 00000001 00000000\n')[0]).toEqual({ cpu: 0, processedPackets: 16, droppedPackets: 1, timeSqueezeCount: 0 });
  });

  it('reads current and maximum rings from ethtool -g', () => {
    expect(parseEthtoolRings(ETHTOOL_G)).toEqual({ status: 'ok', rxPending: 256, rxMax: 4096, txPending: 256, txMax: 4096 });
    expect(parseEthtoolRings('netlink error: Operation not supported').status).toBe('unavailable');
  });

  it('reads a /proc/net/netstat counter by name, udp_mem and the page size', () => {
    const netstat = 'TcpExt: SyncookiesSent IPReversePathFilter\nTcpExt: 0 17\nIpExt: InNoRoutes\nIpExt: 3\n';
    expect(parseNetstatCounter(netstat, 'TcpExt', 'IPReversePathFilter')).toBe(17);
    expect(parseNetstatCounter(netstat, 'TcpExt', 'Missing')).toBeNull();
    expect(parseUdpMem('576918\t769224\t1153836\n')).toEqual({ min: 576918, pressure: 769224, max: 1153836 });
    expect(parseUdpMem('')).toBeNull();
    expect(parsePageSize('Size:  4 kB\nKernelPageSize:        4 kB\n')).toBe(4096);
  });
});
