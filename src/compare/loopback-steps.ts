/** compare on one host: each setting is a loopback run (both ends in this process). */
import { runLoopback } from '../engine/loopback-run.js';
import { settingOf, type CompareStep } from './run.js';
import type { ReceiverConfig, SenderConfig } from '../config/types.js';

export interface CompareRun {
  label: string;
  sender: SenderConfig;
  receiver: ReceiverConfig;
}

export function loopbackSteps(runs: CompareRun[]): CompareStep[] {
  return runs.map((run) => ({
    label: run.label,
    start() {
      const h = runLoopback(run.sender, run.receiver, {});
      const row = h.result.then((r) => {
        const s = settingOf(run.label, r.end, r.end.sender.total.packets, r.end.sender.sessionId);
        // --profile totem: the window against this setting's buffer.
        if (r.end.profile?.buffer) s.totem = r.end.profile.buffer;
        return s;
      });
      return { result: row, stop: h.stop };
    },
  }));
}
