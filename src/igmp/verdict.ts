/**
 * Verdict rules as pure functions of counts and times. Each returns the verdict, a one-line
 * explanation and the evidence it rests on. Timer facts: RFC 3376 §8 (Group Membership
 * Interval = 2 x 125 s + 10 s = 260 s by default) and its MLD twin, RFC 3810 §9 (Multicast
 * Address Listening Interval, the same 260 s); Linux bridge behaviour: netlab.md §2.
 */
import type { GroupFamily } from './group-mac.js';
import type { McastProtocol, WatchSummary } from './watch.js';

export const DEFAULT_QUERY_INTERVAL_SEC = 125;
export const DEFAULT_MEMBERSHIP_INTERVAL_SEC = 260;

export interface QuerierVerdict {
  verdict: 'present' | 'absent' | 'unknown';
  /** Which querier this is about: IGMP (IPv4) or MLD (IPv6). */
  protocol: McastProtocol;
  querierAddress?: string;
  /** IGMP querier: 1..3. */
  igmpVersion?: 1 | 2 | 3;
  /** MLD querier: 1..2. */
  mldVersion?: 1 | 2;
  queryIntervalSec?: number | null;
  maxRespSec?: number;
  explanation: string;
  fix?: string;
  evidence: { generalQueries: number; groupQueries: number; queriers: number; watchedSec: number };
}

const PROTOCOL_NAME: Record<McastProtocol, string> = { igmp: 'IGMP', mld: 'MLD' };

const QUERIER_FIX: Record<McastProtocol, string> = {
  igmp: 'enable an IGMP querier on the VLAN: on the switch or router, or on a Linux bridge: ip link set br0 type bridge mcast_querier 1',
  mld:
    'enable an MLD querier on the VLAN: on the switch or router, or on a Linux bridge: ip link set br0 type bridge mcast_querier 1 ' +
    '(the bridge needs an IPv6 link-local address to query from; mcast_mld_version 2 for MLDv2)',
};

export function querierVerdict(
  s: WatchSummary | null,
  watchedSec: number,
  unavailableReason: string | null = null,
  protocol: McastProtocol = 'igmp',
): QuerierVerdict {
  const name = PROTOCOL_NAME[protocol];
  const mine = s?.queriers.filter((q) => q.protocol === protocol) ?? [];
  const evidence = {
    generalQueries: mine.reduce((n, q) => n + q.generalQueries, 0),
    groupQueries: mine.reduce((n, q) => n + q.groupQueries, 0),
    queriers: mine.length,
    watchedSec,
  };
  if (s === null || unavailableReason !== null) {
    return { verdict: 'unknown', protocol, explanation: `${name} not observed: ${unavailableReason ?? 'no capture'}`, evidence };
  }
  const seen = mine.filter((q) => q.generalQueries > 0).sort((a, b) => b.generalQueries - a.generalQueries);
  const q = seen[0];
  if (q !== undefined) {
    const interval = q.queryIntervalSec;
    const every = interval === null ? 'one general query seen, interval not measured yet' : `general query every ${interval} s`;
    const long =
      interval !== null && interval > DEFAULT_QUERY_INTERVAL_SEC * 1.2
        ? ` (longer than the ${DEFAULT_QUERY_INTERVAL_SEC} s default: memberships shorter than ${(2 * interval).toFixed(0)} s will age out)`
        : '';
    const unaddressed = q.address === '0.0.0.0' ? ' (a bridge querier without an address)' : '';
    const version = protocol === 'igmp' ? { igmpVersion: q.version } : { mldVersion: q.version as 1 | 2 };
    return {
      verdict: 'present',
      protocol,
      querierAddress: q.address,
      ...version,
      queryIntervalSec: interval,
      maxRespSec: q.maxRespSec,
      explanation: `${name}v${q.version} querier ${q.address}${unaddressed}: ${every}, max response ${q.maxRespSec} s${long}`,
      evidence,
    };
  }
  const short =
    watchedSec < DEFAULT_QUERY_INTERVAL_SEC + 5
      ? ` (watched only ${watchedSec} s: a querier at the default ${DEFAULT_QUERY_INTERVAL_SEC} s interval may not have queried yet; watch 130 s to be sure)`
      : '';
  return {
    verdict: 'absent',
    protocol,
    explanation:
      `no ${name} general query in ${watchedSec} s${short}: on a snooping switch memberships then age out about ` +
      `${DEFAULT_MEMBERSHIP_INTERVAL_SEC} s after each join and the stream stops (or the switch floods every port, as the Linux bridge does)`,
    fix: QUERIER_FIX[protocol],
    evidence,
  };
}

