import { describe, expect, it } from 'vitest';
import { diagnose, doctorDocument } from '../../src/doctor/findings.js';
import { NOT_IN_NAMESPACE, type DoctorReport, type Finding, type InterfaceInfo } from '../../src/doctor/model.js';
import { renderDoctor } from '../../src/doctor/render.js';
import { ZERO_SNMP } from '../../src/kernel/proc-net.js';

const sc = (key: string, value: number | null) => (value === null ? { key, value, unavailable: NOT_IN_NAMESPACE } : { key, value });

function eth0(over: Partial<InterfaceInfo> = {}): InterfaceInfo {
  return {
    name: 'eth0', ifindex: 2, mtuBytes: 1500, operState: 'up', up: true, multicast: true, loopback: false, virtual: false,
    rpFilter: sc('net.ipv4.conf.eth0.rp_filter', 0), rpFilterEffective: 0,
    forceIgmpVersion: sc('net.ipv4.conf.eth0.force_igmp_version', 0), forceIgmpVersionEffective: 0,
    forceMldVersion: sc('net.ipv6.conf.eth0.force_mld_version', 0),
    rxDroppedPackets: 0, rxMissedErrors: 0, rxFifoErrors: 0,
    rings: { status: 'ok', rxPending: 4096, rxMax: 4096, txPending: 4096, txMax: 4096 },
    bridge: null,
    ...over,
  };
}

/** A healthy host: every rule says ok. Tests change one thing. */
function healthy(): DoctorReport {
  return {
    schemaVersion: 1, kernelRelease: '6.18.0', initialNetns: true, targetRcvbufBytes: 26214400, pageSizeBytes: 4096,
    sysctls: {
      rmemDefaultBytes: sc('net.core.rmem_default', 212992), rmemMaxBytes: sc('net.core.rmem_max', 26214400),
      wmemDefaultBytes: sc('net.core.wmem_default', 212992), wmemMaxBytes: sc('net.core.wmem_max', 4194304),
      udpMemPages: { key: 'net.ipv4.udp_mem', pages: { min: 576918, pressure: 769224, max: 1153836 } },
      udpRmemMinBytes: sc('net.ipv4.udp_rmem_min', 4096),
      netdevMaxBacklogPackets: sc('net.core.netdev_max_backlog', 1000), netdevBudgetPackets: sc('net.core.netdev_budget', 300),
      igmpMaxMemberships: sc('net.ipv4.igmp_max_memberships', 20), igmpMaxMsf: sc('net.ipv4.igmp_max_msf', 10),
      rpFilterAll: sc('net.ipv4.conf.all.rp_filter', 0), forceIgmpVersionAll: sc('net.ipv4.conf.all.force_igmp_version', 0),
      forceMldVersionAll: sc('net.ipv6.conf.all.force_mld_version', 0),
    },
    softnet: [{ cpu: 0, processedPackets: 100, droppedPackets: 0, timeSqueezeCount: 0 }],
    udpSinceBoot: { v4: { ...ZERO_SNMP }, v6: { ...ZERO_SNMP } },
    rpFilterDropsSinceBoot: 0,
    interfaces: [eth0()],
    igmp: [{ ifindex: 2, device: 'eth0', groupCount: 1, compatMode: 'V3', groups: [{ group: '224.0.0.1', users: 1, timerRunning: false, timerMs: 0, reporter: 0 }] }],
    igmp6: [],
    mcfilter: [],
    mcfilter6: [],
  };
}

