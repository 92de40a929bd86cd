#!/usr/bin/env node
/**
 * The bin. Parses the command line, runs one command, and maps every outcome to one line and
 * an exit code. The only place in the project that sets the exit code or ends the process.
 *
 * Exit codes: 0 ok, 1 run failure, 2 bad usage, 3 --max-loss exceeded, 130 second Ctrl-C.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import type { RawOptions } from '../config/validate.js';
import { ConfigError, HarnessError } from '../errors.js';
import type { StopReason } from '../report/model.js';
import * as compare from './commands/compare.js';
import * as doctor from './commands/doctor.js';
import * as findRate from './commands/find-rate.js';
import * as igmp from './commands/igmp.js';
import * as loopback from './commands/loopback.js';
import * as receive from './commands/receive.js';
import * as send from './commands/send.js';
import * as snoopCheck from './commands/snoop-check.js';
import { loadRealEngine, type CliIo, type CommandContext, type Engine } from './context.js';
import { EPILOGUE } from './options.js';
import { oneLine } from './output.js';

interface CommandModule {
  command: string;
  describe: string;
  builder(y: Argv): Argv;
  handler(argv: RawOptions, ctx: CommandContext): Promise<number>;
}

/** Registered explicitly, in help order. */
const COMMANDS: readonly CommandModule[] = [send, receive, loopback, compare, doctor, igmp, snoopCheck, findRate];

export const EXIT = { ok: 0, failure: 1, usage: 2, maxLoss: 3, interrupted: 130 } as const;

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** A command-line error found by the parser (unknown flag, missing value, no command). Exit 2. */
export class UsageError extends HarnessError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}

export type ParseResult =
  | { kind: 'run'; command: CommandModule; argv: RawOptions }
  | { kind: 'print'; text: string };

function flagName(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** yargs' messages, rewritten to name the flag first like every other usage error. */
function usageMessage(message: string, args: readonly string[]): string {
  const names = COMMANDS.map((c) => c.command).join(', ');
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown?.[1] !== undefined) {
    const first = unknown[1].split(', ')[0] ?? '';
    if (args[0] === first) return `unknown command '${first}' (allowed: ${names})`;
    if (args.includes(first)) return `unexpected argument '${first}' (options start with --; see --help)`;
    return `${flagName(first)}: unknown option (see mcastbench ${args[0] ?? ''} --help)`.replace('  ', ' ');
  }
  const missing = /^Not enough arguments following: (.+)$/.exec(message);
  if (missing?.[1] !== undefined) return `${flagName(missing[1])}: needs a value (see --help)`;
  return `${oneLine(message)} (see mcastbench --help)`;
}

function buildParser(width: number): Argv {
  let y = yargs()
    .scriptName('mcastbench')
    .usage('$0 <command> [options]')
    .locale('en')
    .strict()
    .exitProcess(false)
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .epilogue(EPILOGUE)
    .wrap(width)
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .demandCommand(1, `a command is required (allowed: ${COMMANDS.map((c) => c.command).join(', ')})`)
    .fail((message: string | undefined, error: Error | undefined) => {
      throw error ?? new UsageError(message ?? 'invalid command line');
    });
  for (const c of COMMANDS) y = y.command(c.command, c.describe, (b) => c.builder(b));
  return y;
}

/** Parses without running or printing: help and version come back as text. */
export async function parseCommandLine(args: readonly string[], width = 100): Promise<ParseResult> {
  let printed = '';
  let argv: Record<string, unknown>;
  try {
    argv = (await buildParser(width).parseAsync([...args], {}, (_err: unknown, _argv: unknown, output: string) => {
      printed = output;
    })) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof HarnessError && !(e instanceof UsageError)) throw e;
    throw new UsageError(usageMessage(e instanceof Error ? e.message : String(e), args));
  }
  if (printed !== '' || argv.help === true || argv.version === true) return { kind: 'print', text: printed };
  const name = Array.isArray(argv._) ? String(argv._[0]) : '';
  const command = COMMANDS.find((c) => c.command === name);
  if (!command) throw new UsageError(usageMessage(`Unknown argument: ${name}`, args));
  return { kind: 'run', command, argv };
}

/** Error -> (one line, exit code). A stack only for unexpected errors, and only when asked. */
export function describeError(e: unknown, env: CliIo['env']): { text: string; code: number } {
  if (e instanceof ConfigError || e instanceof UsageError) return { text: `mcastbench: ${oneLine(e.message)}\n`, code: EXIT.usage };
  if (e instanceof HarnessError) return { text: `mcastbench: ${oneLine(e.message)}\n`, code: EXIT.failure };
  const message = oneLine(e instanceof Error ? e.message : String(e));
  const stack = env.MCASTBENCH_DEBUG === '1' && e instanceof Error && e.stack ? `${e.stack}\n` : '';
  return { text: `mcastbench: internal error: ${message}\n${stack}`, code: EXIT.failure };
}

export async function main(args: readonly string[], io: CliIo, loadEngine: () => Promise<Engine> = loadRealEngine): Promise<number> {
  let stopActiveRun: ((reason: StopReason) => void) | null = null;
  let interrupts = 0;
  const unsubscribe = io.onSigint(() => {
    interrupts += 1;
    if (interrupts === 1 && stopActiveRun !== null) {
      io.stderr.write('mcastbench: interrupted: finishing and printing what was measured (Ctrl-C again to quit now)\n');
      stopActiveRun('signal');
    } else {
      io.exit(EXIT.interrupted);
    }
  });
  try {
    const parsed = await parseCommandLine(args, Math.min(110, process.stdout.columns ?? 100));
    if (parsed.kind === 'print') {
      io.stdout.write(parsed.text.endsWith('\n') ? parsed.text : `${parsed.text}\n`);
      return EXIT.ok;
    }
    const ctx: CommandContext = { io, loadEngine, setActiveRun: (stop) => (stopActiveRun = stop), args };
    return await parsed.command.handler(parsed.argv, ctx);
  } catch (e) {
    const { text, code } = describeError(e, io.env);
    io.stderr.write(text);
    return code;
  } finally {
    unsubscribe();
  }
}

function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onSigint(listener) {
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
    exit: (code) => process.exit(code),
  };
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    // npm's bin is a symlink: compare real paths.
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2), processIo());
  process.exitCode = code;
  // Safety net: if a stray handle would keep the process alive after the result is printed,
  // leave anyway. unref() means this timer alone never delays a clean exit.
  setTimeout(() => process.exit(code), 2000).unref();
}
