/**
 * Sender worker: one stream, one socket, a dedicated thread so pacing can block in
 * Atomics.wait without stalling anyone else. The main thread stops it through the shared
 * control word (Atomics.store + notify wakes a sleeping pacer at once).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createHistogram, encodeHistogram, initHistograms } from '../stats/histograms.js';
import { atomicsClock, type PacerClock } from './pacer.js';
import { nativeClock, SPIN_NS } from './native-clock.js';
import { NativeAddonError } from '../errors.js';
import { loadNative } from '../transport/native-loader.js';
import { runSendLoop } from './send-loop.js';
import { selectBackend } from '../transport/select.js';
import { CTRL_STOP, type MainToSender, type SenderToMain, type SenderWorkerData } from './messages.js';

const port = parentPort!;
const data = workerData as SenderWorkerData;
const cfg = data.config;
const ctrl = new Int32Array(data.ctrl);
const post = (m: SenderToMain): void => port.postMessage(m);

async function main(): Promise<void> {
  await initHistograms();
  const { backend, reason } = await selectBackend(cfg.backend);
  const sock = await backend.openSender({
    family: cfg.family,
    dest: cfg.dest,
    port: cfg.port,
    isMulticast: cfg.isMulticast,
    ttl: cfg.ttl,
    loop: cfg.loop,
    interface: cfg.interface,
    sndbufBytes: cfg.sndbufBytes,
  });
  if (cfg.tos !== null) {
    if (typeof sock.setTos !== 'function') throw new NativeAddonError('--tos/--dscp: the native backend is not in use, and node:dgram cannot set the TOS byte');
    sock.setTos(cfg.tos);
  }
  if (cfg.gso && typeof sock.sendCopies !== 'function') {
    throw new NativeAddonError('--gso: the native backend is not in use, and node:dgram cannot send UDP GSO');
  }
  // The native backend paces with clock_nanosleep; node:dgram with Atomics.wait + spin.
  const native = backend.name === 'native' ? loadNative().addon : null;
  const clock: PacerClock = native ? nativeClock(native, ctrl, CTRL_STOP) : atomicsClock(ctrl, CTRL_STOP);
  const pacerName = native ? `clock_nanosleep (timer slack 1 ns) + ${SPIN_NS / 1000} us spin (native)` : 'Atomics.wait + 200 us spin';
  await new Promise<void>((resolve) => {
    port.on('message', (m: MainToSender) => {
      if (m.type === 'go') resolve();
    });
    post({
      type: 'ready',
      ready: {
        backend: backend.name,
        backendReason: reason,
        localAddress: sock.localAddress,
        localPort: sock.localPort,
        sndbufGrantedBytes: sock.sndbufGrantedBytes,
        pacer: pacerName,
      },
    });
  });
  const lateness = createHistogram();
  let prev = { packets: 0, bytes: 0, lateBursts: 0 };
  const state = await runSendLoop(
    sock,
    {
      sizeBytes: cfg.sizeBytes,
      burst: cfg.burst,
      burstIntervalNs: cfg.burstIntervalNs,
      count: cfg.count,
      durationSec: cfg.durationSec,
      streamId: data.streamId,
      sessionHi: data.sessionHi,
      sessionLo: data.sessionLo,
      endCopies: cfg.endCopies,
      intervalSec: cfg.output.intervalSec,
      gso: cfg.gso,
    },
    clock,
    () => Atomics.load(ctrl, CTRL_STOP) !== 0,
    lateness,
    (elapsedSec, s) => {
      post({
        type: 'interval',
        streamId: data.streamId,
        elapsedSec,
        packets: s.packets - prev.packets,
        bytes: s.bytes - prev.bytes,
        lateBursts: s.lateBursts - prev.lateBursts,
      });
      prev = { packets: s.packets, bytes: s.bytes, lateBursts: s.lateBursts };
    },
  );
  post({
    type: 'done',
    done: {
      streamId: data.streamId,
      packets: state.packets,
      bytes: state.bytes,
      bursts: state.bursts,
      lateBursts: state.lateBursts,
      sendErrors: sock.sendErrors,
      durationSec: state.durationSec,
      lateness: lateness.totalCount > 0 ? encodeHistogram(lateness) : '',
    },
  });
  lateness.destroy();
  await sock.close();
  port.close();
}

main().catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  post({ type: 'error', code: err.code ?? 'ERR_SENDER', message: err.message ?? String(e) });
});
