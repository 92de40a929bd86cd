/** A CliIo that records what the CLI writes and exits with, and can deliver a Ctrl-C. */
import type { CliIo } from '../../src/cli/context.js';

export interface FakeIo extends CliIo {
  out: string;
  err: string;
  /** Exit codes passed to io.exit (the second Ctrl-C). */
  exits: number[];
  /** Delivers SIGINT to every listener main() registered. */
  sigint(): void;
}

export function fakeIo(): FakeIo {
  const listeners = new Set<() => void>();
  const io: FakeIo = {
    out: '',
    err: '',
    exits: [],
    stdout: { write: (s: string) => (io.out += s) },
    stderr: { write: (s: string) => (io.err += s) },
    env: {},
    onSigint(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    exit: (code) => void io.exits.push(code),
    sigint: () => listeners.forEach((l) => l()),
  };
  return io;
}
