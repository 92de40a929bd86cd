/**
 * compare between two nodes, with no control channel: the receiver runs one setting per
 * sender session (`send --repeat N --gap DUR` on the other node). Each setting opens its own
 * socket with its buffer, locks onto the first session it sees that an earlier setting did not
 * measure, and ends with that session's end of stream (stoppedBy 'end-of-session'), or with
 * --idle-exit / --duration as safety bounds.
 */
import { runReceiver } from '../engine/receiver-run.js';
import { settingOf, type CompareStep } from './run.js';
import type { ReceiverConfig } from '../config/types.js';
import type { RunHooks } from '../engine/api.js';
import type { ReceiverReady } from '../engine/messages.js';
import type { ReceiverEnd } from '../report/model.js';

export interface ReceiverSetting {
  label: string;
  receiver: ReceiverConfig;
}

/**
 * What the sender sent, from its end-of-stream counts; for a stream whose end of stream never
 * arrived, what the sequence numbers prove (received plus the gaps).
 */
export function sentBySender(e: ReceiverEnd): number {
  return e.streams.reduce((a, s) => a + (s.senderPackets ?? s.packets - s.duplicatePackets + s.lostPackets), 0);
}

export function twoNodeSteps(settings: ReceiverSetting[], hooks: RunHooks, onListening?: (index: number, ready: ReceiverReady) => void): CompareStep[] {
  return settings.map((setting, index) => ({
    label: setting.label,
    start(done) {
      const excludeSessionIds = done.map((s) => s.sessionId).filter((id): id is string => id !== null);
      const h = runReceiver(setting.receiver, hooks, { session: { excludeSessionIds }, onReady: (r) => onListening?.(index, r) });
      const result = h.result.then((r) => settingOf(setting.label, r.end, sentBySender(r.end), r.end.streams[0]?.sessionId ?? null));
      return { result, stop: h.stop };
    },
  }));
}
