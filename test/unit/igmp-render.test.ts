/**
 * The text renderers of igmp watch and snoop-check (src/igmp/render.ts), fed with verdicts the
 * pure rules build from evidence written here: every verdict kind, the leave latency, the MAC
 * overlap warning (IPv4 and IPv6), the local join state and the live lines.
 */
import { describe, expect, it } from 'vitest';
import type { LocalJoinState } from '../../src/igmp/local.js';
import { renderObservation, renderQuerier, renderVerdicts, renderWatch, type SnoopCheckVerdicts } from '../../src/igmp/render.js';
import { leaveVerdict, membershipVerdict, querierVerdict, snoopingVerdict, type ProbeEvidence } from '../../src/igmp/verdict.js';
import type { WatchSummary } from '../../src/igmp/watch.js';

const empty: WatchSummary = { queriers: [], groupQueries: 0, reports: 0, leaves: 0, reportedGroups: {}, packetsSeen: 0, igmpSeen: 0, mldSeen: 0 };
const querierSeen = { generalQueries: 4, groupQueries: 1, firstSeenSec: 1, lastSeenSec: 7, maxRespSec: 1, announcedIntervalSec: 2, robustness: 2, intervalsSec: [2, 2, 2], queryIntervalSec: 2 };
const igmpSummary: WatchSummary = {
  ...empty,
  queriers: [{ protocol: 'igmp', address: '0.0.0.0', version: 3, ...querierSeen }],
  groupQueries: 1,
  reports: 3,
  leaves: 1,
  reportedGroups: { '239.1.1.1': ['10.0.0.2', '10.0.0.3'] },
  igmpSeen: 9,
};
const mldSummary: WatchSummary = { ...empty, queriers: [{ protocol: 'mld', address: 'fe80::77:1', version: 2, ...querierSeen, groupQueries: 0 }], mldSeen: 4 };

const localIgmp: LocalJoinState = {
  interface: 'eth0',
  protocol: 'igmp',
  groups: ['239.1.1.1', '224.0.0.1'],
  compatMode: 'V3',
  forceIgmpVersion: { all: 0, interface: 2 },
  note: 'the "Querier" column ... not proof that a querier exists',
};
const localMld: LocalJoinState = { interface: 'eth0', protocol: 'mld', groups: [], compatMode: null, forceMldVersion: { all: 0, interface: null }, note: 'igmp6 note' };

const probeEvidence: ProbeEvidence = { groupFrames: 0, senderSentSoFar: null, senderSentInWindow: 480, sameMacOtherFrames: 0, sameMacGroups: [], watchedSec: 5 };
const UNKNOWN = { verdict: 'unknown' as const, explanation: 'not measured by this role' };

function probe(snooping: SnoopCheckVerdicts['snooping'], querier = querierVerdict(igmpSummary, 5)): string {
  return renderVerdicts('probe', { snooping, querier, membership: UNKNOWN, leaveLatencyMs: null }, null);
}

function member(v: Partial<SnoopCheckVerdicts>): string {
  return renderVerdicts('member', { snooping: UNKNOWN, querier: querierVerdict(igmpSummary, 5), membership: UNKNOWN, leaveLatencyMs: null, ...v }, null);
}

describe('querier lines', () => {
  it('present, IGMP: version, address, interval and max response', () => {
    expect(renderQuerier(querierVerdict(igmpSummary, 10))).toBe(
      'querier: present - IGMPv3 querier 0.0.0.0 (a bridge querier without an address): general query every 2 s, max response 1 s\n',
    );
  });
  it('present, MLD: labelled as the MLD querier, link-local address, MLD version', () => {
    expect(renderQuerier(querierVerdict(mldSummary, 10, null, 'mld'))).toBe('MLD querier: present - MLDv2 querier fe80::77:1: general query every 2 s, max response 1 s\n');
  });
  it('present with a long interval warns that shorter memberships age out', () => {
    const slow: WatchSummary = { ...igmpSummary, queriers: [{ ...igmpSummary.queriers[0]!, queryIntervalSec: 300, intervalsSec: [300] }] };
    expect(renderQuerier(querierVerdict(slow, 700))).toContain('longer than the 125 s default: memberships shorter than 600 s will age out');
  });
  it('absent: what it means and the fix on its own line, per protocol', () => {
    const igmp = renderQuerier(querierVerdict(empty, 10)).split('\n');
    expect(igmp[0]).toMatch(/^querier: absent - no IGMP general query in 10 s \(watched only 10 s: .*\): on a snooping switch memberships then age out about 260 s after each join/);
    expect(igmp[1]).toBe('  fix: enable an IGMP querier on the VLAN: on the switch or router, or on a Linux bridge: ip link set br0 type bridge mcast_querier 1');
    const mld = renderQuerier(querierVerdict(igmpSummary, 300, null, 'mld')).split('\n');
    expect(mld[0]).toMatch(/^MLD querier: absent - no MLD general query in 300 s: /);
    expect(mld[1]).toContain('enable an MLD querier');
    expect(mld[1]).toContain('IPv6 link-local address');
  });
  it('unknown: why nothing was observed, no fix', () => {
    expect(renderQuerier(querierVerdict(null, 0, 'AF_PACKET socket on eth0: EPERM (needs root or CAP_NET_RAW)'))).toBe(
      'querier: unknown - IGMP not observed: AF_PACKET socket on eth0: EPERM (needs root or CAP_NET_RAW)\n',
    );
  });
});

