/**
 * `igmp watch` and `snoop-check` when nothing can be captured (the addon pretended absent with
 * MCASTBENCH_NO_NATIVE=1, as on a machine without it): the querier verdict is `unknown` with the
 * reason, --json-stream still gives start, a warning and end, and watch exits 1. Runs the built
 * CLI on lo; nothing is sent.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const NO_NATIVE = { MCASTBENCH_NO_NATIVE: '1' };

function events(stdout: string): Array<{ event: string; data: Record<string, unknown> }> {
  return stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; data: Record<string, unknown> });
}

describe('no capture available', () => {
  it('igmp watch --json-stream: start, warning, end with querier unknown; exit 1', async () => {
    const r = await runCli(['igmp', 'watch', '--interface', 'lo', '--duration', '0.2s', '--json-stream'], 30_000, NO_NATIVE);
    expect(r.code).toBe(1);
    const ev = events(r.stdout);
    expect(ev.map((e) => e.event)).toEqual(['start', 'warning', 'end']);
    expect(ev[0]!.data).toMatchObject({ command: 'igmp watch', interface: 'lo', protocol: 'igmp' });
    const querier = (ev[2]!.data.verdict as { querier: { verdict: string; explanation: string } }).querier;
    expect(querier.verdict).toBe('unknown');
    expect(String(ev[1]!.data.message)).toContain(querier.explanation);
  });

  it('igmp watch --family ipv6, text: the MLD querier is unknown and says why', async () => {
    const r = await runCli(['igmp', 'watch', '--interface', 'lo', '--family', 'ipv6', '--duration', '0.2s'], 30_000, NO_NATIVE);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('igmp watch (MLD) on lo');
    expect(r.stdout).toMatch(/^MLD querier: unknown - MLD not observed: .+$/m);
    expect(r.stderr).toMatch(/^mcastbench: warning: nothing captured: /m);
  });

  it('snoop-check probe --json-stream: snooping and querier unknown, no join attempted', async () => {
    const r = await runCli(['snoop-check', '--role', 'probe', '--group', '239.1.1.1', '--port', '5999', '--interface', 'lo', '--duration', '1s', '--json-stream'], 30_000, NO_NATIVE);
    expect(r.code).toBe(0);
    const ev = events(r.stdout);
    expect(ev[0]).toMatchObject({ event: 'start', data: { role: 'probe', group: '239.1.1.1', family: 4 } });
    expect(ev.some((e) => e.event === 'warning' && String(e.data.message).startsWith('no capture on lo'))).toBe(true);
    expect(ev[ev.length - 1]).toMatchObject({ event: 'end', data: { role: 'probe', verdict: { snooping: 'unknown', querier: 'unknown', membership: 'unknown' } } });
    expect((ev[ev.length - 1]!.data.counts as { senderSentInWindow: number | null }).senderSentInWindow).toBeNull();
  });
});
