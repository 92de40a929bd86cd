/**
 * Receiver worker: owns one socket (opened, bound and joined here, never passed between
 * threads), runs the receive loop, samples the kernel's counters, and posts a snapshot per
 * interval. It never formats or prints.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { initHistograms } from '../stats/histograms.js';
import { ReceiveLoop } from './receive-loop.js';
import { realtimeUs } from './clock.js';
import { selectBackend } from '../transport/select.js';
import { ZERO_SNMP, diffSnmp, readUdpSnmp, readUdpSocket, socketInode, type UdpSnmp } from '../kernel/proc-net.js';
import type { KernelSnapshot, MainToReceiver, ReceiverSnapshot, ReceiverToMain, ReceiverWorkerData } from './messages.js';
import type { DatagramHandler, ReceiverSocket } from '../transport/types.js';

const port = parentPort!;
const data = workerData as ReceiverWorkerData;
const cfg = data.config;
const post = (m: ReceiverToMain): void => port.postMessage(m);

/**
 * One-session mode: how long the session must stay quiet after its last end of stream before
 * the setting ends. The end-of-stream copies go out 5 ms apart, and reordered tail datagrams
 * land within a few ms on any real path; a sender's --gap must exceed this plus the reopen time.
 */
const SESSION_GRACE_US = 250_000;

async function main(): Promise<void> {
  await initHistograms();
  const { backend, reason } = await selectBackend(cfg.backend);
  const sock: ReceiverSocket = await backend.openReceiver({
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
  const loop = new ReceiveLoop(cfg.countFrom, sock.joinedAtUs, data.session);

  // Receive-queue occupancy, sampled every 20 ms: SO_MEMINFO through the addon, else the
  // socket's rx_queue column in /proc/net/udp. The peak since the last snapshot is reported.
  let peakQueue = 0;
  const queueBytes = (): number =>
    typeof sock.rxQueueBytes === 'function' ? sock.rxQueueBytes() : (readUdpSocket(cfg.family, inode)?.rxQueueBytes ?? 0);
  const sampleQueue = (): void => {
    const q = queueBytes();
    if (q > peakQueue) peakQueue = q;
  };
  const kernel = (): KernelSnapshot => {
    const row = readUdpSocket(cfg.family, inode);
    sampleQueue();
    const peak = Math.max(peakQueue, row?.rxQueueBytes ?? 0);
    peakQueue = 0;
    const d = inode > 0 ? diffSnmp(snmpBase, readUdpSnmp(cfg.family)) : { ...ZERO_SNMP };
    return {
      socketDrops: (row?.drops ?? dropsBase) - dropsBase,
      rxQueueBytes: row?.rxQueueBytes ?? 0,
      peakRxQueueBytes: peak,
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
    otherSession: loop.otherSession,
    kernel: kernel(),
  });

  sock.start(cfg.workUsPerPacket > 0 ? slowHandler(loop, cfg.workUsPerPacket) : loop.handle);
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
  timers.push(setInterval(sampleQueue, 20));
  // Until when the receiver stops reading on purpose: that silence is ours, not the sender's.
  let pausedUntilUs = -Infinity;
  if (cfg.pauseSec !== null && cfg.pauseEverySec !== null) {
    timers.push(schedulePauses(sock, loop, cfg.pauseSec, cfg.pauseEverySec, (untilUs) => (pausedUntilUs = untilUs)));
  }
  if (cfg.output.intervalSec > 0) {
    timers.push(
      setInterval(() => {
        if (loop.streamCount > 0 || loop.foreign > 0) post({ type: 'interval', snapshot: snapshot(false) });
      }, cfg.output.intervalSec * 1000),
    );
  }
  let endedPosted = false;
  let sessionEndPosted = false;
  timers.push(
    setInterval(() => {
      if (loop.allEnded && !endedPosted) {
        endedPosted = true;
        post({ type: 'ended' });
      } else if (!loop.allEnded) endedPosted = false;
      const idle = cfg.idleExitSec;
      const now = realtimeUs();
      if (data.session === null) {
        if (idle !== null && loop.allEnded && now - loop.lastDatagramUs >= idle * 1e6) post({ type: 'idle' });
        return;
      }
      if (sessionEndPosted) return;
      // One session per run: its end of stream ends the run; --idle-exit ends a session that
      // fell silent without one (all its end-of-stream copies lost), not counting our pauses.
      const silentUs = now - Math.max(loop.lastDatagramUs, pausedUntilUs);
      if (loop.sessionEnded(now, SESSION_GRACE_US)) {
        sessionEndPosted = true;
        post({ type: 'session-ended' });
      } else if (idle !== null && loop.streamCount > 0 && silentUs >= idle * 1e6) {
        sessionEndPosted = true;
        post({ type: 'idle' });
      }
    }, 50),
  );

  let stopping = false;
  port.on('message', (m: MainToReceiver) => {
    if (m.type !== 'stop' || stopping) return;
    stopping = true;
    for (const t of timers) clearInterval(t);
    void drainQueue(queueBytes, () => realtimeUs() < pausedUntilUs).then(() => {
      // Final kernel read before closing: the socket's drops column disappears with the socket.
      const final = snapshot(true);
      post({ type: 'final', snapshot: final });
      loop.destroy();
      void sock.close().then(() => port.close());
    });
  });
}

/** Longest a stop waits for the kernel's queue to empty before the final count. */
const DRAIN_LIMIT_MS = 1000;

/**
 * Reads what the kernel already accepted before the final count. Without this, a receiver
 * stopped while behind (a duration or Ctrl-C ending a maximum-rate run) leaves datagrams queued:
 * they are neither received nor known lost, and drops among them look unexplained. A paused
 * (slow-receiver) socket is not drained: the user asked it not to read.
 */
async function drainQueue(queueBytes: () => number, paused: () => boolean): Promise<void> {
  const until = performance.now() + DRAIN_LIMIT_MS;
  while (!paused() && performance.now() < until && queueBytes() > 0) {
    await sleep(2);
  }
}

/** A consumer that burns `workUs` of CPU per datagram after counting it. */
function slowHandler(loop: ReceiveLoop, workUs: number): DatagramHandler {
  const workMs = workUs / 1000;
  return (data, offset, length, kernelRxUs, appRxUs, addr, port) => {
    loop.handle(data, offset, length, kernelRxUs, appRxUs, addr, port);
    const until = performance.now() + workMs;
    while (performance.now() < until);
  };
}

/**
 * Stops reading for pauseSec in every pauseEverySec, counted from the first datagram: reading
 * for (every - pause), then paused, and again. The kernel keeps queueing, then drops.
 */
function schedulePauses(sock: ReceiverSocket, loop: ReceiveLoop, pauseSec: number, everySec: number, onPause: (untilUs: number) => void): NodeJS.Timeout {
  let nextPauseUs = NaN;
  return setInterval(() => {
    if (loop.streamCount === 0) return;
    const now = realtimeUs();
    if (nextPauseUs !== nextPauseUs) nextPauseUs = now + (everySec - pauseSec) * 1e6;
    if (now < nextPauseUs) return;
    nextPauseUs += everySec * 1e6;
    onPause(now + pauseSec * 1e6);
    sock.pause();
    setTimeout(() => sock.resume(), pauseSec * 1000);
  }, 5);
}

main().catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  post({ type: 'error', code: err.code ?? 'ERR_RECEIVER', message: err.message ?? String(e) });
});
