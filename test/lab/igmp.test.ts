/**
 * `mcastbench igmp watch` against the Linux bridge's own querier (netlab.md §2): with the querier
 * on (IGMPv3 and IGMPv2, 2 s query interval) it reports `querier: present` with the version and the
 * measured interval; with snooping on and no querier, `absent`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cliScenarioSkipReason, createLab, type Lab } from '../helpers/lab.js';

const skip = cliScenarioSkipReason();
if (skip) console.warn(`[igmp lab] skipped: ${skip}`);

interface WatchDoc {
  observations: Array<{ kind: string; from: string; general?: boolean; group: string }>;
  end: {
    summary: { queriers: Array<{ address: string; version: number; generalQueries: number; queryIntervalSec: number | null; maxRespSec: number }>; reportedGroups: Record<string, string[]> } | null;
    verdict: { querier: { verdict: string; querierAddress?: string; igmpVersion?: number; queryIntervalSec?: number | null; explanation: string } };
    local: { interface: string; groups: string[]; compatMode: string | null; note: string };
  };
}

describe.skipIf(skip !== null)('mcastbench igmp watch in the namespace lab', () => {
  let lab: Lab | null = null;
  afterEach(async () => {
    await lab?.destroy();
    lab = null;
  });

  it('bridge querier on (IGMPv3, 2 s): present, v3, interval ~2 s, and other hosts\' reports', { timeout: 40_000 }, async () => {
    lab = await createLab({ hosts: 2, snooping: true, querier: true, igmpVersion: 3, queryIntervalSec: 2 });
    const doc = await lab.cli('h2', ['igmp', 'watch', '--interface', 'eth0', '--duration', '7s', '--json'], { maxMs: 25_000 }).json<WatchDoc>();
    const q = doc.end.verdict.querier;
    expect(q).toMatchObject({ verdict: 'present', querierAddress: '0.0.0.0', igmpVersion: 3 });
    expect(q.queryIntervalSec).toBeGreaterThan(1.5);
    expect(q.queryIntervalSec).toBeLessThan(2.6);
    // With a querier the bridge sends h1's reports to router ports only, but its own v3 report
    // for 224.0.0.106 (all-snoopers) reaches every host: seen only through AF_PACKET.
    expect(doc.observations.some((o) => o.kind === 'report' && o.group === '224.0.0.106')).toBe(true);
    expect(doc.end.local.note).toContain('not proof');
  });

  it('bridge querier on (IGMPv2): present with version 2', { timeout: 40_000 }, async () => {
    lab = await createLab({ hosts: 2, snooping: true, querier: true, igmpVersion: 2, queryIntervalSec: 2 });
    const doc = await lab.cli('h2', ['igmp', 'watch', '--interface', 'eth0', '--duration', '5s', '--json'], { maxMs: 25_000 }).json<WatchDoc>();
    expect(doc.end.verdict.querier).toMatchObject({ verdict: 'present', igmpVersion: 2 });
    expect(doc.end.summary?.queriers[0]?.maxRespSec).toBeGreaterThan(0);
  });

  it('snooping on, no querier: absent, with what it means', { timeout: 40_000 }, async () => {
    lab = await createLab({ hosts: 2, snooping: true, querier: false });
    const doc = await lab.cli('h2', ['igmp', 'watch', '--interface', 'eth0', '--duration', '4s', '--json'], { maxMs: 25_000 }).json<WatchDoc>();
    expect(doc.end.verdict.querier.verdict).toBe('absent');
    expect(doc.end.verdict.querier.explanation).toContain('age out');
    const text = await lab.cli('h2', ['igmp', 'watch', '--interface', 'eth0', '--duration', '2s'], { maxMs: 25_000 }).done;
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('querier: absent');
    expect(text.stdout).toContain('fix: enable an IGMP querier');
  });
});
