/**
 * This host's own join state (issue 5 §3): groups per interface from /proc/net/igmp (parsed by
 * the doctor's parser), the compatibility mode, and force_igmp_version. Per network namespace.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { parseIgmp } from '../doctor/igmp.js';

export interface LocalJoinState {
  interface: string;
  groups: string[];
  /** /proc/net/igmp "Querier" column: the host's compatibility mode, not querier presence. */
  compatMode: string | null;
  forceIgmpVersion: { all: number | null; interface: number | null };
  note: string;
}

export const QUERIER_COLUMN_NOTE =
  'the "Querier" column of /proc/net/igmp is this host\'s IGMP compatibility mode (V3 unless forced or an older querier was heard), not proof that a querier exists';

function readNum(path: string, read: (p: string) => string): number | null {
  try {
    const n = Number(read(path).trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

export function localJoinState(ifname: string, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): LocalJoinState {
  let groups: string[] = [];
  let compatMode: string | null = null;
  try {
    const block = parseIgmp(read('/proc/net/igmp')).find((b) => b.device === ifname);
    groups = block?.groups.map((g) => g.group) ?? [];
    compatMode = block?.compatMode ?? null;
  } catch {
    /* no /proc/net/igmp: leave empty */
  }
  return {
    interface: ifname,
    groups,
    compatMode,
    forceIgmpVersion: {
      all: readNum('/proc/sys/net/ipv4/conf/all/force_igmp_version', read),
      interface: readNum(`/proc/sys/net/ipv4/conf/${ifname}/force_igmp_version`, read),
    },
    note: QUERIER_COLUMN_NOTE,
  };
}

/** This host's IPv4 addresses (to tell its own reports from other hosts'). */
export function localIPv4Addresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4') out.add(a.address);
  return out;
}

/** IPv4 address of an interface name, or null. */
export function interfaceIPv4(ifname: string): string | null {
  return networkInterfaces()[ifname]?.find((a) => a.family === 'IPv4')?.address ?? null;
}
