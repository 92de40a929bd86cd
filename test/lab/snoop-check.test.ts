/**
 * `mcastbench snoop-check` against the Linux bridge (netlab.md §2): h1 sends, h2 is a member,
 * h3 a probe that never joins. Snooping off -> flooding; snooping + querier -> filtering, member
 * held, querier present; snooping without querier -> flooding, querier absent; query interval
 * longer than a shortened membership interval -> member aged-out; leave latency with and
 * without fastleave.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cliScenarioSkipReason, createLab, sleep, type Lab, type LabOptions } from '../helpers/lab.js';

const skip = cliScenarioSkipReason();
if (skip) console.warn(`[snoop-check lab] skipped: ${skip}`);

const GROUP = '239.1.1.1';
const PORT = '5301';

interface Verdict {
  snooping: string;
  querier: string;
  querierAddress?: string;
  igmpVersion?: number;
  queryIntervalSec?: number | null;
  membership: string;
  lostAtSec?: number;
  leaveLatencyMs: number | null;
  details: { snooping: { explanation: string; evidence?: Record<string, unknown> }; membership: { explanation: string }; leave?: { explanation: string; stillArriving: boolean } };
}
interface Doc {
  end: { verdict: Verdict; counts: Record<string, number | null> };
}

const common = ['--group', GROUP, '--port', PORT, '--interface', 'eth0', '--json'];

async function scenario(lab: Lab, senderSec: number, roles: Array<{ host: string; role: 'member' | 'probe'; args: string[] }>): Promise<Record<string, Doc>> {
  const sender = lab.cli('h1', ['snoop-check', '--role', 'sender', '--duration', `${senderSec}s`, '--rate', '100pps', ...common], { maxMs: (senderSec + 15) * 1000 });
  await sleep(500);
  const runs = roles.map((r) => ({ host: r.host, run: lab.cli(r.host, ['snoop-check', '--role', r.role, ...r.args, ...common], { maxMs: (senderSec + 15) * 1000 }) }));
  const out: Record<string, Doc> = {};
  for (const r of runs) out[r.host] = await r.run.json<Doc>();
  await sender.json();
  return out;
}

describe.skipIf(skip !== null)('mcastbench snoop-check in the namespace lab', () => {
  let lab: Lab | null = null;
  afterEach(async () => {
    await lab?.destroy();
    lab = null;
  });
  const make = async (o: LabOptions): Promise<Lab> => (lab = await createLab({ hosts: 3, ...o }));

  it('snooping off: the probe sees the group (flooding)', { timeout: 40_000 }, async () => {
    const l = await make({ snooping: false });
    const r = await scenario(l, 6, [
      { host: 'h2', role: 'member', args: ['--duration', '4s'] },
      { host: 'h3', role: 'probe', args: ['--duration', '4s'] },
    ]);
    expect(r.h3!.end.verdict.snooping).toBe('flooding');
    expect(r.h3!.end.counts.groupFrames).toBeGreaterThan(200);
    expect(r.h2!.end.verdict.membership).toBe('held');
  });

  it('snooping on + bridge querier: filtering, member held, querier present (v3, ~2 s)', { timeout: 40_000 }, async () => {
    const l = await make({ snooping: true, querier: true, igmpVersion: 3, queryIntervalSec: 2 });
    const r = await scenario(l, 8, [
      { host: 'h2', role: 'member', args: ['--duration', '5s'] },
      { host: 'h3', role: 'probe', args: ['--duration', '5s'] },
    ]);
    const probe = r.h3!.end.verdict;
    expect(probe.snooping).toBe('filtering');
    expect(r.h3!.end.counts.groupFrames).toBe(0);
    expect(r.h3!.end.counts.senderSentInWindow).toBeGreaterThan(200);
    expect(probe).toMatchObject({ querier: 'present', querierAddress: '0.0.0.0', igmpVersion: 3 });
    expect(probe.queryIntervalSec).toBeGreaterThan(1.5);
    expect(probe.queryIntervalSec).toBeLessThan(2.6);
    expect(r.h2!.end.verdict.membership).toBe('held');
  });

  it('snooping on, no querier: querier absent and the Linux bridge floods', { timeout: 40_000 }, async () => {
    const l = await make({ snooping: true, querier: false });
    const r = await scenario(l, 6, [
      { host: 'h2', role: 'member', args: ['--duration', '4s'] },
      { host: 'h3', role: 'probe', args: ['--duration', '4s'] },
    ]);
    expect(r.h3!.end.verdict).toMatchObject({ snooping: 'flooding', querier: 'absent' });
  });

  it('query interval 30 s > membership interval 5 s: the member\'s stream is lost (aged-out)', { timeout: 40_000 }, async () => {
    const l = await make({ snooping: true, querier: true, igmpVersion: 3, membershipIntervalSec: 5, queryIntervalSec: 30 });
    const r = await scenario(l, 20, [{ host: 'h2', role: 'member', args: ['--duration', '18s'] }]);
    const v = r.h2!.end.verdict;
    expect(v.membership).toBe('aged-out');
    expect(v.lostAtSec).toBeGreaterThan(2);
    expect(v.lostAtSec).toBeLessThan(15);
  });

  it('a member frozen for 2 s (SIGSTOP) while the kernel queues the stream: no gap, held', { timeout: 40_000 }, async () => {
    const l = await make({ snooping: true, querier: true, igmpVersion: 3, queryIntervalSec: 2 });
    const sender = l.cli('h1', ['snoop-check', '--role', 'sender', '--duration', '9s', '--rate', '100pps', ...common], { maxMs: 25_000 });
    await sleep(500);
    const member = l.cli('h2', ['snoop-check', '--role', 'member', '--duration', '6s', ...common], { maxMs: 25_000 });
    await l.waitForGroup('h2', GROUP, 10_000);
    await sleep(1500);
    process.kill(member.pid, 'SIGSTOP');
    await sleep(2000);
    process.kill(member.pid, 'SIGCONT');
    const r = await member.json<Doc>();
    await sender.json();
    // Nothing was lost (the datagrams waited in the socket buffer): the 2 s silence is not the switch.
    expect(r.end.counts.gaps).toBe(0);
    expect(r.end.verdict.membership).toBe('held');
    expect(r.end.counts.received).toBeGreaterThan(400);
  });

  it('leave latency: ~2 s of last-member queries without fastleave, near 0 with it', { timeout: 40_000 }, async () => {
    const l = await make({ snooping: true, querier: true, igmpVersion: 3, queryIntervalSec: 2 });
    const slow = await scenario(l, 9, [{ host: 'h2', role: 'member', args: ['--duration', '7s', '--leave-after', '2s'] }]);
    await l.exec('sw', 'bridge', ['link', 'set', 'dev', 'h2', 'fastleave', 'on']);
    const fast = await scenario(l, 9, [{ host: 'h2', role: 'member', args: ['--duration', '7s', '--leave-after', '2s'] }]);
    const s = slow.h2!.end.verdict;
    const f = fast.h2!.end.verdict;
    expect(s.membership).toBe('held');
    expect(s.leaveLatencyMs).toBeGreaterThan(800);
    expect(s.leaveLatencyMs).toBeLessThan(4000);
    expect(s.details.leave?.stillArriving).toBe(false);
    expect(f.leaveLatencyMs).toBeLessThan(400);
  });
});
