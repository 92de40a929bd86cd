/**
 * Best-effort MTU of the interface a destination is routed through, for the "datagram larger
 * than the MTU" warning. Linux only; any failure means "unknown" and no warning, never an error.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isLoopbackAddress, splitZone } from './address.js';

/** (destination, interface name if the user gave one) -> MTU in bytes, or null if unknown. */
export type PathMtuLookup = (dest: string, interfaceName: string | null) => number | null;

export function readInterfaceMtu(name: string): number | null {
  if (!/^[\w.:@-]+$/.test(name)) return null;
  try {
    const mtu = Number.parseInt(readFileSync(`/sys/class/net/${name}/mtu`, 'utf8').trim(), 10);
    return Number.isSafeInteger(mtu) && mtu > 0 ? mtu : null;
  } catch {
    return null;
  }
}

/** `ip route get <dest>` prints "... dev eth0 src ..."; the device is what the kernel would use. */
export function routeDevice(dest: string): string | null {
  try {
    const r = spawnSync('ip', ['route', 'get', dest], { encoding: 'utf8', timeout: 2000 });
    if (r.status !== 0 || typeof r.stdout !== 'string') return null;
    return /\bdev\s+(\S+)/.exec(r.stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

export const lookupPathMtu: PathMtuLookup = (dest, interfaceName) => {
  const { address, zone } = splitZone(dest);
  const name = interfaceName ?? zone ?? (isLoopbackAddress(address) ? 'lo' : routeDevice(address));
  return name === null ? null : readInterfaceMtu(name);
};
