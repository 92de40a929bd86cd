/**
 * The find-rate search, pure: driven by an async trial function, so it runs the same against a
 * loopback run or a fake with a known threshold (the unit tests). What it finds is RFC 2544's
 * throughput (section 26.1: the highest rate at which nothing is lost), or, searching burst
 * sizes, its back-to-back benchmark (section 26.4, updated by RFC 9004: the longest burst
 * received without loss), with --max-loss allowing a tolerance instead of zero.
 *
 * 1. Climb: trials at start, 2 x start, 4 x start, ... (the last one exactly at the ceiling)
 *    until one fails or the ceiling passes: the order of magnitude in log2(ceiling / start)
 *    trials.
 * 2. Bisect: between the last pass and the first fail, try the midpoint and keep the half that
 *    still holds the boundary, until (fail - pass) / pass is within the resolution (or the
 *    two are adjacent whole numbers, for burst sizes).
 *
 * Every trial is kept, in order, with its phase. Both phases are bounded whatever the trials
 * answer: the climb by the ceiling, the bisection because it halves its interval each time;
 * maxTrials is a hard stop on top.
 *
 * A trial is judged here, not by the caller: it passes when its loss is at or below
 * --max-loss AND the sender achieved at least SENDER_LIMIT_RATIO of the offered rate. A
 * sender-limited trial is never a pass (the receiver was never offered that rate), so it ends
 * the climb like a failure and the bisection treats it as an upper bound: the answer is then
 * the highest rate this host could both offer and deliver, and the summary says the sender
 * was the limit.
 */
import { SENDER_LIMIT_RATIO, type FindRateStop, type FindRateTrial } from './model.js';

export type FindRatePhase = FindRateTrial['phase'];

/** What a trial measured; the search adds the phase and the verdict. */
export type TrialMeasurement = Omit<FindRateTrial, 'phase' | 'passed' | 'senderLimited'>;

/** Runs one trial at `value`; null means the run was interrupted and the search must stop. */
export type TrialFn = (value: number, phase: FindRatePhase) => Promise<TrialMeasurement | null>;

export interface SearchOptions {
  /** First value tried (datagrams/s, or datagrams per burst). */
  start: number;
  /** Highest value ever tried; above start. */
  ceiling: number;
  /** Bisection ends once (fail - pass) / pass x 100 is at or below this. */
  resolutionPercent: number;
  maxLossPercent: number;
  /** Whole values only (burst sizes): midpoints are rounded down, adjacent values end the bisection. */
  integer: boolean;
  /** Hard bound on trials, whatever they answer. */
  maxTrials: number;
}

export interface SearchOutcome {
  trials: FindRateTrial[];
  /** The value of each trial, in order (parallel to trials). */
  values: number[];
  /** Highest passing value and its trial, or null when the first trial did not pass. */
  best: number | null;
  bestTrial: FindRateTrial | null;
  /** Lowest non-passing value above best, and its trial, or null (ceiling passed, or interrupted while climbing). */
  firstFail: number | null;
  firstFailTrial: FindRateTrial | null;
  stoppedBy: FindRateStop;
}

/** The verdict on one trial (see the file comment). */
export function judgeTrial(m: TrialMeasurement, phase: FindRatePhase, maxLossPercent: number): FindRateTrial {
  const senderLimited = m.sentPacketsPerSec < m.packetsPerSec * SENDER_LIMIT_RATIO;
  return { ...m, phase, passed: m.lossPercent <= maxLossPercent && !senderLimited, senderLimited };
}

/** Bisection is done: the interval is within the resolution, or no whole value lies inside it. */
export function isNarrowEnough(pass: number, fail: number, o: Pick<SearchOptions, 'resolutionPercent' | 'integer'>): boolean {
  if (o.integer && fail - pass <= 1) return true;
  return ((fail - pass) / pass) * 100 <= o.resolutionPercent;
}

/** Runs the search; onTrial sees each trial once judged, with its number from 1 (progress lines). */
export async function searchThreshold(o: SearchOptions, trial: TrialFn, onTrial?: (t: FindRateTrial, index: number) => void): Promise<SearchOutcome> {
  const trials: FindRateTrial[] = [];
  const values: number[] = [];
  let pass: { value: number; trial: FindRateTrial } | null = null;
  let fail: { value: number; trial: FindRateTrial } | null = null;
  const outcome = (stoppedBy: FindRateStop): SearchOutcome => ({
    trials,
    values,
    best: pass?.value ?? null,
    bestTrial: pass?.trial ?? null,
    firstFail: fail?.value ?? null,
    firstFailTrial: fail?.trial ?? null,
    stoppedBy,
  });
  /** Runs and records one trial; null when interrupted. */
  const run = async (value: number, phase: FindRatePhase): Promise<FindRateTrial | null> => {
    const m = await trial(value, phase);
    if (m === null) return null;
    const t = judgeTrial(m, phase, o.maxLossPercent);
    trials.push(t);
    values.push(value);
    onTrial?.(t, trials.length);
    return t;
  };

  // 1. Climb by doubling.
  let value = o.start;
  let failed: FindRateTrial | null = null;
  while (failed === null) {
    if (trials.length >= o.maxTrials) return outcome('max-trials');
    const t = await run(value, 'step');
    if (t === null) return outcome('interrupted');
    if (t.passed) {
      pass = { value, trial: t };
      if (value >= o.ceiling) return outcome('ceiling');
      value = Math.min(value * 2, o.ceiling);
    } else {
      failed = t;
      fail = { value, trial: t };
    }
  }
  if (pass === null) return outcome('lowest-failed');

  // 2. Bisect between the last pass and the first fail.
  let lo: number = pass.value;
  let hi: number = value;
  while (!isNarrowEnough(lo, hi, o)) {
    if (trials.length >= o.maxTrials) return outcome('max-trials');
    const mid: number = o.integer ? Math.floor((lo + hi) / 2) : (lo + hi) / 2;
    const t = await run(mid, 'bisect');
    if (t === null) return outcome('interrupted');
    if (t.passed) {
      pass = { value: mid, trial: t };
      lo = mid;
    } else {
      fail = { value: mid, trial: t };
      hi = mid;
    }
  }
  return outcome('resolution');
}
