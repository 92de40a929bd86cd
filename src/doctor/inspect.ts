/**
 * Reads the host into a DoctorReport. Only reads: files under /proc and /sys, and `ethtool -g`
 * (a query). Every reading that is missing becomes null with a reason, never an exception, so
 * doctor works in a child network namespace, without ethtool, and without IPv6.
 *
 * All host access goes through a HostReader so tests can inspect a fake host.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { release } from 'node:os';
import { parseSnmp6Udp, parseSnmpUdp, readSysctlInt } from '../kernel/proc-net.js';
import { parseIgmp, parseIgmp6, parseMcfilter, parseMcfilter6 } from './igmp.js';
import {
  DOCTOR_SCHEMA_VERSION,
  NOT_IN_NAMESPACE,
  type BridgeInfo,
  type DoctorReport,
  type InterfaceInfo,
  type RingReading,
  type SysctlReading,
  type UdpMemReading,
} from './model.js';
import { parseEthtoolRings, parseNetstatCounter, parsePageSize, parseSoftnetStat, parseUdpMem } from './parsers.js';

export interface HostReader {
  /** File text, or null if it is absent or unreadable. */
  readText(path: string): string | null;
  exists(path: string): boolean;
  listDir(path: string): string[];
  /** An integer under /proc/sys (path relative to it, e.g. net/core/rmem_max), or null. */
  sysctlInt(path: string): number | null;
  /** Permission bits of a file, or null. */
  mode(path: string): number | null;
  /** `ethtool -g DEV` output, or why there is none. */
  ethtoolRings(dev: string): Promise<{ stdout: string } | { error: string }>;
  kernelRelease(): string;
}

/** ethtool answers in milliseconds; a hung driver query must not hang doctor. */
const ETHTOOL_TIMEOUT_MS = 3000;
const DEFAULT_PAGE_SIZE_BYTES = 4096;
const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
const IFF_MULTICAST = 0x1000;

export const realHost: HostReader = {
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
  exists: (path) => existsSync(path),
  listDir(path) {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  },
  sysctlInt: (path) => readSysctlInt(path),
  mode(path) {
    try {
      return statSync(path).mode & 0o777;
    } catch {
      return null;
    }
  },
  ethtoolRings(dev) {
    return new Promise((resolve) => {
      execFile('ethtool', ['-g', dev], { timeout: ETHTOOL_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (!err) return resolve({ stdout });
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return resolve({ error: 'ethtool is not installed' });
        const why = (stderr.trim().split('\n')[0] ?? '') || err.message;
        resolve({ error: `ethtool -g failed: ${why}` });
      });
    });
  },
  kernelRelease: () => release(),
};

/** The dotted name `sysctl` takes; dots inside an interface name (eth0.100) become slashes. */
export function sysctlKey(parts: readonly string[]): string {
  return parts.map((p) => p.replace(/\./g, '/')).join('.');
}

function sysctl(host: HostReader, parts: readonly string[]): SysctlReading {
  const key = sysctlKey(parts);
  const path = parts.join('/');
  if (!host.exists(`/proc/sys/${path}`)) return { key, value: null, unavailable: NOT_IN_NAMESPACE };
  const value = host.sysctlInt(path);
  return value === null ? { key, value, unavailable: 'unreadable' } : { key, value };
}

function udpMem(host: HostReader): UdpMemReading {
  const key = 'net.ipv4.udp_mem';
  const text = host.readText('/proc/sys/net/ipv4/udp_mem');
  if (text === null) {
    return { key, pages: null, unavailable: host.exists('/proc/sys/net/ipv4/udp_mem') ? 'unreadable' : NOT_IN_NAMESPACE };
  }
  const pages = parseUdpMem(text);
  return pages ? { key, pages } : { key, pages, unavailable: 'unreadable' };
}

function intFile(host: HostReader, path: string): number | null {
  const t = host.readText(path)?.trim();
  if (t === undefined || t === '') return null;
  const n = t.startsWith('0x') ? parseInt(t, 16) : Number(t);
  return Number.isFinite(n) ? n : null;
}

async function rings(host: HostReader, name: string, loopback: boolean, virtual: boolean): Promise<RingReading> {
  if (loopback) return { status: 'unavailable', reason: 'loopback' };
  if (virtual) return { status: 'unavailable', reason: 'virtual interface (no NIC ring)' };
  const r = await host.ethtoolRings(name);
  return 'error' in r ? { status: 'unavailable', reason: r.error } : parseEthtoolRings(r.stdout);
}

function bridgeInfo(host: HostReader, dir: string): BridgeInfo | null {
  if (!host.exists(`${dir}/bridge`)) return null;
  return { multicastSnooping: intFile(host, `${dir}/bridge/multicast_snooping`), multicastQuerier: intFile(host, `${dir}/bridge/multicast_querier`) };
}

/** The version the kernel forces: IGMP_V1_SEEN / IGMP_V2_SEEN test conf.all and conf.IF alike. */
function effectiveIgmpForce(all: number | null, dev: number | null): 0 | 1 | 2 | null {
  if (all === null && dev === null) return null;
  if (all === 1 || dev === 1) return 1;
  if (all === 2 || dev === 2) return 2;
  return 0;
}

