/**
 * The one-sentence answer per buffer setting (FindRateResult.summary), pure: what was found,
 * between which bounds, and what limited it when that was not the receiver.
 */
import { formatInteger, formatMbitsPerSec, formatPercent, formatUs } from '../report/format.js';
import type { FindRateResult, FindRateTrial, SearchVariable } from './model.js';

export interface SummaryContext {
  search: SearchVariable;
  sizeBytes: number;
  maxLossPercent: number;
  maxTrials: number;
}

/** "default 212992", or "26214400 (granted 52428800)" when the kernel gave something else. */
export function settingName(r: Pick<FindRateResult, 'rcvbufRequestedBytes' | 'rcvbufGrantedBytes'>): string {
  if (r.rcvbufRequestedBytes === null) return `default ${r.rcvbufGrantedBytes}`;
  return r.rcvbufGrantedBytes === r.rcvbufRequestedBytes ? String(r.rcvbufRequestedBytes) : `${r.rcvbufRequestedBytes} (granted ${r.rcvbufGrantedBytes})`;
}

const mbit = (bitsPerSec: number): string => `${formatMbitsPerSec(bitsPerSec)} Mbit/s`;
const pps = (packetsPerSec: number): string => `${formatInteger(packetsPerSec)} pps`;

/** A trial's offered traffic in words: "41.2 Mbit/s (3,503 pps at 1470 B)". */
export function offeredWords(t: FindRateTrial, c: SummaryContext): string {
  if (c.search === 'rate') return `${mbit(t.bitsPerSec)} (${pps(t.packetsPerSec)} at ${c.sizeBytes} B)`;
  const every = formatUs((t.burst / t.packetsPerSec) * 1e6);
  return `${formatInteger(t.burst)} datagrams every ${every} (${pps(t.packetsPerSec)}, ${mbit(t.bitsPerSec)} at ${c.sizeBytes} B)`;
}

function answerWords(best: FindRateTrial, c: SummaryContext): string {
  const within = `within --max-loss ${c.maxLossPercent} %`;
  if (c.search === 'rate') return `${c.maxLossPercent === 0 ? 'highest loss-free rate' : `highest rate ${within}:`} ${offeredWords(best, c)}`;
  return `${c.maxLossPercent === 0 ? 'largest loss-free burst' : `largest burst ${within}:`} ${offeredWords(best, c)}`;
}

function boundWords(best: FindRateTrial, fail: FindRateTrial, c: SummaryContext): string {
  if (c.search === 'rate') return `between ${formatMbitsPerSec(best.bitsPerSec)} and ${formatMbitsPerSec(fail.bitsPerSec)} Mbit/s`;
  return `between ${formatInteger(best.burst)} and ${formatInteger(fail.burst)} datagrams`;
}

/** The sender, not the receiver, set the upper bound: it could not offer that rate (and nothing beyond --max-loss was lost). */
function senderWords(fail: FindRateTrial, c: SummaryContext): string | null {
  if (fail.senderLimited !== true || fail.lossPercent > c.maxLossPercent) return null;
  return `at ${pps(fail.packetsPerSec)} offered the sender reached only ${pps(fail.sentPacketsPerSec)}: the sender was the limit there, not the receiver`;
}

/**
 * Where the loss of the trial above the answer happened, from the socket's own drops (which may
 * also count end-of-stream copies, hence the min): a bigger buffer only helps the first kind.
 */
function whereWords(fail: FindRateTrial): string | null {
  if (fail.lostPackets === 0) return null;
  const atSocket = Math.min(fail.socketDrops, fail.lostPackets);
  if (atSocket === fail.lostPackets) return "the loss above it was this socket's full receive buffer";
  if (atSocket === 0) return 'the loss above it happened before this socket (it dropped none)';
  return `of the ${formatInteger(fail.lostPackets)} lost above it, ${formatInteger(atSocket)} were this socket's full receive buffer and ${formatInteger(fail.lostPackets - atSocket)} were lost before it`;
}

function failWords(t: FindRateTrial, c: SummaryContext): string {
  const what = c.search === 'rate' ? 'rate' : 'burst';
  const sender = senderWords(t, c);
  if (sender !== null) return `no answer: even the lowest ${what} tried, ${offeredWords(t, c)}, could not be offered (the sender reached only ${pps(t.sentPacketsPerSec)})`;
  const where = whereWords(t)?.replace('the loss above it', 'that loss') ?? null;
  return `no answer: even the lowest ${what} tried, ${offeredWords(t, c)}, lost ${formatPercent(t.lossPercent)} (more than --max-loss ${c.maxLossPercent} %)${where === null ? '' : `; ${where}`}`;
}

type SummaryInput = Omit<FindRateResult, 'summary'>;

export function summarize(r: SummaryInput, c: SummaryContext, best: FindRateTrial | null, fail: FindRateTrial | null): string {
  const name = settingName(r);
  if (best === null) {
    const first = r.trials[0];
    if (first === undefined) return `${name}: interrupted before the first trial finished: no answer`;
    return `${name}: ${failWords(first, c)}`;
  }
  let text = `${name}: ${answerWords(best, c)}`;
  if (r.stoppedBy === 'ceiling') text += ', the ceiling: the limit is above --ceiling';
  if (fail !== null) {
    text += `, ${boundWords(best, fail, c)}`;
    const more = senderWords(fail, c) ?? whereWords(fail);
    if (more !== null) text += `; ${more}`;
  }
  if (r.stoppedBy === 'max-trials') text += `; stopped by the ${c.maxTrials}-trial bound before the interval was within --resolution`;
  if (r.stoppedBy === 'interrupted') text += '; interrupted before the search finished';
  return text;
}
