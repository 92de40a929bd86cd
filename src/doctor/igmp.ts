/**
 * Parsers for the host's multicast join state, per network namespace. Pure functions of the file
 * text (tested from fixtures). Formats are those of net/ipv4/igmp.c and net/ipv6/mcast.c:
 *
 *   /proc/net/igmp     "%d\t%-10s: %5d %7s\n" per interface (ifindex, name, group count,
 *                      "Querier" = compatibility mode V1/V2/V3), then per group
 *                      "\t\t\t\t%08X %5d %d:%08lX\t\t%d\n" (group, users, timer running:ticks,
 *                      reporter). The group is the __be32 printed as a host integer, so on a
 *                      little-endian machine 010101EF is 239.1.1.1.
 *   /proc/net/mcfilter "%3d %6.6s 0x%08x 0x%08x %6lu %6lu\n": ntohl() first, so 0xef010101 is
 *                      239.1.1.1 on every machine; the device name is cut to 6 characters.
 *   /proc/net/igmp6    "%-4d %-15s %pi6 %5d %08X %ld\n" (32 hex digits, network order).
 *   /proc/net/mcfilter6 "%3d %6.6s %pi6 %pi6 %6lu %6lu\n".
 * Timer ticks are clock_t (USER_HZ, 100 per second on Linux).
 */
import { endianness } from 'node:os';
import type { Igmp6Group, IgmpInterface, McFilter } from './model.js';

const MS_PER_TICK = 10;

/** Dotted quad from /proc/net/igmp's %08X of a network-order address, as this machine prints it. */
export function igmpHexToIPv4(hex: string, littleEndian = endianness() === 'LE'): string {
  const n = parseInt(hex, 16) >>> 0;
  const bytes = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return (littleEndian ? bytes.reverse() : bytes).join('.');
}

/** Dotted quad from mcfilter's 0x%08x of ntohl(address): the same on every machine. */
function hostOrderHexToIPv4(hex: string): string {
  return igmpHexToIPv4(hex.replace(/^0x/i, ''), false);
}

/** 32 hex digits (%pi6) to the canonical RFC 5952 text form. */
export function ipv6FromHex(hex: string): string {
  const groups = hex.match(/.{4}/g) ?? [];
  // WHATWG URL serialises IPv6 hosts in RFC 5952 form (compressed, lower case).
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** Parses /proc/net/igmp into interface blocks with their groups. */
export function parseIgmp(text: string, littleEndian = endianness() === 'LE'): IgmpInterface[] {
  const out: IgmpInterface[] = [];
  let current: IgmpInterface | null = null;
  for (const line of text.split('\n').slice(1)) {
    const dev = /^(\d+)\s+(\S+)\s*:\s*(\d+)\s+(\S+)/.exec(line);
    if (dev) {
      current = { ifindex: Number(dev[1]), device: dev[2]!, groupCount: Number(dev[3]), compatMode: dev[4]!, groups: [] };
      out.push(current);
      continue;
    }
    const grp = /^\s+([0-9A-Fa-f]{8})\s+(\d+)\s+(\d):([0-9A-Fa-f]+)\s+(\d+)/.exec(line);
    if (grp && current) {
      const running = grp[3] === '1';
      current.groups.push({
        group: igmpHexToIPv4(grp[1]!, littleEndian),
        users: Number(grp[2]),
        timerRunning: running,
        timerMs: running ? parseInt(grp[4]!, 16) * MS_PER_TICK : 0,
        reporter: Number(grp[5]),
      });
    }
  }
  return out;
}

/** Parses /proc/net/igmp6 (one line per group). */
export function parseIgmp6(text: string): Igmp6Group[] {
  const out: Igmp6Group[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)\s+([0-9a-fA-F]{32})\s+(\d+)\s+([0-9A-Fa-f]+)\s+(-?\d+)/.exec(line);
    if (!m) continue;
    out.push({
      ifindex: Number(m[1]),
      device: m[2]!,
      group: ipv6FromHex(m[3]!),
      users: Number(m[4]),
      flags: parseInt(m[5]!, 16),
      timerMs: Math.max(0, Number(m[6])) * MS_PER_TICK,
    });
  }
  return out;
}

/** Parses /proc/net/mcfilter (IPv4 source filters). The first line is a header. */
export function parseMcfilter(text: string): McFilter[] {
  const out: McFilter[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^\s*(\d+)\s+(\S+)\s+(0x[0-9a-fA-F]{8})\s+(0x[0-9a-fA-F]{8})\s+(\d+)\s+(\d+)/.exec(line);
    if (!m) continue;
    out.push({
      ifindex: Number(m[1]),
      device: m[2]!,
      group: hostOrderHexToIPv4(m[3]!),
      source: hostOrderHexToIPv4(m[4]!),
      includeCount: Number(m[5]),
      excludeCount: Number(m[6]),
    });
  }
  return out;
}

/** Parses /proc/net/mcfilter6 (IPv6 source filters). The first line is a header. */
export function parseMcfilter6(text: string): McFilter[] {
  const out: McFilter[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^\s*(\d+)\s+(\S+)\s+([0-9a-fA-F]{32})\s+([0-9a-fA-F]{32})\s+(\d+)\s+(\d+)/.exec(line);
    if (!m) continue;
    out.push({
      ifindex: Number(m[1]),
      device: m[2]!,
      group: ipv6FromHex(m[3]!),
      source: ipv6FromHex(m[4]!),
      includeCount: Number(m[5]),
      excludeCount: Number(m[6]),
    });
  }
  return out;
}
