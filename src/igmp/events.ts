/**
 * --json-stream for `igmp watch` and `snoop-check`: one {event, data} object per line, like the
 * other commands' streams (src/report/json.ts). A stream is `start`, then any number of `query`,
 * `report`, `leave` (each IGMP / MLD message seen), `counts` (snoop-check, once a second),
 * `interval` (the snoop-check sender) and `warning` events, then `end` with the verdicts, or
 * `error` when the run failed.
 */
import type { Interval } from '../report/model.js';
import type { Observation } from './watch.js';

export type IgmpStreamEvent =
  | { event: 'start'; data: Record<string, unknown> }
  | { event: Observation['kind']; data: Observation }
  | { event: 'counts'; data: Record<string, number | null> }
  | { event: 'interval'; data: Interval }
  | { event: 'warning'; data: { message: string } }
  | { event: 'end'; data: Record<string, unknown> }
  | { event: 'error'; data: { code: string; message: string } };

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** One NDJSON line (newline-terminated, no inner newlines). */
export function renderIgmpEvent(e: IgmpStreamEvent): string {
  return JSON.stringify(e, replacer) + '\n';
}

export function observationEvent(o: Observation): IgmpStreamEvent {
  return { event: o.kind, data: o };
}
