/**
 * Runs one sender: one worker per stream, all started together, stopped through the shared
 * control word; merges their intervals and results into the sender report.
 */
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { SocketError } from '../errors.js';
import { readSysctlInt, readUdpSnmp } from '../kernel/proc-net.js';
import { SenderAggregator } from '../stats/sender-aggregate.js';
import { initHistograms } from '../stats/histograms.js';
import { sessionIdHex } from '../wire/header.js';
import { SCHEMA_VERSION, type SenderRunReport, type SenderStart, type StopReason } from '../report/model.js';
import { CTRL_STOP, CTRL_WORDS, MESSAGE_VERSION, type SenderReady, type SenderToMain, type SenderWorkerData } from './messages.js';
import { workerUrl } from './worker-url.js';
import { VERSION } from './receiver-run.js';
import type { SenderConfig } from '../config/types.js';
import type { RunHandle, RunHooks } from './api.js';
import { totemRule } from '../profile/result.js';

export function runSender(cfg: SenderConfig, hooks: RunHooks = {}): RunHandle<SenderRunReport> {
  const ctrlBuf = new SharedArrayBuffer(CTRL_WORDS * 4);
  const ctrl = new Int32Array(ctrlBuf);
  const sid = randomBytes(8);
  const sessionHi = sid.readUInt32BE(0);
  const sessionLo = sid.readUInt32BE(4);
  const sessionId = sessionIdHex(sessionHi, sessionLo);
  let stopReason: StopReason | null = null;
  const workers: Worker[] = [];

  const stop = (reason: StopReason): void => {
    if (stopReason !== null) return;
    stopReason = reason;
    Atomics.store(ctrl, CTRL_STOP, 1);
    Atomics.notify(ctrl, CTRL_STOP);
  };

  const result = (async (): Promise<SenderRunReport> => {
    await initHistograms();
    const snmpBefore = readUdpSnmp(cfg.family);
    const readies: SenderReady[] = [];
    let agg: SenderAggregator | null = null;
    let start: SenderStart | null = null;
    let doneCount = 0;
    return await new Promise<SenderRunReport>((resolve, reject) => {
      let settled = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        stop('error');
        for (const w of workers) void w.terminate();
        reject(e);
      };
      for (let i = 0; i < cfg.streams; i++) {
        const workerData: SenderWorkerData = { version: MESSAGE_VERSION, config: cfg, streamId: i + 1, sessionHi, sessionLo, ctrl: ctrlBuf };
        const w = new Worker(workerUrl('sender'), { workerData });
        workers.push(w);
        w.on('message', (m: SenderToMain) => {
          switch (m.type) {
            case 'ready':
              readies.push(m.ready);
              if (readies.length === cfg.streams) {
                const r = readies[0]!;
                const socket = {
                  backend: r.backend,
                  backendReason: r.backendReason,
                  localAddress: r.localAddress,
                  localPort: r.localPort,
                  sndbufRequestedBytes: cfg.sndbufBytes,
                  sndbufGrantedBytes: r.sndbufGrantedBytes,
                  wmemMaxBytes: readSysctlInt('net/core/wmem_max'),
                  pacer: r.pacer,
                  gso: cfg.gso,
                  tos: cfg.tos,
                };
                agg = new SenderAggregator(cfg, socket, sessionId);
                start = { role: 'sender', version: VERSION, timestampUs: Math.round(performance.timeOrigin * 1000 + performance.now() * 1000), sessionId, config: { ...cfg }, socket, warnings: [...cfg.warnings] };
                hooks.onStart?.(start);
                for (const ww of workers) ww.postMessage({ type: 'go' });
              }
              break;
            case 'interval': {
              const iv = agg?.addInterval(m.streamId, m.elapsedSec, m.packets, m.bytes, m.lateBursts);
              if (iv) hooks.onInterval?.(iv);
              break;
            }
            case 'done': {
              for (const iv of agg?.addDone(m.done) ?? []) hooks.onInterval?.(iv);
              doneCount++;
              if (doneCount === cfg.streams && agg && start) {
                const after = readUdpSnmp(cfg.family);
                const kernel = { sndbufErrors: after.sndbufErrors - snmpBefore.sndbufErrors, outDatagrams: after.outDatagrams - snmpBefore.outDatagrams };
                const reason: StopReason = stopReason ?? (cfg.count !== null && m.done.packets >= cfg.count ? 'count' : 'duration');
                const end = agg.end(reason, kernel, start.warnings);
                if (cfg.profile) end.profile = totemRule(cfg.profile);
                settled = true;
                resolve({ schemaVersion: SCHEMA_VERSION, start, intervals: agg.intervals, end });
              }
              break;
            }
            case 'error':
              fail(new SocketError(m.code, m.message));
              break;
          }
        });
        w.on('error', (e) => fail(new SocketError('ERR_SENDER', `sender worker failed: ${e.message}`)));
        w.on('exit', (code) => {
          if (!settled && code !== 0) fail(new SocketError('ERR_SENDER', `sender worker exited with code ${code}`));
        });
      }
    });
  })();
  return { result, stop };
}
