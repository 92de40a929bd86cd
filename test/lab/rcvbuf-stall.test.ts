/**
 * Receive-buffer loss, reproduced from outside: the receiver process is frozen with SIGSTOP for
 * 1 s while 10000 datagrams/s arrive. With the default buffer the socket overflows, and every
 * lost datagram must be explained by the kernel's own counters (the socket's drops and the
 * namespace's RcvbufErrors); nothing may be blamed on the path. With a forced 25 MiB buffer
 * nothing is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverRunReport, SenderRunReport } from '../../src/report/model.js';
import { cliScenarioSkipReason, createLab, sleep, startReceiver, startSender, type Lab, type StartedReceiver } from '../helpers/lab.js';

const skip = cliScenarioSkipReason();
if (skip) console.warn(`[lab/rcvbuf-stall] skipped: ${skip}`);

const N = 20_000;
const SIZE = 1000;
const RATE = '10000pps';

describe.skipIf(skip !== null)('receiver stalled by SIGSTOP for 1 s (real CLI)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await createLab({ hosts: 2 });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  /** Streams N from h1 to h2 and freezes the receiver for 1 s from about 0.5 s into the send. */
  async function stalledRun(recv: StartedReceiver<ReceiverRunReport>, dest: string, port: number): Promise<ReceiverRunReport> {
    const before = (await lab.udpSnmp('h2')).InDatagrams ?? 0;
    const sender = startSender(lab, 'h1', { dest, port, count: N, sizeBytes: SIZE, rate: RATE });
    // traffic flows once h2's namespace counts datagrams (the sender's start-up time varies with
    // load); then let it run ~0.5 s before freezing the receiver
    const deadline = Date.now() + 10_000;
    while (((await lab.udpSnmp('h2')).InDatagrams ?? 0) - before < 500) {
      if (Date.now() > deadline) throw new Error(`no traffic reached h2 within 10 s; sender stderr: ${sender.stderr()}`);
      await sleep(10);
    }
    await sleep(450);
    process.kill(recv.run.pid, 'SIGSTOP');
    try {
      await sleep(1000);
    } finally {
      process.kill(recv.run.pid, 'SIGCONT');
    }
    const sent = await sender.json<SenderRunReport>();
    expect(sent.end.total.packets).toBe(N);
    const rep = await recv.report();
    expect((await recv.run.done).code).toBe(0);
    return rep;
  }

  for (const backend of ['auto', 'dgram'] as const) {
    it(`--backend ${backend}, default buffer: lostPackets > 0 and lostPackets == RcvbufErrors == socket drops; nothing lost before the socket`, async () => {
      const port = backend === 'auto' ? 5205 : 5225;
      const recv = await startReceiver<ReceiverRunReport>(lab, 'h2', { port, args: ['--backend', backend] });
      const rep = await stalledRun(recv, lab.addr('h2'), port);
      const { total, kernel, reconciliation } = rep.end;
      console.info(
        `[lab/rcvbuf-stall] backend ${rep.end.socket.backend}, default buffer ${rep.end.socket.rcvbufGrantedBytes} B: lost ${total.lostPackets}, ` +
          `socket drops ${kernel.socketDrops}, RcvbufErrors ${kernel.rcvbufErrors}`,
      );
      expect(rep.end.socket.rcvbufForced).toBe(false);
      expect(total.lostPackets).toBeGreaterThan(0);
      expect(kernel.rcvbufErrors).toBe(total.lostPackets);
      expect(kernel.socketDrops).toBe(total.lostPackets);
      expect(reconciliation.lostBeforeSocket).toBe(0);
      expect(reconciliation.droppedBySocket).toBe(total.lostPackets);
      expect(total.packets + total.lostPackets).toBe(N);
    }, 40_000);

    it(`--backend ${backend}, --rcvbuf 26214400 --rcvbuf-force: nothing lost, and the granted buffer is beyond 2 x rmem_max`, async () => {
      const port = backend === 'auto' ? 5215 : 5235;
      const recv = await startReceiver<ReceiverRunReport>(lab, 'h2', {
        port,
        args: ['--rcvbuf', '26214400', '--rcvbuf-force', '--backend', backend],
        minRcvbufBytes: 26_214_400,
      });
      const rep = await stalledRun(recv, lab.addr('h2'), port);
      const { total, kernel, socket } = rep.end;
      console.info(
        `[lab/rcvbuf-stall] backend ${socket.backend}, forced buffer ${socket.rcvbufGrantedBytes} B (rmem_max ${socket.rmemMaxBytes}, ${socket.rcvbufMethod}): ` +
          `lost ${total.lostPackets}, socket drops ${kernel.socketDrops}`,
      );
      expect(socket.rcvbufForced).toBe(true);
      expect(socket.rmemMaxBytes).not.toBeNull();
      expect(socket.rcvbufGrantedBytes).toBeGreaterThan(socket.rmemMaxBytes! * 2);
      expect(total.lostPackets).toBe(0);
      expect(total.packets).toBe(N);
      expect(kernel.socketDrops).toBe(0);
      expect(kernel.rcvbufErrors).toBe(0);
    }, 40_000);
  }
});
