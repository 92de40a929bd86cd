/**
 * The real CLI across a namespace lab: any-source multicast to several members (and nothing to a
 * host that did not join), and source-specific multicast that keeps a second sender out.
 * Ground truth is what the test makes the senders send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverRunReport, SenderRunReport } from '../../src/report/model.js';
import { cliScenarioSkipReason, createLab, startReceiver, startSender, type Lab } from '../helpers/lab.js';

const BIG_BUFFER = ['--rcvbuf', '8M', '--rcvbuf-force'];

const skip = cliScenarioSkipReason();
if (skip) console.warn(`[lab/multicast] skipped: ${skip}`);

const N = 2000;
const SIZE = 200;

describe.skipIf(skip !== null)('multicast across the bridge (real CLI)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await createLab({ hosts: 4 });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  it(`ASM: h1 sends ${N} x ${SIZE} B to 239.77.1.1; members h2 and h3 get all of them, h4 (not joined) none`, async () => {
    const group = '239.77.1.1';
    const port = 5201;
    // Membership is under test here, not buffers (rcvbuf-stall covers those): a forced 8 MiB
    // buffer keeps a busy 2-core CI machine from overflowing the default one.
    const r2 = await startReceiver<ReceiverRunReport>(lab, 'h2', { port, group, args: ['--interface', 'eth0', ...BIG_BUFFER] });
    const r3 = await startReceiver<ReceiverRunReport>(lab, 'h3', { port, group, args: BIG_BUFFER });
    // h4: a socket bound to the port that never joins: the host drops the group's datagrams
    const r4 = await startReceiver<ReceiverRunReport>(lab, 'h4', { port, durationSec: 4, idleExitSec: null });
    const sender = startSender(lab, 'h1', {
      dest: group,
      port,
      count: N,
      sizeBytes: SIZE,
      rate: '2000pps',
      args: ['--interface', 'eth0', '--ttl', '1'],
    });
    const sent = await sender.json<SenderRunReport>();
    expect(sent.end.total.packets).toBe(N);
    expect(sent.end.total.sendErrors).toBe(0);

    for (const [host, r] of [
      ['h2', r2],
      ['h3', r3],
    ] as const) {
      const rep = await r.report();
      const { total, streams } = rep.end;
      expect({ host, packets: total.packets, lost: total.lostPackets, dup: total.duplicatePackets, ooo: total.outOfOrderPackets }).toEqual({
        host,
        packets: N,
        lost: 0,
        dup: 0,
        ooo: 0,
      });
      expect(total.bytes).toBe(N * SIZE);
      expect(total.foreignPackets).toBe(0);
      expect(streams).toHaveLength(1);
      expect(streams[0]!.source.startsWith(`${lab.addr('h1')}:`)).toBe(true);
      expect(streams[0]!.senderPackets).toBe(N);
      expect(streams[0]!.endOfStreamReceived).toBe(true);
      expect(streams[0]!.sessionId).toBe(sent.end.sessionId);
      expect(rep.end.socket.group).toBe(group);
      expect(rep.end.stoppedBy).toBe('idle-exit');
      expect((await r.run.done).code).toBe(0);
    }

    const rep4 = await r4.report();
    expect(rep4.end.total.packets).toBe(0);
    expect(rep4.end.total.foreignPackets).toBe(0);
    expect(rep4.end.streams).toHaveLength(0);
    expect(rep4.end.stoppedBy).toBe('duration');
  }, 40_000);

  it(`SSM: h2 joins (h1, 232.1.1.1); h1 and h3 both send ${N}; h2 reports one stream, from h1, with ${N} packets`, async () => {
    const group = '232.1.1.1';
    const port = 5202;
    const r2 = await startReceiver<ReceiverRunReport>(lab, 'h2', { port, group, source: lab.addr('h1'), args: BIG_BUFFER });
    const fromH1 = startSender(lab, 'h1', { dest: group, port, count: N, sizeBytes: SIZE, rate: '2000pps' });
    const fromH3 = startSender(lab, 'h3', { dest: group, port, count: N, sizeBytes: SIZE, rate: '2000pps' });
    const [s1, s3] = await Promise.all([fromH1.json<SenderRunReport>(), fromH3.json<SenderRunReport>()]);
    expect(s1.end.total.packets).toBe(N);
    expect(s3.end.total.packets).toBe(N);

    const rep = await r2.report();
    expect(rep.end.streams).toHaveLength(1);
    const st = rep.end.streams[0]!;
    expect(st.source.startsWith(`${lab.addr('h1')}:`)).toBe(true);
    expect(st.sessionId).toBe(s1.end.sessionId);
    expect({ packets: st.packets, lost: st.lostPackets, dup: st.duplicatePackets, senderPackets: st.senderPackets }).toEqual({
      packets: N,
      lost: 0,
      dup: 0,
      senderPackets: N,
    });
    expect(rep.end.total.packets).toBe(N);
    expect(rep.end.total.foreignPackets).toBe(0);
    expect(rep.end.socket.source).toBe(lab.addr('h1'));
    expect((await r2.run.done).code).toBe(0);
  }, 40_000);
});
