/**
 * Turns parsed packets into observations (pure: the caller gives the time). One Watcher per
 * interface; feed it every packet the capture delivers (IPv4 or IPv6, from the IP header on)
 * with feedPacket(): IGMP queriers and MLD queriers are kept apart by protocol.
 */
import { IPPROTO_IGMP, parseIgmp, parseIpv4, recordIsLeave, type IgmpMessage } from './packet.js';
import { mldFromIpv6, parseIpv6, type MldMessage } from './packet6.js';

export type McastProtocol = 'igmp' | 'mld';
/** IGMP 1..3, MLD 1..2. */
export type ProtocolVersion = 1 | 2 | 3;

export interface QuerierSeen {
  protocol: McastProtocol;
  address: string;
  version: ProtocolVersion;
  generalQueries: number;
  groupQueries: number;
  firstSeenSec: number;
  lastSeenSec: number;
  /** Last general query's max response time, seconds. */
  maxRespSec: number;
  /** IGMPv3 / MLDv2 QQIC of the last query, seconds. */
  announcedIntervalSec: number | null;
  robustness: number | null;
  /** Seconds between consecutive general queries. */
  intervalsSec: number[];
}

export type Observation =
  | { kind: 'query'; protocol: McastProtocol; atSec: number; from: string; version: ProtocolVersion; group: string; general: boolean; maxRespSec: number }
  | { kind: 'report'; protocol: McastProtocol; atSec: number; from: string; version: ProtocolVersion; group: string; record: string; self: boolean }
  | { kind: 'leave'; protocol: McastProtocol; atSec: number; from: string; version: ProtocolVersion; group: string; self: boolean };

export interface WatchSummary {
  queriers: Array<QuerierSeen & { queryIntervalSec: number | null }>;
  groupQueries: number;
  reports: number;
  leaves: number;
  /** Groups other hosts reported (joined), with the hosts. */
  reportedGroups: Record<string, string[]>;
  packetsSeen: number;
  /** Valid IGMP / MLD messages among them. */
  igmpSeen: number;
  mldSeen: number;
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
  private readonly queriers = new Map<string, QuerierSeen & { lastGeneral?: number }>();
  private readonly reported = new Map<string, Set<string>>();
  private counts = { groupQueries: 0, reports: 0, leaves: 0, packets: 0, igmp: 0, mld: 0 };

  /** @param localAddresses this host's addresses (IPv4 and IPv6): its own reports are marked self. */
  constructor(private readonly localAddresses: ReadonlySet<string> = new Set()) {}

  /** Feeds one packet from its IP header on (IPv4 or IPv6, by the version nibble). */
  feedPacket(bytes: Uint8Array, atSec: number): Observation[] {
    const version = (bytes[0] ?? 0) >> 4;
    if (version === 6) return this.feedIpv6(bytes, atSec);
    return this.feedIpv4(bytes, atSec);
  }

  /** Feeds one IPv4 packet; returns what it showed (empty for non-IGMP or malformed). */
  feedIpv4(bytes: Uint8Array, atSec: number): Observation[] {
    this.counts.packets += 1;
    const ip = parseIpv4(bytes);
    if (ip === null || ip.protocol !== IPPROTO_IGMP || ip.fragment) return [];
    const msg = parseIgmp(ip.payload);
    if (msg === null) return [];
    return this.feedMessage('igmp', ip.src, msg, atSec);
  }

  /** Feeds one IPv6 packet; returns what it showed (empty for non-MLD or malformed). */
  feedIpv6(bytes: Uint8Array, atSec: number): Observation[] {
    this.counts.packets += 1;
    const ip = parseIpv6(bytes);
    const msg = ip === null ? null : mldFromIpv6(ip);
    if (ip === null || msg === null) return [];
    return this.feedMessage('mld', ip.src, msg, atSec);
  }

  /** One parsed IGMP or MLD message from `src`. */
  feedMessage(protocol: McastProtocol, src: string, msg: IgmpMessage | MldMessage, atSec: number): Observation[] {
    this.counts[protocol] += 1;
    const self = this.localAddresses.has(src);
    const base = { protocol, atSec, from: src, version: msg.version };
    if (msg.kind === 'query') {
      const q = this.querier(protocol, src, msg.version, atSec);
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
      return [{ kind: 'query', ...base, group: msg.group, general: msg.general, maxRespSec: msg.maxRespSec }];
    }
    if (msg.kind === 'leave') {
      this.counts.leaves += 1;
      return [{ kind: 'leave', ...base, group: msg.group, self }];
    }
    // IGMPv3 and MLDv2 reports carry source-filter records: TO_IN({}) is a leave.
    const recordReport = protocol === 'igmp' ? msg.version === 3 : msg.version === 2;
    const out: Observation[] = [];
    for (const r of msg.records) {
      if (recordReport && recordIsLeave(r)) {
        this.counts.leaves += 1;
        out.push({ kind: 'leave', ...base, group: r.group, self });
        continue;
      }
      this.counts.reports += 1;
      if (!self) {
        const hosts = this.reported.get(r.group) ?? new Set<string>();
        hosts.add(src);
        this.reported.set(r.group, hosts);
      }
      out.push({ kind: 'report', ...base, group: r.group, record: r.type, self });
    }
    return out;
  }

  private querier(protocol: McastProtocol, address: string, version: ProtocolVersion, atSec: number): QuerierSeen & { lastGeneral?: number } {
    const key = `${protocol} ${address}`;
    let q = this.queriers.get(key);
    if (q === undefined) {
      q = {
        protocol,
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
      this.queriers.set(key, q);
    }
    return q;
  }

  summary(): WatchSummary {
    const queriers = [...this.queriers.values()].map((q) => {
      const { lastGeneral: _lg, ...rest } = q;
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
      mldSeen: this.counts.mld,
    };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
