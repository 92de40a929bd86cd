/**
 * Runs one receiver: starts the receiver worker, turns its snapshots into interval reports
 * (hooks) and, when stopped (duration, idle-exit, signal, or in one-session mode the end of
 * that session), into the final report.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { SocketError } from '../errors.js';
import { readSysctlInt } from '../kernel/proc-net.js';
import { ReceiverAggregator } from '../stats/receiver-aggregate.js';
import { SCHEMA_VERSION, type ReceiverRunReport, type ReceiverStart, type StopReason } from '../report/model.js';
import { MESSAGE_VERSION, type ReceiverReady, type ReceiverToMain, type ReceiverWorkerData } from './messages.js';
import { workerUrl } from './worker-url.js';
import type { ReceiverConfig } from '../config/types.js';
import type { RunHandle, RunHooks } from './api.js';

export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** For loopback: the coordinator needs the bound port and the moment every stream ended. */
export interface ReceiverInternals {
  onReady?(ready: ReceiverReady): void;
  onEnded?(): void;
  /**
   * One-session mode (compare between two nodes): count only the first sender session seen
   * that is not excluded, and stop with 'end-of-session' once it has ended.
   */
  session?: { excludeSessionIds: string[] };
}

export function runReceiver(cfg: ReceiverConfig, hooks: RunHooks = {}, internals: ReceiverInternals = {}): RunHandle<ReceiverRunReport> {
  const workerData: ReceiverWorkerData = { version: MESSAGE_VERSION, config: cfg, session: internals.session ?? null };
  const worker = new Worker(workerUrl('receiver'), { workerData });
  let stopReason: StopReason | null = null;
  let ready = false;
  let durationTimer: NodeJS.Timeout | null = null;
  let rejectRun: (e: Error) => void = () => undefined;

  const stop = (reason: StopReason): void => {
    if (stopReason !== null) return;
    stopReason = reason;
    if (durationTimer) clearTimeout(durationTimer);
    if (ready) worker.postMessage({ type: 'stop' });
    else {
      void worker.terminate();
      rejectRun(new SocketError('ERR_STOPPED', 'stopped before the receiving socket was ready'));
    }
  };

  const result = new Promise<ReceiverRunReport>((resolve, reject) => {
    rejectRun = reject;
    let agg: ReceiverAggregator | null = null;
    let start: ReceiverStart | null = null;
    let startedAtMs = 0;
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      if (durationTimer) clearTimeout(durationTimer);
      agg?.destroy();
      void worker.terminate();
      reject(e);
    };
    rejectRun = fail;
    worker.on('message', (m: ReceiverToMain) => {
      switch (m.type) {
        case 'ready': {
          ready = true;
          startedAtMs = performance.now();
          const rmemMax = readSysctlInt('net/core/rmem_max');
          agg = new ReceiverAggregator(cfg, m.ready, rmemMax, readSysctlInt('net/core/rmem_default'));
          const warnings = [...cfg.warnings];
          if (agg.socket.rcvbufNote) warnings.push(agg.socket.rcvbufNote);
          start = {
            role: 'receiver',
            version: VERSION,
            timestampUs: Math.round(m.ready.startedAtUs),
            config: { ...cfg },
            socket: agg.socket,
            clockNote: null,
            warnings,
          };
          hooks.onStart?.(start);
          if (agg.socket.rcvbufNote) hooks.onWarning?.(agg.socket.rcvbufNote);
          internals.onReady?.(m.ready);
          if (stopReason !== null) worker.postMessage({ type: 'stop' });
          else if (cfg.durationSec !== null) durationTimer = setTimeout(() => stop('duration'), cfg.durationSec * 1000);
          break;
        }
        case 'interval': {
          const iv = agg?.apply(m.snapshot);
          if (iv) hooks.onInterval?.(iv);
          break;
        }
        case 'ended':
          internals.onEnded?.();
          break;
        case 'idle':
          stop('idle-exit');
          break;
        case 'session-ended':
          stop('end-of-session');
          break;
        case 'final': {
          if (!agg || !start) return fail(new SocketError('ERR_PROTOCOL', 'receiver finished before it was ready'));
          const iv = agg.apply(m.snapshot);
          if (iv) hooks.onInterval?.(iv);
          const end = agg.end(stopReason ?? 'signal', (performance.now() - startedAtMs) / 1000, start.warnings);
          start.clockNote = end.clockNote;
          agg.destroy();
          settled = true;
          resolve({ schemaVersion: SCHEMA_VERSION, start, intervals: agg.intervals, end });
          break;
        }
        case 'error':
          fail(new SocketError(m.code, m.message));
          break;
      }
    });
    worker.on('error', (e) => fail(new SocketError('ERR_RECEIVER', `receiver worker failed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (!settled) fail(new SocketError('ERR_RECEIVER', `receiver worker exited (code ${code}) before finishing`));
    });
  });
  return { result, stop };
}
