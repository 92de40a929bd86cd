/**
 * Multicast group -> Ethernet destination MAC: what a switch that filters by MAC (and the probe's
 * frame filter) actually sees.
 *  - IPv4, RFC 1112 §6.4: 01:00:5e + the low 23 bits of the group. 5 bits are lost, so 32 groups
 *    share each MAC (239.1.1.1, 224.129.1.1, 239.129.1.1, ...).
 *  - IPv6, RFC 2464 §7: 33:33 + the low 32 bits of the group. Groups that differ only in their
 *    upper 96 bits share a MAC: the same group ID in another scope (ff05::1:3, ff0e::1:3) or under
 *    another prefix.
 */
import { canonicalIpv6, parseIpv6Text } from './packet6.js';

export type GroupFamily = 4 | 6;

const IPV4_GROUP = /^(22[4-9]|23\d)\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The group's family if the text is a multicast group (224.0.0.0/4, ff00::/8), else null. */
export function groupFamily(group: string): GroupFamily | null {
  const m = IPV4_GROUP.exec(group);
  if (m !== null) return [m[2], m[3], m[4]].every((x) => Number(x) <= 255) ? 4 : null;
  const b = group.includes(':') ? parseIpv6Text(group) : null;
  return b !== null && b[0] === 0xff ? 6 : null;
}

function hex(bytes: readonly number[]): string {
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** The MAC a group's frames are sent to, or null when the text is not a multicast group. */
export function groupMac(group: string): string | null {
  const family = groupFamily(group);
  if (family === 4) {
    const p = group.split('.').map(Number);
    return hex([0x01, 0x00, 0x5e, p[1]! & 0x7f, p[2]!, p[3]!]);
  }
  if (family === 6) {
    const b = parseIpv6Text(group)!;
    return hex([0x33, 0x33, b[12]!, b[13]!, b[14]!, b[15]!]);
  }
  return null;
}

/** The canonical text of a group (RFC 5952 for IPv6), so "FF15::0001" and "ff15::1" compare equal. */
export function canonicalGroup(group: string): string {
  return groupFamily(group) === 6 ? canonicalIpv6(group) : group;
}

/** The groups in `others` (not `group` itself, nor non-groups) that map to the same MAC as `group`. */
export function macOverlaps(group: string, others: readonly string[]): string[] {
  const mac = groupMac(group);
  if (mac === null) return [];
  const self = canonicalGroup(group);
  return [...new Set(others.map(canonicalGroup))].filter((g) => g !== self && groupMac(g) === mac);
}