describe('snoop-check verdicts', () => {
  it('filtering, flooding and unknown from the probe', () => {
    const filtering = probe(snoopingVerdict(probeEvidence, '239.1.1.1')).split('\n');
    expect(filtering[0]).toBe('snoop-check (probe)');
    expect(filtering[1]).toBe(
      'snooping: filtering - saw none of about 480 datagrams sent to 239.1.1.1 while probing: the switch forwards the group only to its members (IGMP snooping works)',
    );
    expect(filtering[3]).toBe('membership: unknown - not measured by this role');
    expect(probe(snoopingVerdict({ ...probeEvidence, groupFrames: 470, senderSentSoFar: 500 }, '239.1.1.1'))).toContain(
      'snooping: flooding - this host never joined 239.1.1.1 yet 470 of its frames reached it (sender had sent 500): the switch floods the group',
    );
    expect(probe(snoopingVerdict({ ...probeEvidence, senderSentInWindow: null }, '239.1.1.1'))).toContain('snooping: unknown - saw no frames of 239.1.1.1, and no stream was found');
    expect(probe(snoopingVerdict(probeEvidence, '239.1.1.1', 'EPERM'))).toContain('snooping: unknown - cannot count frames at the interface: EPERM');
  });
  it('the MAC overlap warning follows the snooping line: 32:1 for IPv4, low 32 bits for IPv6', () => {
    const v4 = probe(snoopingVerdict({ ...probeEvidence, groupFrames: 10, sameMacGroups: ['224.129.1.1'], sameMacOtherFrames: 10 }, '239.1.1.1')).split('\n');
    expect(v4[1]).toMatch(/^snooping: flooding/);
    expect(v4[2]).toBe(
      "  warning: groups 224.129.1.1 share 239.1.1.1's MAC address (32 IPv4 groups per MAC: 01:00:5e + the low 23 bits): a switch that filters by MAC forwards them together, so don't read their frames as flooding",
    );
    const v6 = probe(snoopingVerdict({ ...probeEvidence, sameMacGroups: ['ff05::4d42:1'] }, 'ff15::4d42:1'), querierVerdict(mldSummary, 5, null, 'mld'));
    expect(v6).toContain("  warning: groups ff05::4d42:1 share ff15::4d42:1's MAC address (IPv6 maps only the low 32 bits of a group to 33:33:xx:xx:xx:xx, RFC 2464)");
    expect(v6).toContain('MLD querier: present');
    expect(v6).toContain('(MLD snooping works)');
    expect(probe(snoopingVerdict(probeEvidence, '239.1.1.1'))).not.toContain('warning');
  });
  it('membership held, aged-out (resumed or not) and unknown', () => {
    const base = { received: 1000, senderSentSoFar: 1000, gaps: [], endOfStreamSeen: false, windowSec: 10 };
    expect(member({ membership: membershipVerdict(base, '239.1.1.1') })).toContain(
      'membership: held - the stream kept arriving for 10.0 s after the join (1000 datagrams): the membership held\n',
    );
    const aged = member({ membership: membershipVerdict({ ...base, gaps: [{ lostAtSec: 261.2, resumedAtSec: null, missing: null }] }, '239.1.1.1') });
    expect(aged).toContain(
      'membership: aged-out - the stream stopped 261.2 s after the join - the 260 s default membership interval; and never came back while the sender had not ended the stream: the switch aged the membership out',
    );
    expect(member({ membership: membershipVerdict({ ...base, gaps: [{ lostAtSec: 5, resumedAtSec: 8, missing: 300 }] }, '239.1.1.1') })).toContain(
      'it resumed at 8.0 s with 300 datagrams missed',
    );
    expect(member({ membership: membershipVerdict({ ...base, received: 0 }, '239.1.1.1') })).toContain('membership: unknown - received nothing on 239.1.1.1');
  });
  it('held past the membership interval with no querier says the network floods', () => {
    const base = { received: 6000, senderSentSoFar: 6000, gaps: [], endOfStreamSeen: false, windowSec: 300 };
    expect(member({ membership: membershipVerdict(base, 'g', 'absent') })).toContain('no querier was seen, so a snooping switch ages the membership out about 260 s');
    expect(member({ membership: membershipVerdict(base, 'g', 'present') })).not.toContain('no querier');
    expect(member({ membership: membershipVerdict({ ...base, windowSec: 30 }, 'g', 'absent') })).not.toContain('no querier');
  });
  it('leave latency: immediate, bounded, still arriving; none without --leave-after', () => {
    const line = (e: Parameters<typeof leaveVerdict>[0]): string | undefined => {
      const leave = leaveVerdict(e);
      return member({ leave, leaveLatencyMs: leave.leaveLatencyMs })
        .split('\n')
        .find((l) => l.startsWith('leave latency'));
    };
    expect(line({ framesAfterLeave: 0, lastFrameAfterLeaveMs: null, observedAfterLeaveMs: 5000 })).toBe('leave latency: 0 ms - no frame arrived after the leave: immediate (fast leave)');
    expect(line({ framesAfterLeave: 200, lastFrameAfterLeaveMs: 2012.4, observedAfterLeaveMs: 5000 })).toBe(
      'leave latency: 2012 ms - frames kept arriving for 2012 ms after the leave (200 frames): the switch waits for last-member queries; fast leave would stop them at once',
    );
    expect(line({ framesAfterLeave: 30, lastFrameAfterLeaveMs: 120, observedAfterLeaveMs: 5000 })).toBe('leave latency: 120 ms - frames kept arriving for 120 ms after the leave (30 frames)');
    expect(line({ framesAfterLeave: 500, lastFrameAfterLeaveMs: 4990, observedAfterLeaveMs: 5000 })).toContain('leave latency: 4990 ms - frames still arriving 4990 ms after the leave, until the end');
    expect(member({})).not.toContain('leave latency');
  });
  it('the local join state, IGMP and MLD', () => {
    const igmp = renderVerdicts('member', { snooping: UNKNOWN, querier: querierVerdict(igmpSummary, 5), membership: UNKNOWN, leaveLatencyMs: null }, localIgmp);
    expect(igmp).toContain('local eth0: joined 239.1.1.1, 224.0.0.1; compatibility mode V3; force_igmp_version all=0 eth0=2\n  note: the "Querier" column');
    const mld = renderVerdicts('member', { snooping: UNKNOWN, querier: querierVerdict(mldSummary, 5, null, 'mld'), membership: UNKNOWN, leaveLatencyMs: null }, localMld);
    expect(mld).toContain('local eth0: joined nothing; force_mld_version all=0 eth0=?\n  note: igmp6 note\n');
  });
});

