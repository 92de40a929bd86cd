/**
 * Turns parsed packets into observations (pure: the caller gives the time). One Watcher per
 * interface; feed it every IPv4 packet the capture delivers with feedIpv4().
 */
import { IPPROTO_IGMP, parseIgmp, parseIpv4, recordIsLeave, type IgmpMessage, type IgmpVersion, type Ipv4Packet } from './packet.js';

export interface QuerierSeen {
  address: string;
  version: IgmpVersion;
  generalQueries: number;
  groupQueries: number;
  firstSeenSec: number;
  lastSeenSec: number;
  /** Last general query's max response time, seconds. */
  maxRespSec: number;
  /** v3 QQIC of the last query, seconds. */
  announcedIntervalSec: number | null;
  robustness: number | null;
  /** Seconds between consecutive general queries. */
  intervalsSec: number[];
}

export type Observation =
  | { kind: 'query'; atSec: number; from: string; version: IgmpVersion; group: string; general: boolean; maxRespSec: number }
  | { kind: 'report'; atSec: number; from: string; version: IgmpVersion; group: string; record: string; self: boolean }
  | { kind: 'leave'; atSec: number; from: string; version: IgmpVersion; group: string; self: boolean };

export interface WatchSummary {
  queriers: Array<QuerierSeen & { queryIntervalSec: number | null }>;
  groupQueries: number;
  reports: number;
  leaves: number;
  /** Groups other hosts reported (joined), with the hosts. */
  reportedGroups: Record<string, string[]>;
  packetsSeen: number;
  igmpSeen: number;
}

/**
 * The query interval: the median of the gaps between consecutive general queries. The first
 * gaps after a querier starts are startup queries (a quarter of the interval, RFC 3376 §8.6),
 * so with 3 or more gaps the median is the steady interval.
 */
export function medianInterval(gaps: readonly number[]): number | null {
  if (gaps.length === 0) return null;
  const s = [...gaps].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round3(s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

export class Watcher {
  private readonly queriers = new Map<string, QuerierSeen>();
  private readonly reported = new Map<string, Set<string>>();
  private counts = { groupQueries: 0, reports: 0, leaves: 0, packets: 0, igmp: 0 };

  /** @param localAddresses this host's addresses: its own reports are marked self. */
  constructor(private readonly localAddresses: ReadonlySet<string> = new Set()) {}

  /** Feeds one IPv4 packet; returns what it showed (empty for non-IGMP or malformed). */
  feedIpv4(bytes: Uint8Array, atSec: number): Observation[] {
    this.counts.packets += 1;
    const ip = parseIpv4(bytes);
    if (ip === null || ip.protocol !== IPPROTO_IGMP || ip.fragment) return [];
    const msg = parseIgmp(ip.payload);
    if (msg === null) return [];
    this.counts.igmp += 1;
    return this.feedIgmp(ip, msg, atSec);
  }

  feedIgmp(ip: Pick<Ipv4Packet, 'src' | 'dst'>, msg: IgmpMessage, atSec: number): Observation[] {
    const self = this.localAddresses.has(ip.src);
    if (msg.kind === 'query') {
      const q = this.querier(ip.src, msg.version, atSec);
      q.version = msg.version;
      q.lastSeenSec = atSec;
      if (msg.general) {
        if (q.generalQueries > 0 && q.lastGeneral !== undefined) q.intervalsSec.push(round3(atSec - q.lastGeneral));
        q.lastGeneral = atSec;
        q.generalQueries += 1;
        q.maxRespSec = msg.maxRespSec;
        q.announcedIntervalSec = msg.announcedIntervalSec ?? null;
        q.robustness = msg.robustness ?? null;
      } else {
        q.groupQueries += 1;
        this.counts.groupQueries += 1;
      }
      return [{ kind: 'query', atSec, from: ip.src, version: msg.version, group: msg.group, general: msg.general, maxRespSec: msg.maxRespSec }];
    }
    if (msg.kind === 'leave') {
      this.counts.leaves += 1;
      return [{ kind: 'leave', atSec, from: ip.src, version: 2, group: msg.group, self }];
    }
    const out: Observation[] = [];
    for (const r of msg.records) {
      if (msg.version === 3 && recordIsLeave(r)) {
        this.counts.leaves += 1;
        out.push({ kind: 'leave', atSec, from: ip.src, version: 3, group: r.group, self });
        continue;
      }
      this.counts.reports += 1;
      if (!self) {
        const hosts = this.reported.get(r.group) ?? new Set<string>();
        hosts.add(ip.src);
        this.reported.set(r.group, hosts);
      }
      out.push({ kind: 'report', atSec, from: ip.src, version: msg.version, group: r.group, record: r.type, self });
    }
    return out;
  }

  private querier(address: string, version: IgmpVersion, atSec: number): QuerierSeen & { lastGeneral?: number } {
    let q = this.queriers.get(address) as (QuerierSeen & { lastGeneral?: number }) | undefined;
    if (q === undefined) {
      q = {
        address,
        version,
        generalQueries: 0,
        groupQueries: 0,
        firstSeenSec: atSec,
        lastSeenSec: atSec,
        maxRespSec: 0,
        announcedIntervalSec: null,
        robustness: null,
        intervalsSec: [],
      };
      this.queriers.set(address, q);
    }
    return q;
  }

  summary(): WatchSummary {
    const queriers = [...this.queriers.values()].map((q) => {
      const { lastGeneral: _lg, ...rest } = q as QuerierSeen & { lastGeneral?: number };
      return { ...rest, intervalsSec: [...rest.intervalsSec], queryIntervalSec: medianInterval(rest.intervalsSec) };
    });
    const reportedGroups: Record<string, string[]> = {};
    for (const [g, hosts] of this.reported) reportedGroups[g] = [...hosts].sort();
    return {
      queriers,
      groupQueries: this.counts.groupQueries,
      reports: this.counts.reports,
      leaves: this.counts.leaves,
      reportedGroups,
      packetsSeen: this.counts.packets,
      igmpSeen: this.counts.igmp,
    };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
