import { describe, expect, it } from 'vitest';
import { leaveVerdict, membershipVerdict, querierVerdict, snoopingVerdict } from '../../src/igmp/verdict.js';
import type { WatchSummary } from '../../src/igmp/watch.js';

const empty: WatchSummary = { queriers: [], groupQueries: 0, reports: 0, leaves: 0, reportedGroups: {}, packetsSeen: 0, igmpSeen: 0, mldSeen: 0 };
const withQuerier: WatchSummary = {
  ...empty,
  queriers: [
    { protocol: 'igmp', address: '0.0.0.0', version: 3, generalQueries: 4, groupQueries: 0, firstSeenSec: 1, lastSeenSec: 7, maxRespSec: 1, announcedIntervalSec: 2, robustness: 2, intervalsSec: [2, 2, 2], queryIntervalSec: 2 },
  ],
};

describe('querier verdict', () => {
  it('present with address, version, interval', () => {
    const v = querierVerdict(withQuerier, 10);
    expect(v).toMatchObject({ verdict: 'present', querierAddress: '0.0.0.0', igmpVersion: 3, queryIntervalSec: 2, evidence: { generalQueries: 4 } });
    expect(v.explanation).toContain('every 2 s');
  });
  it('absent explains the snooping consequence and the fix, and flags a short watch', () => {
    const v = querierVerdict(empty, 10);
    expect(v.verdict).toBe('absent');
    expect(v.explanation).toContain('260 s');
    expect(v.explanation).toContain('watched only 10 s');
    expect(v.fix).toContain('mcast_querier 1');
    expect(querierVerdict(empty, 300).explanation).not.toContain('watched only');
  });
  it('unknown without a capture', () => {
    expect(querierVerdict(null, 10, 'EPERM').verdict).toBe('unknown');
  });
});

describe('snooping verdict', () => {
  const e = { groupFrames: 0, senderSentSoFar: null, senderSentInWindow: 500, sameMacOtherFrames: 0, sameMacGroups: [], watchedSec: 5 };
  it('filtering when none of N arrived, flooding when some did, unknown when no stream', () => {
    expect(snoopingVerdict(e, '239.1.1.1').verdict).toBe('filtering');
    expect(snoopingVerdict({ ...e, groupFrames: 480, senderSentSoFar: 500 }, '239.1.1.1').verdict).toBe('flooding');
    expect(snoopingVerdict({ ...e, senderSentInWindow: null }, '239.1.1.1').verdict).toBe('unknown');
    expect(snoopingVerdict(e, '239.1.1.1', 'EPERM').verdict).toBe('unknown');
  });
  it('warns about groups sharing the MAC', () => {
    expect(snoopingVerdict({ ...e, sameMacGroups: ['239.129.1.1'] }, '239.1.1.1').warning).toContain('239.129.1.1');
  });
});

describe('membership verdict', () => {
  const base = { received: 1000, senderSentSoFar: 1000, gaps: [], endOfStreamSeen: false, windowSec: 10 };
  it('held, aged-out (resumed or not), unknown', () => {
    expect(membershipVerdict(base, 'g').verdict).toBe('held');
    const lost = membershipVerdict({ ...base, gaps: [{ lostAtSec: 261, resumedAtSec: null, missing: null }] }, 'g');
    expect(lost).toMatchObject({ verdict: 'aged-out', lostAtSec: 261 });
    expect(lost.explanation).toContain('260 s default');
    expect(membershipVerdict({ ...base, gaps: [{ lostAtSec: 5, resumedAtSec: 8, missing: 300 }] }, 'g').explanation).toContain('resumed at 8.0 s');
    expect(membershipVerdict({ ...base, received: 0 }, 'g').verdict).toBe('unknown');
  });
});

describe('leave verdict', () => {
  it('immediate, bounded and never-stopping', () => {
    expect(leaveVerdict({ framesAfterLeave: 0, lastFrameAfterLeaveMs: null, observedAfterLeaveMs: 5000 }).leaveLatencyMs).toBe(0);
    expect(leaveVerdict({ framesAfterLeave: 200, lastFrameAfterLeaveMs: 2012.4, observedAfterLeaveMs: 5000 })).toMatchObject({ leaveLatencyMs: 2012, stillArriving: false });
    expect(leaveVerdict({ framesAfterLeave: 500, lastFrameAfterLeaveMs: 4990, observedAfterLeaveMs: 5000 })).toMatchObject({ stillArriving: true });
  });
});