async function readInterface(host: HostReader, name: string, rpAll: number | null, igmpAll: number | null): Promise<InterfaceInfo> {
  const dir = `/sys/class/net/${name}`;
  const flags = intFile(host, `${dir}/flags`) ?? 0;
  const loopback = (flags & IFF_LOOPBACK) !== 0;
  const virtual = !host.exists(`${dir}/device`);
  const rpFilter = sysctl(host, ['net', 'ipv4', 'conf', name, 'rp_filter']);
  const forceIgmpVersion = sysctl(host, ['net', 'ipv4', 'conf', name, 'force_igmp_version']);
  const rp = rpFilter.value;
  return {
    name,
    ifindex: intFile(host, `${dir}/ifindex`),
    mtuBytes: intFile(host, `${dir}/mtu`),
    operState: host.readText(`${dir}/operstate`)?.trim() ?? null,
    up: (flags & IFF_UP) !== 0,
    multicast: (flags & IFF_MULTICAST) !== 0,
    loopback,
    virtual,
    rpFilter,
    // fib_validate_source uses the larger of conf.all and conf.IF (IN_DEV_RPFILTER).
    rpFilterEffective: rp === null && rpAll === null ? null : Math.max(rp ?? 0, rpAll ?? 0),
    forceIgmpVersion,
    forceIgmpVersionEffective: effectiveIgmpForce(igmpAll, forceIgmpVersion.value),
    forceMldVersion: sysctl(host, ['net', 'ipv6', 'conf', name, 'force_mld_version']),
    rxDroppedPackets: intFile(host, `${dir}/statistics/rx_dropped`),
    rxMissedErrors: intFile(host, `${dir}/statistics/rx_missed_errors`),
    rxFifoErrors: intFile(host, `${dir}/statistics/rx_fifo_errors`),
    rings: await rings(host, name, loopback, virtual),
    bridge: bridgeInfo(host, dir),
  };
}

function parsed<T>(host: HostReader, path: string, parse: (text: string) => T): T | null {
  const text = host.readText(path);
  return text === null ? null : parse(text);
}

/** Reads everything doctor judges. Never throws for a missing file; never writes. */
export async function inspectHost(targetRcvbufBytes: number, host: HostReader = realHost): Promise<DoctorReport> {
  const s = (...p: string[]): SysctlReading => sysctl(host, ['net', ...p]);
  const sysctls = {
    rmemDefaultBytes: s('core', 'rmem_default'),
    rmemMaxBytes: s('core', 'rmem_max'),
    wmemDefaultBytes: s('core', 'wmem_default'),
    wmemMaxBytes: s('core', 'wmem_max'),
    udpMemPages: udpMem(host),
    udpRmemMinBytes: s('ipv4', 'udp_rmem_min'),
    netdevMaxBacklogPackets: s('core', 'netdev_max_backlog'),
    netdevBudgetPackets: s('core', 'netdev_budget'),
    igmpMaxMemberships: s('ipv4', 'igmp_max_memberships'),
    igmpMaxMsf: s('ipv4', 'igmp_max_msf'),
    rpFilterAll: s('ipv4', 'conf', 'all', 'rp_filter'),
    forceIgmpVersionAll: s('ipv4', 'conf', 'all', 'force_igmp_version'),
    forceMldVersionAll: s('ipv6', 'conf', 'all', 'force_mld_version'),
  };
  // In a child namespace net.core.* is visible but mode 0444 (global, owned by the initial one).
  const rmemMode = host.mode('/proc/sys/net/core/rmem_max');
  const names = host.listDir('/sys/class/net').filter((n) => host.exists(`/sys/class/net/${n}/ifindex`));
  const interfaces = await Promise.all(
    names.map((n) => readInterface(host, n, sysctls.rpFilterAll.value, sysctls.forceIgmpVersionAll.value)),
  );
  interfaces.sort((a, b) => (a.ifindex ?? 0) - (b.ifindex ?? 0));
  return {
    schemaVersion: DOCTOR_SCHEMA_VERSION,
    kernelRelease: host.kernelRelease(),
    initialNetns: rmemMode === null ? null : (rmemMode & 0o200) !== 0,
    targetRcvbufBytes,
    pageSizeBytes: parsed(host, '/proc/self/smaps', parsePageSize) ?? DEFAULT_PAGE_SIZE_BYTES,
    sysctls,
    softnet: parsed(host, '/proc/net/softnet_stat', parseSoftnetStat),
    udpSinceBoot: { v4: parsed(host, '/proc/net/snmp', parseSnmpUdp), v6: parsed(host, '/proc/net/snmp6', parseSnmp6Udp) },
    rpFilterDropsSinceBoot: parsed(host, '/proc/net/netstat', (t) => parseNetstatCounter(t, 'TcpExt', 'IPReversePathFilter')),
    interfaces,
    igmp: parsed(host, '/proc/net/igmp', (t) => parseIgmp(t)),
    igmp6: parsed(host, '/proc/net/igmp6', parseIgmp6),
    mcfilter: parsed(host, '/proc/net/mcfilter', parseMcfilter),
    mcfilter6: parsed(host, '/proc/net/mcfilter6', parseMcfilter6),
  };
}
