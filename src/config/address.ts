/**
 * Address classification for validation: family, multicast, loopback, unspecified. net.BlockList
 * does the IPv6 parsing, so "FF05::2" and "0:0:0:0:0:0:0:1" are classified like their
 * canonical forms.
 */
import net from 'node:net';
import type { Family } from './types.js';

function subnets(list: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6']>): net.BlockList {
  const b = new net.BlockList();
  for (const [addr, prefix, type] of list) b.addSubnet(addr, prefix, type);
  return b;
}

const MULTICAST = subnets([
  ['224.0.0.0', 4, 'ipv4'],
  ['ff00::', 8, 'ipv6'],
]);
const LOOPBACK = subnets([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const UNUSABLE_UNICAST = subnets([
  ['0.0.0.0', 32, 'ipv4'],
  ['255.255.255.255', 32, 'ipv4'],
  ['::', 128, 'ipv6'],
]);

/** "fe80::1%eth0" -> { address: "fe80::1", zone: "eth0" }. */
export function splitZone(address: string): { address: string; zone: string | null } {
  const i = address.indexOf('%');
  return i < 0 ? { address, zone: null } : { address: address.slice(0, i), zone: address.slice(i + 1) || null };
}

/** 4, 6, or null when the text is not an IP address (host names are not resolved: by design). */
export function familyOf(address: string): Family | null {
  const n = net.isIP(splitZone(address).address);
  return n === 4 || n === 6 ? n : null;
}

function check(list: net.BlockList, address: string): boolean {
  const family = familyOf(address);
  if (family === null) return false;
  return list.check(splitZone(address).address, family === 4 ? 'ipv4' : 'ipv6');
}

/** 224.0.0.0/4 or ff00::/8. */
export function isMulticastAddress(address: string): boolean {
  return check(MULTICAST, address);
}

/** 127.0.0.0/8 or ::1. */
export function isLoopbackAddress(address: string): boolean {
  return check(LOOPBACK, address);
}

/** A concrete unicast host address: not multicast, not the wildcard, not limited broadcast. */
export function isUsableUnicast(address: string): boolean {
  return familyOf(address) !== null && !check(MULTICAST, address) && !check(UNUSABLE_UNICAST, address);
}

/** Same address in any textual form ("::1" == "0::1"), zones ignored. */
export function sameAddress(a: string, b: string): boolean {
  const fa = familyOf(a);
  if (fa === null || fa !== familyOf(b)) return false;
  const type = fa === 4 ? 'ipv4' : 'ipv6';
  const list = new net.BlockList();
  list.addAddress(splitZone(a).address, type);
  return list.check(splitZone(b).address, type);
}

export function wildcardOf(family: Family): string {
  return family === 4 ? '0.0.0.0' : '::';
}

export function familyName(family: Family): string {
  return family === 4 ? 'IPv4' : 'IPv6';
}
