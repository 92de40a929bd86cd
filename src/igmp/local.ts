/**
 * This host's own join state (issue 5 §3): groups per interface from /proc/net/igmp or, for
 * IPv6, /proc/net/igmp6 (parsed by the doctor's parsers), the IGMP compatibility mode, and
 * force_igmp_version / force_mld_version. Per network namespace.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { parseIgmp, parseIgmp6 } from '../doctor/igmp.js';

interface ForcedVersion {
  all: number | null;
  interface: number | null;
}

export interface LocalJoinState {
  interface: string;
  protocol: 'igmp' | 'mld';
  groups: string[];
  /** /proc/net/igmp "Querier" column: the host's compatibility mode, not querier presence. MLD: null (not exposed). */
  compatMode: string | null;
  /** IGMP only. */
  forceIgmpVersion?: ForcedVersion;
  /** MLD only: /proc/sys/net/ipv6/conf/{all,IF}/force_mld_version (0 = none, 1, 2). */
  forceMldVersion?: ForcedVersion;
  note: string;
}

export const QUERIER_COLUMN_NOTE =
  'the "Querier" column of /proc/net/igmp is this host\'s IGMP compatibility mode (V3 unless forced or an older querier was heard), not proof that a querier exists';

export const IGMP6_NOTE =
  '/proc/net/igmp6 lists the groups this host joined; it shows no MLD compatibility mode and is no proof that an MLD querier exists';

function readNum(path: string, read: (p: string) => string): number | null {
  try {
    const n = Number(read(path).trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

export function localJoinState(ifname: string, family: 4 | 6 = 4, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): LocalJoinState {
  if (family === 6) return localMldState(ifname, read);
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
    protocol: 'igmp',
    groups,
    compatMode,
    forceIgmpVersion: {
      all: readNum('/proc/sys/net/ipv4/conf/all/force_igmp_version', read),
      interface: readNum(`/proc/sys/net/ipv4/conf/${ifname}/force_igmp_version`, read),
    },
    note: QUERIER_COLUMN_NOTE,
  };
}

function localMldState(ifname: string, read: (p: string) => string): LocalJoinState {
  let groups: string[] = [];
  try {
    groups = parseIgmp6(read('/proc/net/igmp6'))
      .filter((g) => g.device === ifname)
      .map((g) => g.group);
  } catch {
    /* no /proc/net/igmp6 (IPv6 disabled): leave empty */
  }
  return {
    interface: ifname,
    protocol: 'mld',
    groups,
    compatMode: null,
    forceMldVersion: {
      all: readNum('/proc/sys/net/ipv6/conf/all/force_mld_version', read),
      interface: readNum(`/proc/sys/net/ipv6/conf/${ifname}/force_mld_version`, read),
    },
    note: IGMP6_NOTE,
  };
}

/** This host's IPv4 and IPv6 addresses (to tell its own reports from other hosts'). */
export function localAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.add(a.address.split('%')[0]!);
  return out;
}

/** Whether an interface has an IPv6 address (it can join IPv6 groups). */
export function interfaceHasIPv6(ifname: string): boolean {
  return networkInterfaces()[ifname]?.some((a) => a.family === 'IPv6') ?? false;
}

/** IPv4 address of an interface name, or null. */
export function interfaceIPv4(ifname: string): string | null {
  return networkInterfaces()[ifname]?.find((a) => a.family === 'IPv4')?.address ?? null;
}
