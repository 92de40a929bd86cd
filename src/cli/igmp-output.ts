/**
 * The writer for `igmp watch` and `snoop-check` (output.ts is the engine commands' one): text
 * (result on stdout, live lines and warnings on stderr), one JSON document, or --json-stream
 * events on stdout. The commands build the content; this decides where it goes.
 */
import { readBool, type RawOptions } from '../config/raw-options.js';
import { ConfigError, HarnessError } from '../errors.js';
import { renderIgmpEvent, type IgmpStreamEvent } from '../igmp/events.js';
import type { CliIo } from './context.js';
import { oneLine } from './output.js';

export type IgmpOutputMode = 'text' | 'json' | 'json-stream';

export function readIgmpOutputMode(argv: RawOptions): IgmpOutputMode {
  const json = readBool(argv, 'json');
  const stream = readBool(argv, 'json-stream');
  if (json && stream) {
    throw new ConfigError('--json', 'cannot be combined with --json-stream', 'one of --json (one document) or --json-stream (one event per line)', 'ERR_OPTION_CONFLICT');
  }
  return json ? 'json' : stream ? 'json-stream' : 'text';
}

export interface IgmpOutput {
  readonly mode: IgmpOutputMode;
  /** Written only in json-stream mode. */
  event(e: IgmpStreamEvent): void;
  /** json-stream: a warning event; text: a line on stderr; json: nothing (it is in the document). */
  warn(message: string): void;
  /** Live text line (stderr, text mode only). */
  live(text: string): void;
  /** The run failed: an error event in json-stream mode; main prints the line and exits. */
  fail(error: unknown): void;
}

export function createIgmpOutput(mode: IgmpOutputMode, io: CliIo): IgmpOutput {
  return {
    mode,
    event(e) {
      if (mode === 'json-stream') io.stdout.write(renderIgmpEvent(e));
    },
    warn(message) {
      if (mode === 'json-stream') io.stdout.write(renderIgmpEvent({ event: 'warning', data: { message } }));
      else if (mode === 'text') io.stderr.write(`mcastbench: warning: ${oneLine(message)}\n`);
    },
    live(text) {
      if (mode === 'text') io.stderr.write(text);
    },
    fail(error) {
      if (mode !== 'json-stream') return;
      const code = error instanceof HarnessError ? error.code : 'ERR_INTERNAL';
      const message = oneLine(error instanceof Error ? error.message : String(error));
      io.stdout.write(renderIgmpEvent({ event: 'error', data: { code, message } }));
    },
  };
}