export interface ProbeEvidence {
  /** Frames of the group and port seen at this (non-member) interface during the probe window. */
  groupFrames: number;
  /** Largest "packets sent so far" (seq + 1) carried by those frames or the confirm join; null if none. */
  senderSentSoFar: number | null;
  /** Datagrams the sender sent during the probe window, estimated from the confirm join; null if unknown. */
  senderSentInWindow: number | null;
  /** Frames to other groups that share the group's MAC address. */
  sameMacOtherFrames: number;
  sameMacGroups: string[];
  watchedSec: number;
}

export interface SnoopingVerdict {
  verdict: 'filtering' | 'flooding' | 'unknown';
  explanation: string;
  warning?: string;
  evidence: ProbeEvidence;
}

/** Why groups share a MAC, per family (group-mac.ts). */
const OVERLAP_REASON: Record<GroupFamily, string> = {
  4: '32 IPv4 groups per MAC: 01:00:5e + the low 23 bits',
  6: 'IPv6 maps only the low 32 bits of a group to 33:33:xx:xx:xx:xx, RFC 2464',
};

export function snoopingVerdict(e: ProbeEvidence, group: string, unavailableReason: string | null = null): SnoopingVerdict {
  const family: GroupFamily = group.includes(':') ? 6 : 4;
  const warning =
    e.sameMacGroups.length > 0
      ? `groups ${e.sameMacGroups.join(', ')} share ${group}'s MAC address (${OVERLAP_REASON[family]}): a switch that filters by MAC forwards them together, so don't read their frames as flooding`
      : undefined;
  const base = { evidence: e, ...(warning !== undefined ? { warning } : {}) };
  if (unavailableReason !== null) return { verdict: 'unknown', explanation: `cannot count frames at the interface: ${unavailableReason}`, ...base };
  if (e.groupFrames > 0) {
    const of = e.senderSentSoFar !== null ? ` (sender had sent ${e.senderSentSoFar})` : '';
    return {
      verdict: 'flooding',
      explanation: `this host never joined ${group} yet ${e.groupFrames} of its frames reached it${of}: the switch floods the group (snooping off, no querier, or this port is a router port)`,
      ...base,
    };
  }
  if (e.senderSentInWindow !== null && e.senderSentInWindow > 0) {
    return {
      verdict: 'filtering',
      explanation: `saw none of about ${e.senderSentInWindow} datagrams sent to ${group} while probing: the switch forwards the group only to its members (${family === 6 ? 'MLD' : 'IGMP'} snooping works)`,
      ...base,
    };
  }
  return {
    verdict: 'unknown',
    explanation: `saw no frames of ${group}, and no stream was found when joining briefly afterwards: is the sender running on this group and port?`,
    ...base,
  };
}

export interface StreamGap {
  /** Seconds after the join: last datagram before the gap, first one after (null: never resumed). */
  lostAtSec: number;
  resumedAtSec: number | null;
  /** Datagrams the sender sent during the gap (seq jump), when it resumed. */
  missing: number | null;
}

export interface MemberEvidence {
  received: number;
  /** Datagrams the sender had sent by the last one received (seq + 1 of it). */
  senderSentSoFar: number | null;
  gaps: StreamGap[];
  endOfStreamSeen: boolean;
  /** Seconds from the join to the end of the window looked at (leave or end of run). */
  windowSec: number;
}

