/**
 * What a command handler gets besides its argv: where to write, how to reach the engine, and
 * how to hand main its run so Ctrl-C can stop it. Injected so handlers run in tests with fakes
 * and without a process to exit.
 */
import type { ReceiverConfig, SenderConfig } from '../config/types.js';
import type { RunHandle, RunHooks } from '../engine/api.js';
import type { LoopbackRunReport, ReceiverRunReport, SenderRunReport, StopReason } from '../report/model.js';

export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env: Readonly<Record<string, string | undefined>>;
  /** Subscribes to SIGINT; returns the unsubscribe function. */
  onSigint(listener: () => void): () => void;
  /** Ends the process at once with this code (the second Ctrl-C). Only main calls it. */
  exit(code: number): void;
}

export interface Engine {
  runSender(cfg: SenderConfig, hooks: RunHooks): RunHandle<SenderRunReport>;
  runReceiver(cfg: ReceiverConfig, hooks: RunHooks): RunHandle<ReceiverRunReport>;
  runLoopback(sender: SenderConfig, receiver: ReceiverConfig, hooks: RunHooks): RunHandle<LoopbackRunReport>;
}

export interface CommandContext {
  io: CliIo;
  loadEngine(): Promise<Engine>;
  /** Main keeps the running handle's stop so the first Ctrl-C ends the run gracefully. */
  setActiveRun(stop: ((reason: StopReason) => void) | null): void;
  /** The arguments after "mcastbench", as typed (shown in the --report page's header). */
  args?: readonly string[];
}

/**
 * The real engine, loaded only when a run starts: --help, --version and usage errors stay fast
 * and never load worker or native code.
 */
export async function loadRealEngine(): Promise<Engine> {
  const [s, r, l] = await Promise.all([
    import('../engine/sender-run.js'),
    import('../engine/receiver-run.js'),
    import('../engine/loopback-run.js'),
  ]);
  return {
    runSender: (cfg, hooks) => s.runSender(cfg, hooks),
    runReceiver: (cfg, hooks) => r.runReceiver(cfg, hooks),
    runLoopback: (snd, rcv, hooks) => l.runLoopback(snd, rcv, hooks),
  };
}