function byId(findings: Finding[], id: string): Finding {
  const f = findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id} in ${findings.map((x) => x.id).join(', ')}`);
  return f;
}

describe('doctor findings', () => {
  it('a healthy host has no warnings, only the Querier-column note as info', () => {
    const fs = diagnose(healthy());
    expect(fs.filter((f) => f.severity === 'warn')).toEqual([]);
    expect(fs.filter((f) => f.severity === 'info').map((f) => f.id)).toEqual(['igmp-querier-note']);
  });

  it('rmem_max 212992 -> warn with the sysctl command and the sysctl.d line', () => {
    const r = healthy();
    r.sysctls.rmemMaxBytes = sc('net.core.rmem_max', 212992);
    const f = byId(diagnose(r), 'rmem-max');
    expect(f.severity).toBe('warn');
    expect(f.detail).toContain('425984');
    expect(f.fix).toEqual(['sysctl -w net.core.rmem_max=26214400', "echo 'net.core.rmem_max = 26214400' >> /etc/sysctl.d/90-mcastbench.conf"]);
  });

  it('measures rmem_max against --target-rcvbuf, and says where a global fix must run', () => {
    const r = healthy();
    r.targetRcvbufBytes = 8 * 1024 * 1024;
    r.sysctls.rmemMaxBytes = sc('net.core.rmem_max', 4194304);
    r.initialNetns = false;
    const f = byId(diagnose(r), 'rmem-max');
    expect(f.fix[0]).toBe('sysctl -w net.core.rmem_max=8388608');
    expect(f.detail).toContain('initial namespace');
  });

  it('udp_mem and netdev_max_backlog missing in a child namespace are reported, not fatal', () => {
    const r = healthy();
    r.sysctls.udpMemPages = { key: 'net.ipv4.udp_mem', pages: null, unavailable: NOT_IN_NAMESPACE };
    r.sysctls.netdevMaxBacklogPackets = sc('net.core.netdev_max_backlog', null);
    const fs = diagnose(r);
    expect(byId(fs, 'udp-mem')).toMatchObject({ severity: 'info', title: `net.ipv4.udp_mem: ${NOT_IN_NAMESPACE}` });
    expect(byId(fs, 'netdev-max-backlog').title).toContain(NOT_IN_NAMESPACE);
  });

  it('a small udp_mem max -> warn with one quoted sysctl argument', () => {
    const r = healthy();
    r.sysctls.udpMemPages = { key: 'net.ipv4.udp_mem', pages: { min: 100, pressure: 200, max: 1000 } };
    const f = byId(diagnose(r), 'udp-mem');
    expect(f.severity).toBe('warn');
    expect(f.fix[0]).toBe('sysctl -w net.ipv4.udp_mem="100 12800 25600"');
    expect(f.fix[1]).toBe("echo 'net.ipv4.udp_mem = 100 12800 25600' >> /etc/sysctl.d/90-mcastbench.conf");
  });

  it('softnet drops -> warn (double the backlog); time_squeeze -> info; backlog < 1000 -> info', () => {
    const r = healthy();
    r.softnet = [{ cpu: 1, processedPackets: 9, droppedPackets: 42, timeSqueezeCount: 3 }];
    r.sysctls.netdevMaxBacklogPackets = sc('net.core.netdev_max_backlog', 500);
    const fs = diagnose(r);
    expect(byId(fs, 'softnet-drops')).toMatchObject({ severity: 'warn', fix: expect.arrayContaining(['sysctl -w net.core.netdev_max_backlog=2000']) });
    expect(byId(fs, 'softnet-drops').detail).toContain('cpu1 42');
    expect(byId(fs, 'softnet-squeeze').severity).toBe('info');
    expect(byId(fs, 'netdev-max-backlog').severity).toBe('info');
  });

  it('UDP RcvbufErrors since boot -> warn with nstat; rp_filter drops -> warn', () => {
    const r = healthy();
    r.udpSinceBoot.v4 = { ...ZERO_SNMP, inDatagrams: 10088, inErrors: 9912, rcvbufErrors: 9912 };
    r.rpFilterDropsSinceBoot = 7;
    const fs = diagnose(r);
    expect(byId(fs, 'udp-errors').severity).toBe('warn');
    expect(byId(fs, 'udp-errors').detail).toContain('RcvbufErrors 9912');
    expect(byId(fs, 'udp-errors').fix[0]).toMatch(/^nstat -az /);
    expect(byId(fs, 'rp-filter-drops').severity).toBe('warn');
  });

  it('rp_filter=1 on an interface -> info about off-subnet sources and asymmetric routes, fix to loose mode', () => {
    const r = healthy();
    r.interfaces = [eth0({ rpFilter: sc('net.ipv4.conf.eth0.rp_filter', 1), rpFilterEffective: 1 })];
    const f = byId(diagnose(r), 'rp-filter:eth0');
    expect(f.severity).toBe('info');
    expect(f.detail).toMatch(/off this subnet/);
    expect(f.detail).toMatch(/asymmetric routes/);
    expect(f.fix[0]).toBe('sysctl -w net.ipv4.conf.eth0.rp_filter=2');
  });

  it('MTU 1400 -> info with the largest unfragmented payload; ring below max -> ethtool -G', () => {
    const r = healthy();
    r.interfaces = [eth0({ mtuBytes: 1400, rings: { status: 'ok', rxPending: 256, rxMax: 4096, txPending: 256, txMax: 4096 } })];
    const fs = diagnose(r);
    expect(byId(fs, 'mtu:eth0').fix).toContain('mcastbench send --size 1372 ...');
    expect(byId(fs, 'ring:eth0').fix).toEqual(['ethtool -G eth0 rx 4096']);
  });

  it('IGMP version forced -> info with the commands that undo it; warn when SSM filters exist there', () => {
    const r = healthy();
    r.interfaces = [eth0({ forceIgmpVersion: sc('net.ipv4.conf.eth0.force_igmp_version', 2), forceIgmpVersionEffective: 2 })];
    r.igmp![0]!.compatMode = 'V2';
    let f = byId(diagnose(r), 'igmp-version:eth0');
    expect(f).toMatchObject({ severity: 'info', title: expect.stringContaining('forced to v2') });
    expect(f.fix[0]).toBe('sysctl -w net.ipv4.conf.eth0.force_igmp_version=0');
    r.mcfilter = [{ ifindex: 2, device: 'eth0', group: '232.1.2.3', source: '10.0.0.9', includeCount: 1, excludeCount: 0 }];
    f = byId(diagnose(r), 'igmp-version:eth0');
    expect(f.severity).toBe('warn');
    expect(f.detail).toContain('232.1.2.3 from 10.0.0.9');
  });

  it('V2 in the Querier column without forcing -> an older querier was heard', () => {
    const r = healthy();
    r.igmp![0]!.compatMode = 'V2';
    const f = byId(diagnose(r), 'igmp-version:eth0');
    expect(f.title).toContain('querier was heard');
    expect(f.fix).toEqual(["tcpdump -ni eth0 -c 1 'igmp[0] = 0x11'"]);
  });

  it('always notes that the Querier column is not proof of a querier', () => {
    const f = byId(diagnose(healthy()), 'igmp-querier-note');
    expect(f.title).toMatch(/not proof of a querier/);
    expect(f.detail).toMatch(/compatibility mode/);
  });

  it('a snooping bridge without a querier -> info; igmp_max_memberships below 20 -> warn', () => {
    const r = healthy();
    r.interfaces = [eth0({ name: 'br0', virtual: true, bridge: { multicastSnooping: 1, multicastQuerier: 0 } })];
    r.sysctls.igmpMaxMemberships = sc('net.ipv4.igmp_max_memberships', 10);
    const fs = diagnose(r);
    expect(byId(fs, 'bridge-querier:br0').fix).toEqual(['ip link set dev br0 type bridge mcast_querier 1']);
    expect(byId(fs, 'igmp-max-memberships').severity).toBe('warn');
  });
});

describe('doctor text renderer', () => {
  it('puts warnings first, keeps commands verbatim, and counts severities', () => {
    const r = healthy();
    r.sysctls.rmemMaxBytes = sc('net.core.rmem_max', 212992);
    const text = renderDoctor(doctorDocument(r), 80);
    const lines = text.split('\n');
    expect(lines[0]).toBe('mcastbench doctor: Linux 6.18.0, initial network namespace, target receive buffer 26214400 B');
    expect(lines.find((l) => /^(WARN|info|ok)/.test(l))).toMatch(/^WARN .*\[rmem-max\]$/);
    expect(text).toContain("      $ echo 'net.core.rmem_max = 26214400' >> /etc/sysctl.d/90-mcastbench.conf\n");
    // details wrap at the width; titles and commands are never cut
    expect(lines.filter((l) => l.startsWith('      ') && !l.includes('$ ')).every((l) => l.length <= 80)).toBe(true);
    expect(lines[1]!.length).toBeLessThanOrEqual(80);
    expect(lines.at(-2)).toMatch(/^1 warn, 1 info, \d+ ok$/);
  });
});