export interface MembershipVerdict {
  verdict: 'held' | 'aged-out' | 'unknown';
  lostAtSec?: number;
  explanation: string;
  evidence: MemberEvidence;
}

/**
 * @param querier the querier verdict of the same run: a membership that outlives the membership
 * interval with no querier around is not "held" by the switch but flooded, and the explanation
 * says so (the Linux bridge floods without a querier, netlab.md §2).
 */
export function membershipVerdict(e: MemberEvidence, group: string, querier: QuerierVerdict['verdict'] | null = null): MembershipVerdict {
  if (e.received === 0) {
    return { verdict: 'unknown', explanation: `received nothing on ${group}: is the sender running on this group, port and interface?`, evidence: e };
  }
  const gap = e.gaps[0];
  if (gap === undefined) {
    const flooded =
      querier === 'absent' && e.windowSec > DEFAULT_MEMBERSHIP_INTERVAL_SEC
        ? `; no querier was seen, so a snooping switch ages the membership out about ${DEFAULT_MEMBERSHIP_INTERVAL_SEC} s after the join: ` +
          'this network kept forwarding the group anyway (it does not snoop, or it floods without a querier, as the Linux bridge does)'
        : '';
    return {
      verdict: 'held',
      explanation: `the stream kept arriving for ${e.windowSec.toFixed(1)} s after the join (${e.received} datagrams): the membership held${flooded}`,
      evidence: e,
    };
  }
  const how =
    gap.resumedAtSec !== null
      ? `it resumed at ${gap.resumedAtSec.toFixed(1)} s with ${gap.missing ?? '?'} datagrams missed (the sender kept sending; a later query or report re-learned the membership)`
      : 'and never came back while the sender had not ended the stream';
  const gmi = Math.abs(gap.lostAtSec - DEFAULT_MEMBERSHIP_INTERVAL_SEC) < 20 ? ` - the ${DEFAULT_MEMBERSHIP_INTERVAL_SEC} s default membership interval` : '';
  return {
    verdict: 'aged-out',
    lostAtSec: gap.lostAtSec,
    explanation:
      `the stream stopped ${gap.lostAtSec.toFixed(1)} s after the join${gmi}; ${how}: the switch aged the membership out ` +
      'because no querier refreshed it in time (no querier, or a query interval longer than the membership interval)',
    evidence: e,
  };
}

export interface LeaveEvidence {
  framesAfterLeave: number;
  /** ms from the leave to the last frame seen after it. */
  lastFrameAfterLeaveMs: number | null;
  /** ms from the leave to the end of the observation. */
  observedAfterLeaveMs: number;
}

export interface LeaveVerdict {
  leaveLatencyMs: number | null;
  stillArriving: boolean;
  explanation: string;
  evidence: LeaveEvidence;
}

/** Frames still arriving within `quietMs` of the end count as "never stopped". */
export function leaveVerdict(e: LeaveEvidence, quietMs = 1000): LeaveVerdict {
  if (e.framesAfterLeave === 0 || e.lastFrameAfterLeaveMs === null) {
    return { leaveLatencyMs: 0, stillArriving: false, explanation: 'no frame arrived after the leave: immediate (fast leave)', evidence: e };
  }
  const latency = Math.round(e.lastFrameAfterLeaveMs);
  if (e.observedAfterLeaveMs - e.lastFrameAfterLeaveMs < quietMs) {
    return {
      leaveLatencyMs: latency,
      stillArriving: true,
      explanation: `frames still arriving ${latency} ms after the leave, until the end: the switch keeps forwarding (flooding, or the leave was not processed)`,
      evidence: e,
    };
  }
  return {
    leaveLatencyMs: latency,
    stillArriving: false,
    explanation: `frames kept arriving for ${latency} ms after the leave (${e.framesAfterLeave} frames)${latency > 500 ? ': the switch waits for last-member queries; fast leave would stop them at once' : ''}`,
    evidence: e,
  };
}
