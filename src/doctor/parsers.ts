/**
 * Pure parsers for the rest of what doctor reads: /proc/net/softnet_stat, `ethtool -g`,
 * /proc/net/netstat and net.ipv4.udp_mem. (/proc/net/snmp is parsed by kernel/proc-net.ts.)
 */
import type { RingReading, SoftnetCpu } from './model.js';

/**
 * /proc/net/softnet_stat: one line per online CPU, hex columns. Column 0 processed, 1 dropped
 * (backlog full), 2 time_squeeze; since 4.x column 12 is the CPU number (older kernels: use the
 * line number). net/core/net-procfs.c softnet_seq_show.
 */
export function parseSoftnetStat(text: string): SoftnetCpu[] {
  const out: SoftnetCpu[] = [];
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  lines.forEach((line, i) => {
    const f = line.trim().split(/\s+/).map((h) => parseInt(h, 16));
    if (f.length < 3 || f.some((n) => !Number.isFinite(n))) return;
    out.push({ cpu: f.length >= 13 ? f[12]! : i, processedPackets: f[0]!, droppedPackets: f[1]!, timeSqueezeCount: f[2]! });
  });
  return out;
}

function ringValue(section: string, name: 'RX' | 'TX'): number | null {
  const m = new RegExp(`^${name}:\\s*(\\d+)\\s*$`, 'm').exec(section);
  return m ? Number(m[1]) : null;
}

/**
 * `ethtool -g IF` output: a "Pre-set maximums:" block and a "Current hardware settings:" block,
 * each with "RX:" and "TX:" lines (n/a when the driver has no such ring).
 */
export function parseEthtoolRings(text: string): RingReading {
  const maxAt = text.indexOf('Pre-set maximums:');
  const curAt = text.indexOf('Current hardware settings:');
  if (maxAt < 0 || curAt < 0) return { status: 'unavailable', reason: 'unrecognised ethtool -g output' };
  const maxBlock = text.slice(maxAt, curAt);
  const curBlock = text.slice(curAt);
  const rxMax = ringValue(maxBlock, 'RX');
  const rxPending = ringValue(curBlock, 'RX');
  if (rxMax === null || rxPending === null) return { status: 'unavailable', reason: 'the driver reports no RX ring size' };
  return { status: 'ok', rxPending, rxMax, txPending: ringValue(curBlock, 'TX'), txMax: ringValue(maxBlock, 'TX') };
}

/** One counter of /proc/net/netstat (header/value line pairs like "TcpExt: A B" / "TcpExt: 1 2"). */
export function parseNetstatCounter(text: string, section: string, name: string): number | null {
  const rows = text.split('\n').filter((l) => l.startsWith(`${section}: `));
  for (let i = 0; i + 1 < rows.length; i += 2) {
    const keys = rows[i]!.trim().split(/\s+/).slice(1);
    const vals = rows[i + 1]!.trim().split(/\s+/).slice(1);
    const k = keys.indexOf(name);
    if (k >= 0 && vals[k] !== undefined && /^\d+$/.test(vals[k])) return Number(vals[k]);
  }
  return null;
}

/** net.ipv4.udp_mem: three page counts separated by whitespace. */
export function parseUdpMem(text: string): { min: number; pressure: number; max: number } | null {
  const f = text.trim().split(/\s+/);
  if (f.length !== 3 || f.some((v) => !/^\d+$/.test(v))) return null;
  return { min: Number(f[0]), pressure: Number(f[1]), max: Number(f[2]) };
}

/** The page size from /proc/self/smaps ("KernelPageSize:  4 kB"), or null. */
export function parsePageSize(smaps: string): number | null {
  const m = /^KernelPageSize:\s+(\d+) kB$/m.exec(smaps);
  return m ? Number(m[1]) * 1024 : null;
}
