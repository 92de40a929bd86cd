/**
 * --json-stream for `igmp watch` and `snoop-check` in the namespace lab: stdout is NDJSON only
 * (every line one {event, data} object), `start` first and `end` last with the verdicts, one
 * event per query / report / leave seen (as many as the end summary counts), `counts` once a
 * second from members and probes, `interval` events and the sent total from the sender.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cliScenarioSkipReason, createLab, sleep, type Lab } from '../helpers/lab.js';

const skip = cliScenarioSkipReason();
if (skip) console.warn(`[igmp json-stream lab] skipped: ${skip}`);

interface Event {
  event: string;
  data: Record<string, unknown>;
}

/** Every stdout line as one JSON event; fails on any line that is not. */
function events(stdout: string): Event[] {
  const lines = stdout.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((l) => {
    const e = JSON.parse(l) as Event;
    expect(Object.keys(e).sort()).toEqual(['data', 'event']);
    return e;
  });
}

async function stream(lab: Lab, host: string, args: string[], maxSec: number): Promise<Event[]> {
  const r = await lab.cli(host, [...args, '--json-stream'], { maxMs: maxSec * 1000 }).done;
  expect(r.code, r.stderr).toBe(0);
  return events(r.stdout);
}

describe.skipIf(skip !== null)('--json-stream of igmp watch and snoop-check in the namespace lab', () => {
  let lab: Lab | null = null;
  afterEach(async () => {
    await lab?.destroy();
    lab = null;
  });

  it('igmp watch: start, one event per query and report, end with the querier verdict', { timeout: 40_000 }, async () => {
    lab = await createLab({ hosts: 2, snooping: true, querier: true, igmpVersion: 3, queryIntervalSec: 2 });
    const ev = await stream(lab, 'h2', ['igmp', 'watch', '--interface', 'eth0', '--duration', '5s'], 25);
    expect(ev[0]).toMatchObject({ event: 'start', data: { command: 'igmp watch', interface: 'eth0', protocol: 'igmp', durationSec: 5 } });
    const end = ev[ev.length - 1]!;
    expect(end.event).toBe('end');
    expect(ev.filter((e) => e.event === 'start' || e.event === 'end')).toHaveLength(2);
    const summary = end.data.summary as { queriers: Array<{ generalQueries: number; groupQueries: number }>; reports: number; leaves: number };
    const verdict = (end.data.verdict as { querier: { verdict: string; igmpVersion: number; querierAddress: string } }).querier;
    expect(verdict).toMatchObject({ verdict: 'present', igmpVersion: 3, querierAddress: '0.0.0.0' });
    const queries = ev.filter((e) => e.event === 'query');
    // A 2 s query interval watched for 5 s: at least two general queries, each streamed once.
    expect(queries.filter((e) => e.data.general === true).length).toBeGreaterThanOrEqual(2);
    expect(queries.length).toBe(summary.queriers.reduce((n, q) => n + q.generalQueries + q.groupQueries, 0));
    expect(ev.filter((e) => e.event === 'report').length).toBe(summary.reports);
    expect(ev.filter((e) => e.event === 'leave').length).toBe(summary.leaves);
    // The bridge's own all-snoopers report (224.0.0.106) reaches every host.
    expect(ev.some((e) => e.event === 'report' && e.data.group === '224.0.0.106')).toBe(true);
    for (const e of [...queries, ...ev.filter((x) => x.event === 'report')]) expect(e.data).toMatchObject({ protocol: 'igmp', atSec: expect.any(Number) });
  });

  it('snoop-check over an IPv6 group: sender intervals and total, member and probe counts, MLD queries, verdicts in end', { timeout: 45_000 }, async () => {
    const l = (lab = await createLab({ hosts: 3, ipv6: true, snooping: true, querier: true, mldVersion: 2, queryIntervalSec: 2 }));
    const common = ['--group', 'ff15::4d42:2', '--port', '5312', '--interface', 'eth0'];
    const sender = stream(l, 'h1', ['snoop-check', '--role', 'sender', '--duration', '8s', '--rate', '100pps', ...common], 25);
    await sleep(500);
    const member = stream(l, 'h2', ['snoop-check', '--role', 'member', '--duration', '5s', ...common], 25);
    const probe = stream(l, 'h3', ['snoop-check', '--role', 'probe', '--duration', '5s', ...common], 25);
    const [s, m, p] = [await sender, await member, await probe];

    expect(s[0]).toMatchObject({ event: 'start', data: { role: 'sender', group: 'ff15::4d42:2', family: 6 } });
    const sent = s[s.length - 1]!.data.sent as number;
    expect(s[s.length - 1]).toMatchObject({ event: 'end', data: { role: 'sender' } });
    expect(s.filter((e) => e.event === 'interval').length).toBeGreaterThanOrEqual(5);

    for (const [ev, role] of [[m, 'member'], [p, 'probe']] as const) {
      expect(ev[0]).toMatchObject({ event: 'start', data: { command: 'snoop-check', role } });
      expect(ev[ev.length - 1]).toMatchObject({ event: 'end', data: { role } });
      const counts = ev.filter((e) => e.event === 'counts');
      // Once a second for 5 s (the last tick may race the end).
      expect(counts.length).toBeGreaterThanOrEqual(4);
      expect(counts.length).toBeLessThanOrEqual(6);
      const at = counts.map((c) => c.data.atSec as number);
      expect(at).toEqual([...at].sort((a, b) => a - b));
      // The bridge's MLD queries, streamed as they arrive.
      expect(ev.some((e) => e.event === 'query' && e.data.protocol === 'mld' && e.data.from === l.bridgeLinkLocal())).toBe(true);
    }
    const mEnd = m[m.length - 1]!.data as { verdict: { membership: string; querier: string }; counts: { received: number; senderSentSoFar: number } };
    const received = m.filter((e) => e.event === 'counts').map((c) => c.data.received as number);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(received[received.length - 1]).toBeLessThanOrEqual(mEnd.counts.received);
    expect(mEnd.verdict).toMatchObject({ membership: 'held', querier: 'present' });
    // What the member saw the sender had sent cannot exceed what the sender says it sent.
    expect(mEnd.counts.senderSentSoFar).toBeLessThanOrEqual(sent);
    expect(mEnd.counts.received).toBeGreaterThan(300);
    const pEnd = p[p.length - 1]!.data as { verdict: { snooping: string }; counts: { groupFrames: number } };
    expect(pEnd.verdict.snooping).toBe('filtering');
    expect(p.filter((e) => e.event === 'counts').every((c) => c.data.groupFrames === 0)).toBe(true);
  });
});
