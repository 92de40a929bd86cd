/**
 * send --repeat N --gap DUR: runs the same sender N times, one after the other, with DUR of
 * silence between runs. Every run is a fresh runSender, so every run has its own session id:
 * that is how a compare receiver on another node tells the runs apart (no control channel).
 */
import { SCHEMA_VERSION, type SenderRepeatReport, type SenderRunReport, type StopReason } from '../report/model.js';
import type { RunHandle } from './api.js';

export interface RepeatEvents {
  onRunStart?(index: number): void;
  onRunEnd?(index: number, report: SenderRunReport): void;
  /** A gap starts after run `index` (not after the last run). */
  onGap?(index: number, gapSec: number): void;
}

export function runSenderRepeat(runOne: () => RunHandle<SenderRunReport>, repeat: number, gapSec: number, events: RepeatEvents = {}): RunHandle<SenderRepeatReport> {
  let stopped: StopReason | null = null;
  let current: RunHandle<SenderRunReport> | null = null;
  let endGap: (() => void) | null = null;

  const result = (async (): Promise<SenderRepeatReport> => {
    const runs: SenderRunReport[] = [];
    for (let i = 0; i < repeat && stopped === null; i++) {
      events.onRunStart?.(i);
      const h = runOne();
      current = h;
      if (stopped !== null) h.stop(stopped);
      const report = await h.result;
      current = null;
      runs.push(report);
      events.onRunEnd?.(i, report);
      if (i + 1 < repeat && stopped === null && gapSec > 0) {
        events.onGap?.(i, gapSec);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, gapSec * 1000);
          endGap = () => {
            clearTimeout(t);
            resolve();
          };
        });
        endGap = null;
      }
    }
    const last = runs[runs.length - 1];
    return {
      schemaVersion: SCHEMA_VERSION,
      start: { role: 'sender-repeat', repeat, gapSec },
      runs,
      end: {
        role: 'sender-repeat',
        stoppedBy: stopped ?? last?.end.stoppedBy ?? 'signal',
        runsCompleted: runs.length,
        sessionIds: runs.map((r) => r.end.sessionId),
        sentPackets: runs.map((r) => r.end.total.packets),
      },
    };
  })();

  return {
    result,
    stop(reason) {
      if (stopped !== null) return;
      stopped = reason;
      current?.stop(reason);
      endGap?.();
    },
  };
}
