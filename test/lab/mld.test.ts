/**
 * MLD (IPv6) against the Linux bridge: `igmp watch --family ipv6` sees the bridge's own MLD
 * querier (its one link-local address, the configured MLD version and query interval), and
 * `snoop-check` over an IPv6 group gives `filtering` with snooping + querier, `flooding` with
 * snooping on but no querier (the bridge floods without one), and `flooding` with snooping off. The lab gives every namespace its IPv6 addresses without DAD (lab.ts, ipv6).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cliScenarioSkipReason, createLab, sleep, type Lab, type LabOptions } from '../helpers/lab.js';

const skip = cliScenarioSkipReason();
if (skip) console.warn(`[mld lab] skipped: ${skip}`);

const GROUP = 'ff15::4d42:1';
const PORT = '5311';

interface QuerierJson {
  verdict: string;
  protocol: string;
  querierAddress?: string;
  mldVersion?: number;
  igmpVersion?: number;
  queryIntervalSec?: number | null;
  maxRespSec?: number;
  explanation: string;
}
interface WatchDoc {
  start: { protocol: string };
  observations: Array<{ kind: string; protocol: string; from: string; version: number; group: string; general?: boolean }>;
  end: {
    summary: { queriers: Array<{ protocol: string; address: string; version: number; generalQueries: number; queryIntervalSec: number | null }>; mldSeen: number } | null;
    verdict: { querier: QuerierJson };
    local: { protocol: string; groups: string[] };
  };
}
interface SnoopDoc {
  end: {
    verdict: { snooping: string; querier: string; querierProtocol: string; querierAddress?: string; mldVersion?: number; queryIntervalSec?: number | null; membership: string };
    counts: Record<string, number | null>;
  };
}

const watch = (lab: Lab, host: string, duration: string): Promise<WatchDoc> =>
  lab.cli(host, ['igmp', 'watch', '--interface', 'eth0', '--family', 'ipv6', '--duration', duration, '--json'], { maxMs: 30_000 }).json<WatchDoc>();

describe.skipIf(skip !== null)('MLD in the namespace lab', () => {
  let lab: Lab | null = null;
  afterEach(async () => {
    await lab?.destroy();
    lab = null;
  });
  const make = async (o: LabOptions): Promise<Lab> => (lab = await createLab({ ipv6: true, ...o }));

  it('igmp watch --family ipv6: the bridge\'s MLDv2 querier, its link-local address and 2 s interval', { timeout: 40_000 }, async () => {
    const l = await make({ hosts: 2, snooping: true, querier: true, mldVersion: 2, queryIntervalSec: 2 });
    const doc = await watch(l, 'h2', '7s');
    const q = doc.end.verdict.querier;
    expect(q).toMatchObject({ verdict: 'present', protocol: 'mld', querierAddress: l.bridgeLinkLocal(), mldVersion: 2 });
    expect(q.igmpVersion).toBeUndefined();
    expect(q.queryIntervalSec).toBeGreaterThan(1.5);
    expect(q.queryIntervalSec).toBeLessThan(2.6);
    expect(q.maxRespSec).toBeGreaterThan(0);
    // Only MLD was watched: no IGMP querier sneaks in although the bridge queries IPv4 too.
    expect(doc.end.summary?.queriers.every((x) => x.protocol === 'mld')).toBe(true);
    expect(doc.observations.filter((o) => o.kind === 'query' && o.general).every((o) => o.from === l.bridgeLinkLocal() && o.version === 2)).toBe(true);
    expect(doc.end.local.protocol).toBe('mld');
  });

  it('igmp watch --family ipv6: MLDv1 as configured, and h1\'s reports seen from a router port', { timeout: 40_000 }, async () => {
    const l = await make({ hosts: 2, snooping: true, querier: true, mldVersion: 1, queryIntervalSec: 2 });
    // A snooping bridge sends reports to router ports only: make h2's port one (a monitor port).
    await l.exec('sw', 'bridge', ['link', 'set', 'dev', 'h2', 'mcast_router', '2']);
    const h1LinkLocal = JSON.parse((await l.exec('h1', 'ip', ['-j', '-6', 'addr', 'show', 'dev', 'eth0', 'scope', 'link'])).stdout) as Array<{ addr_info: Array<{ local?: string }> }>;
    // iproute2 6.1 puts an empty {} among addr_info: take the entry that has an address.
    const h1 = h1LinkLocal[0]?.addr_info.find((a) => a.local !== undefined)?.local;
    expect(h1).toMatch(/^fe80:/);
    const doc = await watch(l, 'h2', '5s');
    expect(doc.end.verdict.querier).toMatchObject({ verdict: 'present', protocol: 'mld', querierAddress: l.bridgeLinkLocal(), mldVersion: 1 });
    // h1 answers the v1 queries with MLDv1 reports (RFC 3810 §8.2.1: a v1 query puts it in v1 mode).
    const h1Reports = doc.observations.filter((o) => o.kind === 'report' && o.protocol === 'mld' && o.from === h1);
    expect(h1Reports.length).toBeGreaterThan(0);
    expect(h1Reports.every((o) => o.version === 1)).toBe(true);
  });

  it('igmp watch --family ipv6 with no querier: absent, with the MLD fix', { timeout: 40_000 }, async () => {
    const l = await make({ hosts: 2, snooping: true, querier: false });
    const doc = await watch(l, 'h2', '3s');
    expect(doc.end.verdict.querier).toMatchObject({ verdict: 'absent', protocol: 'mld' });
    expect(doc.end.verdict.querier.explanation).toContain('no MLD general query');
  });

  async function scenario(l: Lab, senderSec: number, probeSec: number): Promise<{ probe: SnoopDoc; member: SnoopDoc }> {
    const common = ['--group', GROUP, '--port', PORT, '--interface', 'eth0', '--json'];
    const sender = l.cli('h1', ['snoop-check', '--role', 'sender', '--duration', `${senderSec}s`, '--rate', '100pps', ...common], { maxMs: (senderSec + 15) * 1000 });
    await sleep(500);
    const member = l.cli('h2', ['snoop-check', '--role', 'member', '--duration', `${probeSec}s`, ...common], { maxMs: (senderSec + 15) * 1000 });
    const probe = l.cli('h3', ['snoop-check', '--role', 'probe', '--duration', `${probeSec}s`, ...common], { maxMs: (senderSec + 15) * 1000 });
    const out = { probe: await probe.json<SnoopDoc>(), member: await member.json<SnoopDoc>() };
    await sender.json();
    return out;
  }

  it('snoop-check over an IPv6 group, snooping + MLD querier: filtering, member held, MLD querier present', { timeout: 45_000 }, async () => {
    const l = await make({ hosts: 3, snooping: true, querier: true, mldVersion: 2, queryIntervalSec: 2 });
    const r = await scenario(l, 8, 5);
    const v = r.probe.end.verdict;
    expect(v.snooping).toBe('filtering');
    expect(r.probe.end.counts.groupFrames).toBe(0);
    expect(r.probe.end.counts.senderSentInWindow).toBeGreaterThan(200);
    expect(v).toMatchObject({ querier: 'present', querierProtocol: 'mld', querierAddress: l.bridgeLinkLocal(), mldVersion: 2 });
    expect(r.member.end.verdict.membership).toBe('held');
    expect(r.member.end.counts.received).toBeGreaterThan(300);
  });

  it('snoop-check over an IPv6 group, snooping on and no querier: MLD querier absent and the Linux bridge floods', { timeout: 45_000 }, async () => {
    const l = await make({ hosts: 3, snooping: true, querier: false });
    const r = await scenario(l, 6, 4);
    expect(r.probe.end.verdict).toMatchObject({ snooping: 'flooding', querier: 'absent', querierProtocol: 'mld' });
    expect(r.probe.end.counts.groupFrames).toBeGreaterThan(200);
  });

  it('snoop-check over an IPv6 group, snooping off: flooding', { timeout: 45_000 }, async () => {
    const l = await make({ hosts: 3, snooping: false });
    const r = await scenario(l, 6, 4);
    expect(r.probe.end.verdict.snooping).toBe('flooding');
    expect(r.probe.end.counts.groupFrames).toBeGreaterThan(200);
    expect(r.member.end.verdict.membership).toBe('held');
  });
});
