/**
 * The engine's public surface: what the CLI (and library users) call. A run reports through
 * hooks while it goes and resolves with the full report; it never prints or exits.
 */
import type { Interval, ReceiverStart, SenderStart, StopReason } from '../report/model.js';

export interface RunHooks {
  onStart?(start: ReceiverStart | SenderStart): void;
  onInterval?(interval: Interval): void;
  onWarning?(message: string): void;
}

export interface RunHandle<R> {
  /** Resolves with the (possibly partial, after stop('signal')) report; rejects on run failure. */
  readonly result: Promise<R>;
  /** Ask the run to end now; the result still resolves with everything measured so far. */
  stop(reason: StopReason): void;
}
