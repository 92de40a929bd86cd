/**
 * Loss and duplication injected by nftables on the sender's eth0 egress (this kernel has no
 * netem). The rules match only data datagrams (UDP length > 100: data are --size 200, i.e. 208
 * bytes with the UDP header; the end-of-stream datagram is 40 + 8), and their counters are the
 * ground truth: the receiver must report exactly what nft dropped or duplicated. The receiver
 * has a forced 8 MiB buffer, so no socket-buffer loss can mix in (checked).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverRunReport, SenderRunReport } from '../../src/report/model.js';
import { cliScenarioSkipReason, createLab, startReceiver, startSender, type Lab } from '../helpers/lab.js';

const skip = cliScenarioSkipReason();
if (skip) console.warn(`[lab/impairments] skipped: ${skip}`);

const N = 10_000;
const SIZE = 200;
const RATE = '5000pps';
const BIG_BUFFER = ['--rcvbuf', '8M', '--rcvbuf-force'];
const TABLE = 'mcbimp';
const DUP_MARK = '0x4e4c';

/** One netdev egress chain on eth0; `rules` are its rule lines. */
function egressTable(rules: string[]): string {
  return `table netdev ${TABLE} {
  chain egress {
    type filter hook egress device "eth0" priority 0; policy accept;
${rules.map((r) => `    ${r}`).join('\n')}
  }
}
`;
}

/** Data datagrams of this run only: nft evaluates left to right, so numgen counts only these. */
const data = (port: number): string => `udp dport ${port} udp length > 100`;

