import { describe, expect, it } from 'vitest';
import { inspectHost, sysctlKey, type HostReader } from '../../src/doctor/inspect.js';
import { NOT_IN_NAMESPACE } from '../../src/doctor/model.js';

/** A fake host: file path -> text; directories are implied by the paths. */
function fakeHost(files: Record<string, string>, opts: { rmemMode?: number; ethtool?: string | null } = {}): HostReader & { ethtoolCalls: string[] } {
  const ethtoolCalls: string[] = [];
  const exists = (p: string): boolean => p in files || Object.keys(files).some((f) => f.startsWith(`${p}/`));
  return {
    ethtoolCalls,
    readText: (p) => files[p] ?? null,
    exists,
    listDir: (p) => [...new Set(Object.keys(files).filter((f) => f.startsWith(`${p}/`)).map((f) => f.slice(p.length + 1).split('/')[0]!))],
    sysctlInt: (p) => {
      const t = files[`/proc/sys/${p}`]?.trim();
      return t !== undefined && /^\d+$/.test(t) ? Number(t) : null;
    },
    mode: (p) => (p in files ? (opts.rmemMode ?? 0o644) : null),
    ethtoolRings: async (dev) => {
      ethtoolCalls.push(dev);
      return opts.ethtool === null || opts.ethtool === undefined ? { error: 'ethtool is not installed' } : { stdout: opts.ethtool };
    },
    kernelRelease: () => '6.18.0-test',
  };
}

function iface(name: string, ifindex: number, mtu: number, flags: string, extra: Record<string, string> = {}): Record<string, string> {
  const d = `/sys/class/net/${name}`;
  return {
    [`${d}/ifindex`]: `${ifindex}\n`,
    [`${d}/mtu`]: `${mtu}\n`,
    [`${d}/flags`]: `${flags}\n`,
    [`${d}/operstate`]: 'up\n',
    [`/proc/sys/net/ipv4/conf/${name}/rp_filter`]: '0\n',
    [`/proc/sys/net/ipv4/conf/${name}/force_igmp_version`]: '0\n',
    ...extra,
  };
}

/** What a child namespace shows (netlab §0): net.core.* read-only, no udp_mem, no netdev_max_backlog. */
const CHILD_NS: Record<string, string> = {
  '/proc/sys/net/core/rmem_default': '212992\n',
  '/proc/sys/net/core/rmem_max': '4194304\n',
  '/proc/sys/net/core/wmem_default': '212992\n',
  '/proc/sys/net/core/wmem_max': '4194304\n',
  '/proc/sys/net/ipv4/igmp_max_memberships': '50\n',
  '/proc/sys/net/ipv4/igmp_max_msf': '10\n',
  '/proc/sys/net/ipv4/conf/all/rp_filter': '0\n',
  '/proc/sys/net/ipv4/conf/all/force_igmp_version': '0\n',
  ...iface('lo', 1, 65536, '0x9'),
  ...iface('eth0', 2, 1400, '0x1003', {
    '/proc/sys/net/ipv4/conf/eth0/rp_filter': '1\n',
    '/proc/sys/net/ipv4/conf/eth0/force_igmp_version': '2\n',
  }),
  '/proc/net/igmp': 'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n2\teth0      :     2      V2\n\t\t\t\t010101EF     1 0:00000000\t\t0\n\t\t\t\t010000E0     1 0:00000000\t\t0\n',
  '/proc/net/snmp': 'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors\nUdp: 5 0 0 1 0 0 0\n',
};

describe('doctor inspect (fake host)', () => {
  it('says "not available in this namespace" for files a child namespace lacks, and reads the rest', async () => {
    const r = await inspectHost(26214400, fakeHost(CHILD_NS, { rmemMode: 0o444 }));
    expect(r.initialNetns).toBe(false);
    expect(r.sysctls.udpMemPages).toEqual({ key: 'net.ipv4.udp_mem', pages: null, unavailable: NOT_IN_NAMESPACE });
    expect(r.sysctls.netdevMaxBacklogPackets).toEqual({ key: 'net.core.netdev_max_backlog', value: null, unavailable: NOT_IN_NAMESPACE });
    expect(r.sysctls.rmemMaxBytes).toEqual({ key: 'net.core.rmem_max', value: 4194304 });
    expect(r.sysctls.igmpMaxMemberships.value).toBe(50);
    expect(r.softnet).toBeNull();
    expect(r.igmp6).toBeNull();
    expect(r.udpSinceBoot.v4?.inDatagrams).toBe(5);
    expect(r.udpSinceBoot.v6).toBeNull();
  });

  it('reads interfaces: flags, MTU, effective rp_filter and forced IGMP version, sorted by ifindex', async () => {
    const r = await inspectHost(26214400, fakeHost({ ...CHILD_NS, '/proc/sys/net/ipv4/conf/all/rp_filter': '2\n' }));
    const eth0 = r.interfaces.find((i) => i.name === 'eth0')!;
    expect(r.interfaces.map((i) => i.name)).toEqual(['lo', 'eth0']);
    expect(eth0).toMatchObject({ ifindex: 2, mtuBytes: 1400, up: true, multicast: true, loopback: false, virtual: true });
    // the kernel takes max(all, interface): 2 here although eth0 says 1
    expect(eth0.rpFilter.value).toBe(1);
    expect(eth0.rpFilterEffective).toBe(2);
    expect(eth0.forceIgmpVersionEffective).toBe(2);
    expect(eth0.rings).toEqual({ status: 'unavailable', reason: 'virtual interface (no NIC ring)' });
    expect(r.interfaces[0]).toMatchObject({ name: 'lo', loopback: true, multicast: false });
    expect(r.igmp?.[0]?.groups.map((g) => g.group)).toEqual(['239.1.1.1', '224.0.0.1']);
  });

  it('asks ethtool only about NICs, and records why rings are unknown', async () => {
    const files = { ...CHILD_NS, '/sys/class/net/eth0/device/uevent': 'DRIVER=virtio_net\n' };
    const host = fakeHost(files);
    const r = await inspectHost(1, host);
    expect(host.ethtoolCalls).toEqual(['eth0']);
    expect(r.interfaces[1]?.rings).toEqual({ status: 'unavailable', reason: 'ethtool is not installed' });
    const withTool = fakeHost(files, { ethtool: 'Pre-set maximums:\nRX:\t4096\nTX:\t4096\nCurrent hardware settings:\nRX:\t256\nTX:\t256\n' });
    expect((await inspectHost(1, withTool)).interfaces[1]?.rings).toEqual({ status: 'ok', rxPending: 256, rxMax: 4096, txPending: 256, txMax: 4096 });
  });

  it('spells interface sysctls the way sysctl takes them (dots in names become slashes)', () => {
    expect(sysctlKey(['net', 'ipv4', 'conf', 'eth0.100', 'rp_filter'])).toBe('net.ipv4.conf.eth0/100.rp_filter');
  });
});
