/**
 * compare between two nodes, for real: a compare receiver in h2 (one receive-buffer setting per
 * sender session) and `send --repeat 2 --gap 2s` in h1, through the lab bridge, unicast and
 * any-source multicast; then the loopback `compare` inside one namespace. The receiver stops
 * reading for 1 s in every 5 s. At the kernel default buffer it must lose datagrams, and the
 * loss must equal its socket's drops and the RcvbufErrors delta this test reads itself from the
 * namespace's /proc/net/snmp (own parser, not the code under test); the forced 26214400 setting
 * (granted 2 x 26214400) must lose none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport, CompareSetting } from '../../src/compare/model.js';
import type { SenderEnd } from '../../src/report/model.js';
import { cliScenarioSkipReason, createLab, startReceiver, waitForLine, type Lab } from '../helpers/lab.js';

const skip = cliScenarioSkipReason();
if (skip) console.warn(`[lab/compare-two-node] skipped: ${skip}`);

const BIG = 26_214_400;
const SLOW_RECEIVER = ['--receiver-pause', '1s', '--pause-every', '5s'];
const TRAFFIC = ['--rate', '10kpps', '--size', '1000', '--duration', '6s'];

describe.skipIf(skip !== null)('compare: default vs forced 26214400 with a receiver stalling 1 s in 5 (real CLI)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await createLab({ hosts: 2 });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  const rcvbufErrors = async (host: string): Promise<number> => (await lab.udpSnmp(host)).RcvbufErrors ?? NaN;

  function show(title: string, rows: CompareSetting[], truth: number[]): void {
    for (const [i, s] of rows.entries()) {
      console.info(
        `[lab/compare-two-node] ${title}: ${s.label} granted ${s.rcvbufGrantedBytes}: sent ${s.sentPackets}, received ${s.packets}, lost ${s.lostPackets}, ` +
          `socket drops ${s.socketDrops}, RcvbufErrors ${s.rcvbufErrors} (namespace delta read by the test: ${truth[i] ?? 'n/a'}), peak queue ${s.peakQueueFraction}, ${s.stoppedBy}`,
      );
    }
  }

  /** The rows every scenario must produce: loss at the default, all of it the socket's; none when forced. */
  function expectAttribution(doc: CompareReport, testDeltas: number[]): void {
    const [def, big] = doc.end.settings;
    expect(doc.end.settings).toHaveLength(2);
    expect(def!.label).toBe('default');
    expect(def!.rcvbufForced).toBe(false);
    expect(def!.lostPackets).toBeGreaterThan(0);
    expect(def!.socketDrops).toBe(def!.lostPackets);
    expect(def!.rcvbufErrors).toBe(def!.lostPackets);
    expect(testDeltas[0]).toBe(def!.lostPackets);
    expect(big!.label).toBe(String(BIG));
    expect(big!.rcvbufForced).toBe(true);
    expect(big!.rcvbufGrantedBytes).toBe(2 * BIG);
    expect(big!.lostPackets).toBe(0);
    expect(big!.socketDrops).toBe(0);
    expect(big!.rcvbufErrors).toBe(0);
    expect(big!.packets).toBe(big!.sentPackets);
    if (testDeltas.length > 1) expect(testDeltas[1]).toBe(0);
    for (const s of doc.end.settings) expect(s.packets + s.lostPackets).toBe(s.sentPackets);
    expect(doc.end.verdict.lines[0]).toContain('all of it receive-buffer overflow on this host');
    expect(doc.end.verdict.winner).toBe(String(BIG));
  }

  async function twoNode(title: string, port: number, group: string | null): Promise<void> {
    const before = await rcvbufErrors('h2');
    const recv = await startReceiver<CompareReport>(lab, 'h2', {
      port,
      ...(group === null ? {} : { group }),
      durationSec: 30,
      idleExitSec: 3,
      args: ['--rcvbuf', `default,${BIG}`, '--rcvbuf-force', ...SLOW_RECEIVER],
    });
    const dest = group ?? lab.addr('h2');
    const target = group === null ? [] : ['--interface', 'eth0', '--ttl', '1'];
    // --json-stream: each run's end event arrives as that run ends, so the test can read h2's
    // counter between the two settings (during the 2 s gap)
    const sender = lab.cli('h1', ['send', '--dest', dest, '--port', String(port), ...target, ...TRAFFIC, '--repeat', '2', '--gap', '2s', '--json-stream'], { maxMs: 60_000 });
    await waitForLine(sender.child, /^\{"event":"end"/, 30_000);
    const between = await rcvbufErrors('h2');
    const sent = await sender.done;
    expect(sent.code, sent.stderr).toBe(0);
    const ends = sent.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; data: SenderEnd }).filter((e) => e.event === 'end').map((e) => e.data);
    expect(ends).toHaveLength(2);
    const doc = await recv.report();
    const r = await recv.run.done;
    expect(r.code, r.stderr).toBe(0);
    const after = await rcvbufErrors('h2');
    const deltas = [between - before, after - between];
    show(title, doc.end.settings, deltas);
    expect(doc.start).toMatchObject({ role: 'compare', mode: 'two-node' });
    doc.end.settings.forEach((s, i) => {
      expect(s.sessionId).toBe(ends[i]!.sessionId);
      expect(s.sentPackets).toBe(ends[i]!.total.packets);
      expect(s.stoppedBy).toBe('end-of-session');
      expect(s.otherSessionPackets).toBe(0);
    });
    expectAttribution(doc, deltas);
  }

  it('unicast h1 -> h2: receive --rcvbuf default,26214400 --rcvbuf-force + send --repeat 2 --gap 2s', async () => {
    await twoNode('unicast', 5301, null);
  }, 60_000);

  it('any-source multicast 239.77.3.1 on the lab bridge: the same, with a leave and a join between settings', async () => {
    await twoNode('ASM', 5302, '239.77.3.1');
  }, 60_000);

  it('loopback compare inside a namespace: the same equalities against that namespace counter', async () => {
    const before = await rcvbufErrors('h1');
    const run = lab.cli('h1', ['compare', '--rcvbuf', `default,${BIG}`, '--rcvbuf-force', ...SLOW_RECEIVER, ...TRAFFIC, '--json'], { maxMs: 60_000 });
    const doc = await run.json<CompareReport>();
    expect((await run.done).code).toBe(0);
    const delta = (await rcvbufErrors('h1')) - before;
    show('loopback', doc.end.settings, [delta]);
    expect(doc.start).toMatchObject({ role: 'compare', mode: 'loopback' });
    for (const s of doc.end.settings) expect(s.stoppedBy).toBe('senders-done');
    // one namespace-wide delta for both settings: the forced one must add nothing to it
    expectAttribution(doc, [delta]);
  }, 60_000);
});
