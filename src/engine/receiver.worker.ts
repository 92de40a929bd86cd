/**
 * Receiver worker: owns one socket (opened, bound and joined here, never passed between
 * threads), runs the receive loop, samples the kernel's counters, and posts a snapshot per
 * interval. It never formats or prints.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initHistograms } from '../stats/histograms.js';
import { ReceiveLoop } from './receive-loop.js';
import { realtimeUs } from './clock.js';
import { resolveBackend } from './backend.js';
import { ZERO_SNMP, diffSnmp, readUdpSnmp, readUdpSocket, socketInode, type UdpSnmp } from '../kernel/proc-net.js';
import type { KernelSnapshot, MainToReceiver, ReceiverSnapshot, ReceiverToMain, ReceiverWorkerData } from './messages.js';
import type { ReceiverSocket } from '../transport/types.js';

const port = parentPort!;
const data = workerData as ReceiverWorkerData;
const cfg = data.config;
const post = (m: ReceiverToMain): void => port.postMessage(m);

async function main(): Promise<void> {
  await initHistograms();
  const { backend, reason } = await resolveBackend(cfg.backend);
  let sock: ReceiverSocket;
  sock = await backend.openReceiver({
    family: cfg.family,
    bind: cfg.bind,
    port: cfg.port,
    group: cfg.group,
    source: cfg.source,
    interface: cfg.interface,
    rcvbufBytes: cfg.rcvbufBytes,
    rcvbufForce: cfg.rcvbufForce,
  });
  const inode = socketInode(sock.fd);
  const snmpBase: UdpSnmp = readUdpSnmp(cfg.family);
  const dropsBase = readUdpSocket(cfg.family, inode)?.drops ?? 0;
  const startedAtUs = realtimeUs();
  const loop = new ReceiveLoop(cfg.countFrom, sock.joinedAtUs);

  const kernel = (): KernelSnapshot => {
    const row = readUdpSocket(cfg.family, inode);
    const d = inode > 0 ? diffSnmp(snmpBase, readUdpSnmp(cfg.family)) : { ...ZERO_SNMP };
    return {
      socketDrops: (row?.drops ?? dropsBase) - dropsBase,
      rxQueueBytes: row?.rxQueueBytes ?? 0,
      rcvbufErrors: d.rcvbufErrors,
      inErrors: d.inErrors,
      inDatagrams: d.inDatagrams,
      noPorts: d.noPorts,
      inCsumErrors: d.inCsumErrors,
    };
  };
  const snapshot = (everything: boolean): ReceiverSnapshot => ({
    elapsedSec: (realtimeUs() - startedAtUs) / 1e6,
    streams: loop.snapshot(everything),
    foreign: loop.foreign,
    invalid: loop.invalid,
    kernel: kernel(),
  });

  sock.start(loop.handle);
  post({
    type: 'ready',
    ready: {
      backend: backend.name,
      backendReason: reason,
      localAddress: sock.localAddress,
      localPort: sock.localPort,
      rcvbufRequestedBytes: sock.rcvbuf.requestedBytes,
      rcvbufGrantedBytes: sock.rcvbuf.grantedBytes,
      rcvbufForced: sock.rcvbuf.forced,
      rcvbufMethod: sock.rcvbuf.method,
      joinedAtUs: sock.joinedAtUs,
      startedAtUs,
    },
  });

  const timers: NodeJS.Timeout[] = [];
  if (cfg.output.intervalSec > 0) {
    timers.push(
      setInterval(() => {
        if (loop.streamCount > 0 || loop.foreign > 0) post({ type: 'interval', snapshot: snapshot(false) });
      }, cfg.output.intervalSec * 1000),
    );
  }
  let endedPosted = false;
  timers.push(
    setInterval(() => {
      if (loop.allEnded && !endedPosted) {
        endedPosted = true;
        post({ type: 'ended' });
      } else if (!loop.allEnded) endedPosted = false;
      const idle = cfg.idleExitSec;
      if (idle !== null && loop.allEnded && realtimeUs() - loop.lastDatagramUs >= idle * 1e6) post({ type: 'idle' });
    }, 50),
  );

  port.on('message', (m: MainToReceiver) => {
    if (m.type !== 'stop') return;
    for (const t of timers) clearInterval(t);
    // Final kernel read before closing: the socket's drops column disappears with the socket.
    const final = snapshot(true);
    post({ type: 'final', snapshot: final });
    loop.destroy();
    void sock.close().then(() => port.close());
  });
}

main().catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  post({ type: 'error', code: err.code ?? 'ERR_RECEIVER', message: err.message ?? String(e) });
});
