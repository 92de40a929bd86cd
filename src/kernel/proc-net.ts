/**
 * Reads the kernel's own UDP accounting. All of it is per network namespace, read from the
 * namespace this process runs in:
 * - /proc/net/udp and udp6: one line per socket; column `drops` is sk_drops, the datagrams this
 *   socket dropped (receive buffer full, or filter); `rx_queue` the bytes queued for reading.
 *   The socket is matched by inode (unique), so other sockets on the port are never counted.
 * - /proc/net/snmp `Udp:` row and /proc/net/snmp6 `Udp6*`: namespace-wide counters
 *   (InDatagrams, NoPorts, InErrors, RcvbufErrors, InCsumErrors, SndbufErrors, OutDatagrams).
 * Parsers are pure functions of the file text so they are tested from fixtures.
 */
import { readFileSync, readlinkSync } from 'node:fs';

export interface UdpSocketRow {
  inode: number;
  localPort: number;
  rxQueueBytes: number;
  txQueueBytes: number;
  drops: number;
}

export interface UdpSnmp {
  inDatagrams: number;
  noPorts: number;
  inErrors: number;
  outDatagrams: number;
  rcvbufErrors: number;
  sndbufErrors: number;
  inCsumErrors: number;
}

export const ZERO_SNMP: UdpSnmp = Object.freeze({
  inDatagrams: 0, noPorts: 0, inErrors: 0, outDatagrams: 0, rcvbufErrors: 0, sndbufErrors: 0, inCsumErrors: 0,
});

/**
 * Parses /proc/net/udp or udp6 text and returns the row with the given inode, or null.
 * Line format: `sl local rem st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops`.
 */
export function parseUdpTable(text: string, inode: number): UdpSocketRow | null {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 13) continue;
    if (Number(f[9]) !== inode) continue;
    const [txq, rxq] = (f[4] ?? '0:0').split(':');
    const port = parseInt((f[1] ?? '').split(':')[1] ?? '0', 16);
    return {
      inode,
      localPort: port,
      txQueueBytes: parseInt(txq ?? '0', 16),
      rxQueueBytes: parseInt(rxq ?? '0', 16),
      drops: Number(f[12]),
    };
  }
  return null;
}

/** Parses the `Udp:` header/value row pair of /proc/net/snmp. */
export function parseSnmpUdp(text: string): UdpSnmp {
  const rows = text.split('\n').filter((l) => l.startsWith('Udp: '));
  if (rows.length < 2) return { ...ZERO_SNMP };
  const keys = rows[0]!.split(/\s+/).slice(1);
  const vals = rows[1]!.split(/\s+/).slice(1).map(Number);
  const get = (k: string): number => {
    const i = keys.indexOf(k);
    return i >= 0 ? (vals[i] ?? 0) : 0;
  };
  return {
    inDatagrams: get('InDatagrams'),
    noPorts: get('NoPorts'),
    inErrors: get('InErrors'),
    outDatagrams: get('OutDatagrams'),
    rcvbufErrors: get('RcvbufErrors'),
    sndbufErrors: get('SndbufErrors'),
    inCsumErrors: get('InCsumErrors'),
  };
}

/** Parses /proc/net/snmp6 (`Udp6InDatagrams   123` lines). */
export function parseSnmp6Udp(text: string): UdpSnmp {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k?.startsWith('Udp6')) m.set(k.slice(4), Number(v));
  }
  return {
    inDatagrams: m.get('InDatagrams') ?? 0,
    noPorts: m.get('NoPorts') ?? 0,
    inErrors: m.get('InErrors') ?? 0,
    outDatagrams: m.get('OutDatagrams') ?? 0,
    rcvbufErrors: m.get('RcvbufErrors') ?? 0,
    sndbufErrors: m.get('SndbufErrors') ?? 0,
    inCsumErrors: m.get('InCsumErrors') ?? 0,
  };
}

export function diffSnmp(a: UdpSnmp, b: UdpSnmp): UdpSnmp {
  return {
    inDatagrams: b.inDatagrams - a.inDatagrams,
    noPorts: b.noPorts - a.noPorts,
    inErrors: b.inErrors - a.inErrors,
    outDatagrams: b.outDatagrams - a.outDatagrams,
    rcvbufErrors: b.rcvbufErrors - a.rcvbufErrors,
    sndbufErrors: b.sndbufErrors - a.sndbufErrors,
    inCsumErrors: b.inCsumErrors - a.inCsumErrors,
  };
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** UDP counters of this namespace for the family (IPv6 sockets use the Udp6 counters). */
export function readUdpSnmp(family: 4 | 6): UdpSnmp {
  if (family === 6) return parseSnmp6Udp(readOr('/proc/net/snmp6', ''));
  return parseSnmpUdp(readOr('/proc/net/snmp', ''));
}

export function readUdpSocket(family: 4 | 6, inode: number): UdpSocketRow | null {
  if (inode <= 0) return null;
  return parseUdpTable(readOr(family === 6 ? '/proc/net/udp6' : '/proc/net/udp', ''), inode);
}

/** The socket inode behind a file descriptor of this process, or 0. */
export function socketInode(fd: number): number {
  try {
    const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** A /proc/sys integer (e.g. net/core/rmem_max), or null if unreadable. */
export function readSysctlInt(path: string): number | null {
  const v = readOr(`/proc/sys/${path}`, '').trim();
  return v === '' || !/^\d+$/.test(v) ? null : Number(v);
}
