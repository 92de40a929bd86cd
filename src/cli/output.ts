/**
 * The one writer. Decides where each piece of a run goes; the renderers decide what it looks
 * like. stdout carries only the result (table, one JSON document, or NDJSON events) so it can
 * be piped; live lines and warnings go to stderr, and never in JSON modes.
 */
import type { OutputOptions } from '../config/types.js';
import type { RunHooks } from '../engine/api.js';
import { HarnessError } from '../errors.js';
import { renderInterval, renderIntervalHeader } from '../report/interval-line.js';
import { jsonErrorDocument, renderJsonDocument, renderJsonEvent } from '../report/json.js';
import type { Interval, ReceiverEnd, ReceiverStart, Role, RunReport, SenderEnd, SenderStart, StreamEvent } from '../report/model.js';
import { renderSummary } from '../report/table.js';
import type { CliIo } from './context.js';

export interface RunOutput {
  readonly hooks: RunHooks;
  /** Warnings found before the run starts (validation). */
  warn(message: string): void;
  finish(report: RunReport): void;
  /** The run failed: in JSON modes the error goes into the JSON; text mode leaves it to main. */
  fail(error: unknown): void;
}

type Mode = 'text' | 'json' | 'json-stream';

function modeOf(o: OutputOptions): Mode {
  return o.json ? 'json' : o.jsonStream ? 'json-stream' : 'text';
}

/** One line, whatever the message contains. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function endEvents(report: RunReport): StreamEvent[] {
  if (report.start.role !== 'loopback') return [{ event: 'end', data: report.end as ReceiverEnd | SenderEnd }];
  const { sender, ...receiver } = report.end as ReceiverEnd & { sender: SenderEnd };
  return [
    { event: 'end', data: sender },
    { event: 'end', data: receiver },
  ];
}

export function createRunOutput(options: OutputOptions, role: Role, io: CliIo): RunOutput {
  const mode = modeOf(options);
  const colour = io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
  const warned = new Set<string>();
  const headerShown = new Set<string>();
  const event = (e: StreamEvent): void => void io.stdout.write(renderJsonEvent(e));

  const warn = (message: string): void => {
    // The same warning can reach us twice (validation, then the start record): say it once.
    if (warned.has(message)) return;
    warned.add(message);
    if (mode === 'text') io.stderr.write(`mcastbench: warning: ${oneLine(message)}\n`);
    else if (mode === 'json-stream') event({ event: 'warning', data: { message } });
  };

  const onInterval = (interval: Interval): void => {
    // --interval 0 means no live reports at all, whatever the engine emits at the end.
    if (options.intervalSec === 0) return;
    if (mode === 'json-stream') return event({ event: 'interval', data: interval });
    if (mode === 'json') return;
    // Loopback prints both ends; a prefix tells their lines apart.
    const prefix = role === 'loopback' ? (interval.role === 'sender' ? 'send ' : 'recv ') : '';
    if (!headerShown.has(interval.role)) {
      headerShown.add(interval.role);
      io.stderr.write(renderIntervalHeader(interval.role, prefix));
    }
    io.stderr.write(renderInterval(interval, prefix));
  };

  const onStart = (start: ReceiverStart | SenderStart): void => {
    if (mode === 'json-stream') event({ event: 'start', data: start });
    for (const w of start.warnings) warn(w);
  };

  return {
    hooks: { onStart, onInterval, onWarning: warn },
    warn,
    finish(report) {
      if (mode === 'json') io.stdout.write(renderJsonDocument(report));
      else if (mode === 'json-stream') endEvents(report).forEach(event);
      else io.stdout.write(renderSummary(report, { colour }));
    },
    fail(error) {
      const code = error instanceof HarnessError ? error.code : 'ERR_INTERNAL';
      const message = oneLine(error instanceof Error ? error.message : String(error));
      if (mode === 'json') io.stdout.write(renderJsonDocument(jsonErrorDocument(code, message)));
      else if (mode === 'json-stream') event({ event: 'error', data: { code, message } });
    },
  };
}
