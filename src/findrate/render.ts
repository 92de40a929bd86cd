/** find-rate as text, pure: the search path per setting as a table, then its answer; and the progress line per trial. */
import Table from 'cli-table3';
import { formatInteger, formatMbitsPerSec, formatPercent } from '../report/format.js';
import type { FindRateReport, FindRateResult, FindRateTrial, SearchVariable } from './model.js';
import { settingName } from './summary.js';

/** pass / fail / sender-limited, the last with what the sender achieved. */
export function verdictWords(t: FindRateTrial): string {
  if (t.senderLimited === true) return `sender-limited (${formatInteger(t.sentPacketsPerSec)} pps sent)`;
  return t.passed ? 'pass' : 'fail';
}

function table(r: FindRateResult, search: SearchVariable): string {
  const burst = search === 'burst';
  const head = ['#', 'Phase', 'Offered pps', 'Offered Mbit/s', ...(burst ? ['Burst'] : []), 'Sent', 'Received', 'Lost', 'Lost %', 'Socket drops', 'Result'];
  const t = new Table({
    head,
    style: { head: [], border: [], compact: true },
    colAligns: head.map((h, i) => (i === 1 || h === 'Result' ? 'left' : 'right')),
  });
  r.trials.forEach((x, i) => {
    t.push([
      String(i + 1),
      x.phase,
      formatInteger(x.packetsPerSec),
      formatMbitsPerSec(x.bitsPerSec),
      ...(burst ? [formatInteger(x.burst)] : []),
      formatInteger(x.sentPackets),
      formatInteger(x.packets),
      formatInteger(x.lostPackets),
      formatPercent(x.lossPercent),
      formatInteger(x.socketDrops),
      verdictWords(x),
    ]);
  });
  return t.toString();
}

export function renderFindRate(report: FindRateReport): string {
  const s = report.start;
  const lines = [`find-rate: searching the ${s.search === 'rate' ? 'rate' : 'burst size'}, ${s.sizeBytes}-byte datagrams, ${s.trialSec} s per trial, --max-loss ${s.maxLossPercent} %`];
  for (const r of report.end.results) {
    lines.push('', `receive buffer ${settingName(r)}:`, table(r, report.end.search), r.summary);
  }
  const missing = s.settings.length - report.end.results.length;
  if (missing > 0) lines.push('', `${missing} setting(s) not searched (interrupted)`);
  return `${lines.join('\n')}\n`;
}

/** The progress line on stderr after each trial. */
export function renderTrialLine(label: string, t: FindRateTrial, index: number): string {
  return (
    `find-rate: ${label}: ${t.phase} ${index}: ${formatInteger(t.packetsPerSec)} pps (${formatMbitsPerSec(t.bitsPerSec)} Mbit/s, burst ${formatInteger(t.burst)}): ` +
    `sent ${formatInteger(t.sentPackets)}, received ${formatInteger(t.packets)}, lost ${formatInteger(t.lostPackets)} (socket drops ${formatInteger(t.socketDrops)}): ${verdictWords(t)}\n`
  );
}
