/**
 * Verdict rules as pure functions of counts and times. Each returns the verdict, a one-line
 * explanation and the evidence it rests on. Timer facts: RFC 3376 §8 (Group Membership
 * Interval = 2 x 125 s + 10 s = 260 s by default); Linux bridge behaviour: netlab.md §2.
 */
import type { WatchSummary } from './watch.js';

export const DEFAULT_QUERY_INTERVAL_SEC = 125;
export const DEFAULT_MEMBERSHIP_INTERVAL_SEC = 260;

export interface QuerierVerdict {
  verdict: 'present' | 'absent' | 'unknown';
  querierAddress?: string;
  igmpVersion?: 1 | 2 | 3;
  queryIntervalSec?: number | null;
  maxRespSec?: number;
  explanation: string;
  fix?: string;
  evidence: { generalQueries: number; groupQueries: number; queriers: number; watchedSec: number };
}

export function querierVerdict(s: WatchSummary | null, watchedSec: number, unavailableReason: string | null = null): QuerierVerdict {
  const evidence = {
    generalQueries: s?.queriers.reduce((n, q) => n + q.generalQueries, 0) ?? 0,
    groupQueries: s?.groupQueries ?? 0,
    queriers: s?.queriers.length ?? 0,
    watchedSec,
  };
  if (s === null || unavailableReason !== null) {
    return { verdict: 'unknown', explanation: `IGMP not observed: ${unavailableReason ?? 'no capture'}`, evidence };
  }
  const seen = s.queriers.filter((q) => q.generalQueries > 0).sort((a, b) => b.generalQueries - a.generalQueries);
  const q = seen[0];
  if (q !== undefined) {
    const interval = q.queryIntervalSec;
    const every = interval === null ? 'one general query seen, interval not measured yet' : `general query every ${interval} s`;
    const long =
      interval !== null && interval > DEFAULT_QUERY_INTERVAL_SEC * 1.2
        ? ` (longer than the ${DEFAULT_QUERY_INTERVAL_SEC} s default: memberships shorter than ${(2 * interval).toFixed(0)} s will age out)`
        : '';
    return {
      verdict: 'present',
      querierAddress: q.address,
      igmpVersion: q.version,
      queryIntervalSec: interval,
      maxRespSec: q.maxRespSec,
      explanation: `IGMPv${q.version} querier ${q.address}${q.address === '0.0.0.0' ? ' (a bridge querier without an address)' : ''}: ${every}, max response ${q.maxRespSec} s${long}`,
      evidence,
    };
  }
  const short =
    watchedSec < DEFAULT_QUERY_INTERVAL_SEC + 5
      ? ` (watched only ${watchedSec} s: a querier at the default ${DEFAULT_QUERY_INTERVAL_SEC} s interval may not have queried yet; watch 130 s to be sure)`
      : '';
  return {
    verdict: 'absent',
    explanation:
      `no IGMP general query in ${watchedSec} s${short}: on a snooping switch memberships then age out about ` +
      `${DEFAULT_MEMBERSHIP_INTERVAL_SEC} s after each join and the stream stops (or the switch floods every port, as the Linux bridge does)`,
    fix: 'enable an IGMP querier on the VLAN: on the switch or router, or on a Linux bridge: ip link set br0 type bridge mcast_querier 1',
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

export function snoopingVerdict(e: ProbeEvidence, group: string, unavailableReason: string | null = null): SnoopingVerdict {
  const warning =
    e.sameMacGroups.length > 0
      ? `groups ${e.sameMacGroups.join(', ')} share ${group}'s MAC address (32 IPv4 groups per MAC): a switch that filters by MAC forwards them together, so don't read their frames as flooding`
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
      explanation: `saw none of about ${e.senderSentInWindow} datagrams sent to ${group} while probing: the switch forwards the group only to its members (IGMP snooping works)`,
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

export function membershipVerdict(e: MemberEvidence, group: string): MembershipVerdict {
  if (e.received === 0) {
    return { verdict: 'unknown', explanation: `received nothing on ${group}: is the sender running on this group, port and interface?`, evidence: e };
  }
  const gap = e.gaps[0];
  if (gap === undefined) {
    return {
      verdict: 'held',
      explanation: `the stream kept arriving for ${e.windowSec.toFixed(1)} s after the join (${e.received} datagrams): the membership held`,
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
