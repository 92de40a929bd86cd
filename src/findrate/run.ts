/**
 * `find-rate` on one host: per receive-buffer setting, one search, each trial a loopback run
 * (receiver and sender in this process, fresh sockets), one after the other: never in
 * parallel, they would share the CPU and skew each other. Like compare, it never prints.
 */
import type { FindRateConfig, FindRateSetting } from '../config/find-rate.js';
import type { ReceiverConfig, SenderConfig } from '../config/types.js';
import type { RunHandle, RunHooks } from '../engine/api.js';
import { runLoopback } from '../engine/loopback-run.js';
import { SCHEMA_VERSION, type LoopbackRunReport, type StopReason } from '../report/model.js';
import type { FindRateReport, FindRateResult, FindRateTrial } from './model.js';
import { searchThreshold, type SearchOutcome } from './search.js';
import { summarize, type SummaryContext } from './summary.js';
import { measureTrial, trialSender, type TrialPlan } from './trial.js';

export type LoopbackRunner = (sender: SenderConfig, receiver: ReceiverConfig, hooks: RunHooks) => RunHandle<LoopbackRunReport>;

export interface FindRateHooks {
  /** Each trial once judged, with its setting's label and its number within that setting (1-based). */
  onTrial?(label: string, trial: FindRateTrial, index: number): void;
  /** Warnings from the runs (e.g. the kernel granted less than asked), each once. */
  onWarning?(message: string): void;
}

function resultOf(setting: FindRateSetting, granted: number, o: SearchOutcome, c: SummaryContext): FindRateResult {
  const r = {
    label: setting.label,
    rcvbufRequestedBytes: setting.receiver.rcvbufBytes,
    rcvbufGrantedBytes: granted,
    bestPacketsPerSec: o.bestTrial?.packetsPerSec ?? null,
    bestBitsPerSec: o.bestTrial?.bitsPerSec ?? null,
    bestBurst: o.bestTrial?.burst ?? null,
    firstFailPacketsPerSec: o.firstFailTrial?.packetsPerSec ?? null,
    trials: o.trials,
    stoppedBy: o.stoppedBy,
  };
  return { ...r, summary: summarize(r, c, o.bestTrial, o.firstFailTrial) };
}

export function runFindRate(cfg: FindRateConfig, hooks: FindRateHooks = {}, loopback: LoopbackRunner = runLoopback): RunHandle<FindRateReport> {
  let current: RunHandle<unknown> | null = null;
  let stopped: StopReason | null = null;
  const warned = new Set<string>();
  const warn = (message: string): void => {
    if (warned.has(message)) return;
    warned.add(message);
    hooks.onWarning?.(message);
  };
  const plan: TrialPlan = { search: cfg.search, trialSec: cfg.trialSec, sizeBytes: cfg.sizeBytes, burst: cfg.burst, burstIntervalNs: cfg.burstIntervalNs };
  const context: SummaryContext = { search: cfg.search, sizeBytes: cfg.sizeBytes, maxLossPercent: cfg.maxLossPercent, maxTrials: cfg.maxTrials };

  const searchSetting = async (setting: FindRateSetting): Promise<FindRateResult> => {
    let granted: number | null = null;
    const trial = async (value: number): Promise<ReturnType<typeof measureTrial> | null> => {
      if (stopped !== null) return null;
      const h = loopback(trialSender(setting.sender, plan, value), setting.receiver, { onWarning: warn });
      current = h;
      const report = await h.result;
      current = null;
      // A trial cut short by Ctrl-C is not the trial that was asked for: it is not judged.
      if (stopped !== null) return null;
      granted ??= report.end.socket.rcvbufGrantedBytes;
      return measureTrial(report, plan, value);
    };
    const outcome = await searchThreshold(
      { start: cfg.start, ceiling: cfg.ceiling, resolutionPercent: cfg.resolutionPercent, maxLossPercent: cfg.maxLossPercent, integer: cfg.search === 'burst', maxTrials: cfg.maxTrials },
      trial,
      (t, index) => hooks.onTrial?.(setting.label, t, index),
    );
    return resultOf(setting, granted ?? 0, outcome, context);
  };

  const result = (async (): Promise<FindRateReport> => {
    const results: FindRateResult[] = [];
    for (const setting of cfg.settings) {
      if (stopped !== null) break;
      const r = await searchSetting(setting);
      // Interrupted before its first trial finished: nothing was measured for this setting.
      if (r.trials.length > 0) results.push(r);
    }
    return {
      schemaVersion: SCHEMA_VERSION,
      start: { role: 'find-rate', search: cfg.search, settings: cfg.settings.map((s) => s.label), sizeBytes: cfg.sizeBytes, maxLossPercent: cfg.maxLossPercent, trialSec: cfg.trialSec },
      end: { role: 'find-rate', search: cfg.search, maxLossPercent: cfg.maxLossPercent, results },
    };
  })();
  return {
    result,
    stop(reason: StopReason) {
      if (stopped !== null) return;
      stopped = reason;
      current?.stop(reason);
    },
  };
}
