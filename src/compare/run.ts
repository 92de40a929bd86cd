/**
 * `compare` on one host: the same loopback traffic once per receive-buffer setting, one after
 * the other (never in parallel: they would share CPU and skew each other).
 */
import { runLoopback } from '../engine/loopback-run.js';
import { readSysctlInt } from '../kernel/proc-net.js';
import { SCHEMA_VERSION, type StopReason } from '../report/model.js';
import { compareVerdict } from './verdict.js';
import { totemRule } from '../profile/result.js';
import type { ReceiverConfig, SenderConfig } from '../config/types.js';
import type { RunHandle } from '../engine/api.js';
import type { CompareReport, CompareSetting } from './model.js';

export interface CompareRun {
  label: string;
  sender: SenderConfig;
  receiver: ReceiverConfig;
}

export function runCompare(runs: CompareRun[], maxLossPercent: number, onSetting?: (s: CompareSetting) => void): RunHandle<CompareReport> {
  let current: RunHandle<unknown> | null = null;
  let stopped: StopReason | null = null;
  const result = (async (): Promise<CompareReport> => {
    const settings: CompareSetting[] = [];
    for (const run of runs) {
      if (stopped !== null) break;
      const h = runLoopback(run.sender, run.receiver, {});
      current = h;
      const rep = await h.result;
      const e = rep.end;
      const s: CompareSetting = {
        label: run.label,
        rcvbufRequestedBytes: e.socket.rcvbufRequestedBytes,
        rcvbufGrantedBytes: e.socket.rcvbufGrantedBytes,
        rcvbufForced: e.socket.rcvbufForced,
        sentPackets: e.sender.total.packets,
        packets: e.total.packets,
        lostPackets: e.total.lostPackets,
        lossPercent: e.total.lossPercent,
        rcvbufErrors: e.kernel.rcvbufErrors,
        socketDrops: e.kernel.socketDrops,
        latencyP99Us: e.total.latencyUs.p99,
        peakQueueFraction: e.kernel.peakQueueFraction,
        backend: e.socket.backend,
      };
      if (e.profile?.buffer) s.totem = e.profile.buffer;
      settings.push(s);
      onSetting?.(s);
    }
    const rmemMax = readSysctlInt('net/core/rmem_max');
    const rmemDefault = readSysctlInt('net/core/rmem_default');
    const report: CompareReport = {
      schemaVersion: SCHEMA_VERSION,
      start: { role: 'compare', settings: runs.map((r) => r.label), rmemMaxBytes: rmemMax, rmemDefaultBytes: rmemDefault },
      end: { role: 'compare', settings, verdict: compareVerdict(settings, maxLossPercent, rmemMax, rmemDefault), maxLossPercent },
    };
    const profile = runs[0]?.sender.profile ?? null;
    if (profile !== null) report.end.profile = totemRule(profile);
    return report;
  })();
  return {
    result,
    stop(reason: StopReason) {
      stopped = reason;
      current?.stop(reason);
    },
  };
}