describe.skipIf(skip !== null)('nft-injected loss and duplication (real CLI)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await createLab({ hosts: 2 });
  });

  afterEach(async () => {
    await lab.exec('h1', 'nft', ['delete', 'table', 'netdev', TABLE], { check: false });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  async function runStream(
    port: number,
    dest: string,
    group?: string,
    backend = 'auto',
  ): Promise<{ rep: ReceiverRunReport; sent: SenderRunReport }> {
    const recv = await startReceiver<ReceiverRunReport>(lab, 'h2', {
      port,
      ...(group ? { group } : {}),
      args: [...BIG_BUFFER, '--backend', backend],
      minRcvbufBytes: 8 * 1024 * 1024,
    });
    const sent = await startSender(lab, 'h1', { dest, port, count: N, sizeBytes: SIZE, rate: RATE, args: ['--backend', backend] }).json<SenderRunReport>();
    const rep = await recv.report();
    expect(sent.end.total.packets).toBe(N);
    expect((await recv.run.done).code).toBe(0);
    return { rep, sent };
  }

  function log(what: string, injected: number, rep: ReceiverRunReport): void {
    const t = rep.end.total;
    console.info(
      `[lab/impairments] ${what}: nft ${injected}; receiver (${rep.end.socket.backend}) packets ${t.packets}, ` +
        `lost ${t.lostPackets}, dup ${t.duplicatePackets}, ooo ${t.outOfOrderPackets}, socket drops ${rep.end.kernel.socketDrops}`,
    );
  }

  function expectNoBufferLoss(rep: ReceiverRunReport): void {
    expect(rep.end.kernel.rcvbufErrors).toBe(0);
    expect(rep.end.kernel.socketDrops).toBe(0);
    expect(rep.end.socket.rcvbufForced).toBe(true);
  }

  for (const backend of ['auto', 'dgram']) {
    it(`--backend ${backend}: loss, deterministic: every 50th data datagram of ${N} dropped (multicast) -> lostPackets == nft counter`, async () => {
      const port = backend === 'auto' ? 5203 : 5223;
      const group = '239.77.3.1';
      await lab.nft('h1', egressTable([`${data(port)} counter comment "seen"`, `${data(port)} numgen inc mod 50 == 7 counter drop comment "loss"`]));
      const { rep } = await runStream(port, group, group, backend);
      const seen = await lab.nftCounter('h1', 'seen');
      const dropped = await lab.nftCounter('h1', 'loss');
      log(`every-50th loss, ${backend}`, dropped, rep);
      expect(seen).toBe(N);
      expect(dropped).toBe(N / 50);
      const t = rep.end.total;
      expect({ lost: t.lostPackets, packets: t.packets, dup: t.duplicatePackets, ooo: t.outOfOrderPackets }).toEqual({
        lost: dropped,
        packets: N - dropped,
        dup: 0,
        ooo: 0,
      });
      expect(rep.end.streams[0]!.senderPackets).toBe(N);
      expectNoBufferLoss(rep);
      expect(rep.end.reconciliation.lostBeforeSocket).toBe(dropped);
      expect(rep.end.reconciliation.droppedBySocket).toBe(0);
    });
  }

  it(`loss, random 1% of ${N} (unicast; may hit the first or last datagram) -> lostPackets == nft counter`, async () => {
    const port = 5213;
    await lab.nft('h1', egressTable([`${data(port)} numgen random mod 1000 < 10 counter drop comment "loss"`]));
    const { rep } = await runStream(port, lab.addr('h2'));
    const dropped = await lab.nftCounter('h1', 'loss');
    log('random 1% loss', dropped, rep);
    expect(dropped).toBeGreaterThan(0);
    expect(rep.end.total.lostPackets).toBe(dropped);
    expect(rep.end.total.packets).toBe(N - dropped);
    expect(rep.end.total.duplicatePackets).toBe(0);
    expectNoBufferLoss(rep);
    expect(rep.end.reconciliation.lostBeforeSocket).toBe(dropped);
  });

  for (const backend of ['auto', 'dgram']) {
    it(`--backend ${backend}: duplication, deterministic: every 40th data datagram of ${N} copied (unicast) -> duplicatePackets == nft counter`, async () => {
      const port = backend === 'auto' ? 5204 : 5224;
      await lab.nft(
        'h1',
        egressTable([
          // the copy re-enters this hook: let it through untouched (no dup of a dup)
          `meta mark ${DUP_MARK} counter accept comment "copy"`,
          `${data(port)} numgen inc mod 40 == 5 counter meta mark set ${DUP_MARK} dup to "eth0" comment "dup"`,
        ]),
      );
      const { rep } = await runStream(port, lab.addr('h2'), undefined, backend);
      const duplicated = await lab.nftCounter('h1', 'dup');
      log(`every-40th duplication, ${backend}`, duplicated, rep);
      expect(duplicated).toBe(N / 40);
      expect(await lab.nftCounter('h1', 'copy')).toBe(duplicated);
      const t = rep.end.total;
      // packets counts every data datagram that arrived, copies included
      expect({ dup: t.duplicatePackets, lost: t.lostPackets, packets: t.packets, ooo: t.outOfOrderPackets }).toEqual({
        dup: duplicated,
        lost: 0,
        packets: N + duplicated,
        ooo: 0,
      });
      expectNoBufferLoss(rep);
    });
  }

  it(`duplication, random 2% of ${N} (multicast) -> duplicatePackets == nft counter`, async () => {
    const port = 5214;
    const group = '239.77.3.2';
    await lab.nft(
      'h1',
      egressTable([
        `meta mark ${DUP_MARK} accept`,
        `${data(port)} numgen random mod 1000 < 20 counter meta mark set ${DUP_MARK} dup to "eth0" comment "dup"`,
      ]),
    );
    const { rep } = await runStream(port, group, group);
    const duplicated = await lab.nftCounter('h1', 'dup');
    log('random 2% duplication', duplicated, rep);
    expect(duplicated).toBeGreaterThan(0);
    expect(rep.end.total.duplicatePackets).toBe(duplicated);
    expect(rep.end.total.lostPackets).toBe(0);
    expectNoBufferLoss(rep);
  });
});
