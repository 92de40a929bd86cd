/**
 * The compare runner, whatever produces the traffic: one run per receive-buffer setting, one
 * after the other (never in parallel: they would share CPU and skew each other), each turned
 * into a row, then the verdict. Loopback (loopback-steps.ts) and two-node (two-node-steps.ts)
 * differ only in how a setting's run starts.
 */
import { readSysctlInt } from '../kernel/proc-net.js';
import { SCHEMA_VERSION, type ReceiverEnd, type StopReason } from '../report/model.js';
import { compareVerdict } from './verdict.js';
import { totemRule } from '../profile/result.js';
import type { TotemProfileConfig } from '../config/types.js';
import type { RunHandle } from '../engine/api.js';
import type { CompareMode, CompareReport, CompareSetting } from './model.js';

/** One setting's run. */
export interface CompareStep {
  label: string;
  /** Starts the run; `done` holds the rows of the settings measured before this one. */
  start(done: readonly CompareSetting[]): RunHandle<CompareSetting>;
}

/** A row from a receiver's end and what the sender says it sent. */
export function settingOf(label: string, e: ReceiverEnd, sentPackets: number, sessionId: string | null): CompareSetting {
  return {
    label,
    rcvbufRequestedBytes: e.socket.rcvbufRequestedBytes,
    rcvbufGrantedBytes: e.socket.rcvbufGrantedBytes,
    rcvbufForced: e.socket.rcvbufForced,
    sentPackets,
    packets: e.total.packets,
    lostPackets: e.total.lostPackets,
    lossPercent: e.total.lossPercent,
    rcvbufErrors: e.kernel.rcvbufErrors,
    socketDrops: e.kernel.socketDrops,
    latencyP99Us: e.total.latencyUs.p99,
    peakQueueFraction: e.kernel.peakQueueFraction,
    backend: e.socket.backend,
    sessionId,
    otherSessionPackets: e.total.otherSessionPackets,
    stoppedBy: e.stoppedBy,
  };
}

export function runCompare(
  mode: CompareMode,
  steps: CompareStep[],
  maxLossPercent: number,
  onSetting?: (s: CompareSetting) => void,
  profile: TotemProfileConfig | null = null,
): RunHandle<CompareReport> {
  let current: RunHandle<unknown> | null = null;
  let stopped: StopReason | null = null;
  const result = (async (): Promise<CompareReport> => {
    const settings: CompareSetting[] = [];
    for (const step of steps) {
      if (stopped !== null) break;
      const h = step.start(settings);
      current = h;
      const s = await h.result;
      current = null;
      settings.push(s);
      onSetting?.(s);
    }
    const rmemMax = readSysctlInt('net/core/rmem_max');
    const rmemDefault = readSysctlInt('net/core/rmem_default');
    const notRun = steps.slice(settings.length).map((s) => s.label);
    const report: CompareReport = {
      schemaVersion: SCHEMA_VERSION,
      start: { role: 'compare', mode, settings: steps.map((r) => r.label), rmemMaxBytes: rmemMax, rmemDefaultBytes: rmemDefault },
      end: { role: 'compare', settings, verdict: compareVerdict(settings, maxLossPercent, rmemMax, rmemDefault, notRun), maxLossPercent },
    };
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
