/**
 * Result model of `mcastbench find-rate`: per receive-buffer setting, the search path (every
 * trial, in order) and the answer. Units are in every numeric name; rendering lives elsewhere.
 */

/** What is searched: the sending rate (bursts of --burst datagrams) or the burst size at a fixed burst interval. */
export type SearchVariable = 'rate' | 'burst';

/** One trial: the same traffic for trialSec at one value, judged against --max-loss. */
export interface FindRateTrial {
  /** 'step': the geometric climb; 'bisect': narrowing between the last pass and the first fail. */
  phase: 'step' | 'bisect';
  /** Offered rate of this trial, datagrams/s and bits/s of UDP payload. */
  packetsPerSec: number;
  bitsPerSec: number;
  /** Datagrams per burst in this trial. */
  burst: number;
  durationSec: number;
  sentPackets: number;
  packets: number;
  lostPackets: number;
  lossPercent: number;
  /** The kernel's counters for this trial's socket: what the loss is attributed to. */
  socketDrops: number;
  rcvbufErrors: number;
  /** Achieved send rate, datagrams/s (a sender that cannot keep up is not a passing trial). */
  sentPacketsPerSec: number;
  passed: boolean;
  /**
   * Added after the first model (optional so earlier fixtures stay valid; find-rate always sets
   * it): the sender achieved under SENDER_LIMIT_RATIO of the offered rate, so the trial says
   * nothing about the receiver at this rate and is never a pass.
   */
  senderLimited?: boolean;
}

/** Achieved/offered below this and the trial is sender-limited (see FindRateTrial.senderLimited). */
export const SENDER_LIMIT_RATIO = 0.98;

/**
 * Why a search ended. 'resolution': last pass and first fail are within --resolution (or
 * adjacent burst sizes); 'ceiling': the ceiling passed; 'lowest-failed': the first trial failed;
 * 'max-trials': the hard bound on trials; 'interrupted': Ctrl-C.
 */
export type FindRateStop = 'resolution' | 'ceiling' | 'lowest-failed' | 'max-trials' | 'interrupted';

export interface FindRateResult {
  /** As given: "default" or a size. */
  label: string;
  rcvbufRequestedBytes: number | null;
  rcvbufGrantedBytes: number;
  /** Highest passing value, or null when even the lowest trial lost too much. */
  bestPacketsPerSec: number | null;
  bestBitsPerSec: number | null;
  bestBurst: number | null;
  /** Lowest failing value above the best, or null when the search hit its ceiling without failing. */
  firstFailPacketsPerSec: number | null;
  trials: FindRateTrial[];
  /** Added after the first model (optional, always set by find-rate): why the search ended. */
  stoppedBy?: FindRateStop;
  /** One plain sentence: the answer and how sure it is (resolution of the bisection). */
  summary: string;
}

export interface FindRateReport {
  schemaVersion: number;
  start: {
    role: 'find-rate';
    search: SearchVariable;
    settings: string[];
    sizeBytes: number;
    maxLossPercent: number;
    trialSec: number;
  };
  end: {
    role: 'find-rate';
    search: SearchVariable;
    maxLossPercent: number;
    results: FindRateResult[];
  };
}
