/**
 * Both ends in one process on the loopback address: the receiver binds first (ephemeral port),
 * the sender targets it, and the receiver stops once every stream's end of stream has arrived
 * (or a short grace after the senders finish, if some end-of-stream datagrams were lost).
 */
import { runReceiver } from './receiver-run.js';
import { runSender } from './sender-run.js';
import { SCHEMA_VERSION, type LoopbackRunReport, type StopReason } from '../report/model.js';
import type { ReceiverConfig, SenderConfig } from '../config/types.js';
import type { RunHandle, RunHooks } from './api.js';
import type { ReceiverReady } from './messages.js';
import { probeTruesize } from '../profile/truesize.js';
import { totemResult } from '../profile/result.js';

const GRACE_MS = 2000;

export function runLoopback(senderCfg: SenderConfig, receiverCfg: ReceiverConfig, hooks: RunHooks = {}): RunHandle<LoopbackRunReport> {
  let stopSender: ((r: StopReason) => void) | null = null;
  let stopped: StopReason | null = null;
  let allEnded = false;
  let sendersDone = false;
  let readyResolve: (r: ReceiverReady) => void = () => undefined;
  const readyP = new Promise<ReceiverReady>((r) => (readyResolve = r));
  const receiver = runReceiver(receiverCfg, hooks, {
    onReady: (r) => readyResolve(r),
    onEnded: () => {
      allEnded = true;
      if (sendersDone) receiver.stop(stopped ?? 'senders-done');
    },
  });

  const result = (async (): Promise<LoopbackRunReport> => {
    // --profile totem: what the kernel charges per datagram here, measured before the traffic starts.
    const profile = senderCfg.profile ?? null;
    const truesize = profile === null ? null : await probeTruesize(senderCfg.family, senderCfg.sizeBytes);
    const ready = await Promise.race([readyP, receiver.result.then(() => null)]);
    if (ready === null) throw new Error('receiver ended before it was ready');
    const sender = runSender({ ...senderCfg, port: ready.localPort }, hooks);
    stopSender = sender.stop;
    if (stopped !== null) sender.stop(stopped);
    let senderReport;
    try {
      senderReport = await sender.result;
    } catch (e) {
      receiver.stop('error');
      await receiver.result.catch(() => undefined);
      throw e;
    }
    sendersDone = true;
    if (allEnded) receiver.stop(stopped ?? 'senders-done');
    const grace = setTimeout(() => receiver.stop(stopped ?? 'senders-done'), GRACE_MS);
    const receiverReport = await receiver.result.finally(() => clearTimeout(grace));
    const end: LoopbackRunReport['end'] = { ...receiverReport.end, sender: senderReport.end };
    if (profile !== null) end.profile = totemResult(profile, end, truesize);
    return {
      schemaVersion: SCHEMA_VERSION,
      start: { role: 'loopback', sender: senderReport.start, receiver: receiverReport.start },
      intervals: [...receiverReport.intervals, ...senderReport.intervals].sort((a, b) => a.endSec - b.endSec),
      end,
    };
  })();

  const stop = (reason: StopReason): void => {
    if (stopped !== null) return;
    stopped = reason;
    if (stopSender) stopSender(reason);
    else receiver.stop(reason);
  };
  return { result, stop };
}