describe('igmp watch', () => {
  it('live lines for each kind, IGMP and MLD (MLDv1 calls its leave Done)', () => {
    const o = { atSec: 1.5, from: '10.0.0.2', self: false };
    expect(renderObservation({ kind: 'query', protocol: 'igmp', atSec: 1.5, from: '0.0.0.0', version: 3, group: '0.0.0.0', general: true, maxRespSec: 1 })).toBe(
      '   1.50s  IGMPv3 general query from 0.0.0.0, max resp 1 s\n',
    );
    expect(renderObservation({ kind: 'query', protocol: 'mld', atSec: 2, from: 'fe80::1', version: 2, group: 'ff15::1', general: false, maxRespSec: 1 })).toBe(
      '   2.00s  MLDv2 group query ff15::1 from fe80::1, max resp 1 s\n',
    );
    expect(renderObservation({ kind: 'report', protocol: 'igmp', ...o, version: 3, group: '239.1.1.1', record: 'is_ex', self: true })).toBe(
      '   1.50s  IGMPv3 report 239.1.1.1 (is_ex) by 10.0.0.2 (this host)\n',
    );
    expect(renderObservation({ kind: 'leave', protocol: 'igmp', ...o, version: 2, group: '239.1.1.1' })).toBe('   1.50s  IGMPv2 leave 239.1.1.1 by 10.0.0.2\n');
    expect(renderObservation({ kind: 'leave', protocol: 'mld', ...o, from: 'fe80::2', version: 1, group: 'ff15::1' })).toBe('   1.50s  MLDv1 done ff15::1 by fe80::2\n');
    expect(renderObservation({ kind: 'leave', protocol: 'mld', ...o, from: 'fe80::2', version: 2, group: 'ff15::1' })).toBe('   1.50s  MLDv2 leave ff15::1 by fe80::2\n');
  });
  it('the summary: queriers, counts, groups reported by others, the verdict and the local state', () => {
    const text = renderWatch({ interface: 'eth0', protocol: 'igmp', source: 'packet', durationSec: 7, summary: igmpSummary, querier: querierVerdict(igmpSummary, 7), local: localIgmp });
    const lines = text.split('\n');
    expect(lines[0]).toBe('igmp watch (IGMP) on eth0 for 7 s (packet)');
    expect(lines[1]).toBe('  querier 0.0.0.0 IGMPv3: 4 general, 1 group-specific queries; interval 2 s; max resp 1 s; announced 2 s');
    expect(lines[2]).toBe('  reports 3, leaves 1; groups reported by other hosts: 239.1.1.1 (10.0.0.2, 10.0.0.3)');
    expect(lines[3]).toMatch(/^querier: present - IGMPv3 querier 0\.0\.0\.0/);
    const mld = renderWatch({ interface: 'eth0', protocol: 'mld', source: null, durationSec: 0, summary: null, querier: querierVerdict(null, 0, 'no addon', 'mld'), local: localMld });
    expect(mld.split('\n').slice(0, 2)).toEqual(['igmp watch (MLD) on eth0 for 0 s (no capture)', 'MLD querier: unknown - MLD not observed: no addon']);
  });
});
