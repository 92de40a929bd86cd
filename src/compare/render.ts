/** The compare table and verdict as text: pure. */
import Table from 'cli-table3';
import { formatBytes, formatInteger, formatPercent } from '../report/format.js';
import { settingName } from './verdict.js';
import type { CompareReport } from './model.js';
import { renderTotemSettingLine, ruleLine } from '../report/totem.js';

/** --profile totem: the rule once, then one line per setting: did one window survive its buffer? */
function totemLines(r: CompareReport): string[] {
  const p = r.end.profile;
  if (!p) return [];
  const lines = [`Totem: ${ruleLine(p)}`];
  for (const s of r.end.settings) {
    if (s.totem) lines.push(renderTotemSettingLine(p, settingName(s, r.start.rmemDefaultBytes) + (s.rcvbufForced ? ' (forced)' : ''), s.totem));
  }
  return lines;
}

export function renderCompare(r: CompareReport): string {
  const t = new Table({
    head: ['Setting', 'Requested', 'Granted', 'Sent', 'Received', 'Lost', 'Lost %', 'RcvbufErrors', 'Socket drops', 'Lat p99 us', 'Peak queue'],
    style: { head: [], border: [], compact: true },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  for (const s of r.end.settings) {
    t.push([
      settingName(s, r.start.rmemDefaultBytes) + (s.rcvbufForced ? ' (forced)' : ''),
      s.rcvbufRequestedBytes === null ? 'default' : formatBytes(s.rcvbufRequestedBytes),
      formatBytes(s.rcvbufGrantedBytes),
      formatInteger(s.sentPackets),
      formatInteger(s.packets),
      formatInteger(s.lostPackets),
      formatPercent(s.lossPercent),
      formatInteger(s.rcvbufErrors),
      formatInteger(s.socketDrops),
      formatInteger(Math.round(s.latencyP99Us)),
      `${Math.round(s.peakQueueFraction * 100)} %`,
    ]);
  }
  const v = r.end.verdict;
  const lines = [t.toString(), ...totemLines(r), ...v.lines];
  if (v.fix.length > 0) lines.push('to apply it (as root, in the initial network namespace):', ...v.fix.map((c) => `  ${c}`));
  return `${lines.join('\n')}\n`;
}
