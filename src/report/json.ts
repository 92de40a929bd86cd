/**
 * JSON output. The document is the run report itself (no mapping layer: the keys already carry
 * their units); --json-stream writes one {event, data} object per line. Infinity / NaN have no
 * JSON form and become null.
 */
import { SCHEMA_VERSION, type RunReport, type SenderRepeatReport, type StreamEvent } from './model.js';
import type { CompareReport } from '../compare/model.js';

/** What --json prints when the run failed: the error goes inside the document, like iperf3 -J. */
export interface JsonErrorDocument {
  schemaVersion: number;
  error: { code: string; message: string };
  /** Whatever was measured before the failure, if anything. */
  partial?: unknown;
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** The whole report, pretty-printed, newline-terminated. */
export function renderJsonDocument(report: RunReport | SenderRepeatReport | CompareReport | JsonErrorDocument): string {
  return JSON.stringify(report, replacer, 2) + '\n';
}

export function jsonErrorDocument(code: string, message: string, partial?: unknown): JsonErrorDocument {
  return partial === undefined ? { schemaVersion: SCHEMA_VERSION, error: { code, message } } : { schemaVersion: SCHEMA_VERSION, error: { code, message }, partial };
}

/** One NDJSON line (newline-terminated, no inner newlines). */
export function renderJsonEvent(event: StreamEvent): string {
  return JSON.stringify(event, replacer) + '\n';
}
