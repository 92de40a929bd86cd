/**
 * The targets, evaluated as ratios of medians measured in the same run. Pure: takes
 * the summarized cells, returns one verdict per target (met, not met, or not evaluated and why).
 */
import type { Summary } from './stats.js';

/** Looks up the summary of `metric` for a cell; null when the cell did not run or had no value. */
export type CellLookup = (workload: string, tool: string, size: number | null, metric: string) => Summary | null;

export interface TargetVerdict {
  id: string;
  description: string;
  /** e.g. ">= 1.00x iperf2" */
  target: string;
  /** The compared value (a ratio, a percentage, us), or null. */
  measured: number | null;
  unit: string;
  met: boolean | null;
  /** Why not evaluated, or how measured. */
  note: string;
}

export const IDEAL_GAP_US_1470_100M = (1470 * 8) / 100e6 * 1e6; // 117.6 us

function ratio(a: Summary | null, b: Summary | null): number | null {
  if (!a || !b || b.median === 0) return null;
  return a.median / b.median;
}

function verdictRatio(id: string, description: string, a: Summary | null, b: Summary | null, min: number, versus: string, missing: string): TargetVerdict {
  const r = ratio(a, b);
  return {
    id,
    description,
    target: `>= ${min.toFixed(2)}x ${versus}`,
    measured: r,
    unit: 'x',
    met: r === null ? null : r >= min,
    note: r === null ? missing : `${fmtNum(a!.median)} / ${fmtNum(b!.median)}${overlap(a!, b!, min) ? '; the scaled ranges overlap: within run-to-run spread' : ''}`,
  };
}

/** Whether a's min..max range overlaps b's range scaled by `factor` (the verdict is within noise). */
function overlap(a: Summary, b: Summary, factor: number): boolean {
  return a.n > 1 && b.n > 1 && a.min <= b.max * factor && b.min * factor <= a.max;
}

function fmtNum(x: number): string {
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(4);
}

export interface TargetContext {
  lookup: CellLookup;
  /** Whether the CLI offers --gso (GSO rows ran). */
  gsoAvailable: boolean;
  /** Whether the 60 s memory run ran. */
  memoryRan: boolean;
}

export function evaluateTargets(ctx: TargetContext): TargetVerdict[] {
  const L = ctx.lookup;
  const out: TargetVerdict[] = [];
  for (const size of [64, 1470]) {
    out.push(
      verdictRatio(
        `maxrate-native-${size}`,
        `native max send rate at ${size} B vs iperf 2`,
        L('maxrate', 'mcastbench-native', size, 'sentPps'),
        L('maxrate', 'iperf2', size, 'sentPps'),
        1,
        'iperf2',
        'a side did not run',
      ),
    );
  }
  for (const size of [64, 1470]) {
    const v = verdictRatio(
      `maxrate-gso-${size}`,
      `native --gso max send rate at ${size} B vs iperf 2`,
      L('maxrate', 'mcastbench-native-gso', size, 'sentPps'),
      L('maxrate', 'iperf2', size, 'sentPps'),
      4,
      'iperf2',
      ctx.gsoAvailable ? 'a side did not run' : 'not evaluated: the CLI has no --gso flag yet',
    );
    out.push(v);
  }
  for (const size of [64, 1470]) {
    out.push(
      verdictRatio(
        `drain-${size}`,
        `native receive capacity at ${size} B vs dgram`,
        L('drain', 'mcastbench-native', size, 'drainPps'),
        L('drain', 'mcastbench-dgram', size, 'drainPps'),
        3.5,
        'dgram',
        'a side did not run',
      ),
    );
  }
  const rateErr = L('pacing', 'mcastbench-native', 1470, 'rateErrorPercent');
  out.push({
    id: 'pacing-rate',
    description: 'native pacing 100 Mbit/s, 1470 B: rate error (capture)',
    target: '|error| <= 0.1 %',
    measured: rateErr ? rateErr.median : null,
    unit: '%',
    met: rateErr ? Math.abs(rateErr.median) <= 0.1 : null,
    note: rateErr ? 'steady window of the tcpdump capture' : 'did not run',
  });
  const gap = L('pacing', 'mcastbench-native', 1470, 'gapP99Us');
  out.push({
    id: 'pacing-gap-p99',
    description: 'native pacing: inter-packet gap p99 (capture)',
    target: `<= ${(2 * IDEAL_GAP_US_1470_100M).toFixed(1)} us (2x ideal ${IDEAL_GAP_US_1470_100M.toFixed(1)} us)`,
    measured: gap ? gap.median : null,
    unit: 'us',
    met: gap ? gap.median <= 2 * IDEAL_GAP_US_1470_100M : null,
    note: gap ? 'tcpdump -i lo, ns timestamps' : 'did not run',
  });
  const cpu = L('pacing', 'mcastbench-native', 1470, 'senderCpuPercent');
  out.push({
    id: 'pacing-cpu',
    description: 'native pacing: sender CPU',
    target: '<= 30 % of a core',
    measured: cpu ? cpu.median : null,
    unit: '%',
    met: cpu ? cpu.median <= 30 : null,
    note: cpu ? '/proc/PID/stat utime+stime, steady window' : 'did not run',
  });
  const lost = L('noloss', 'mcastbench-native', 1470, 'lostPackets');
  const achieved = L('noloss', 'mcastbench-native', 1470, 'achievedRatio');
  out.push({
    id: 'noloss',
    description: "no loss at iperf 2's max rate (1470 B), forced 32 MiB rcvbuf",
    target: '0 lost in every round',
    measured: lost ? lost.max : null,
    unit: 'pkts',
    met: lost ? lost.max === 0 && (achieved === null || achieved.min >= 0.99) : null,
    note: lost
      ? achieved && achieved.min < 0.99
        ? `${lost.max} lost, but the sender reached only ${(achieved.min * 100).toFixed(1)} % of iperf 2's rate in some round`
        : `sender reached ${achieved ? (achieved.median * 100).toFixed(1) : '?'} % of iperf 2's rate (median)`
      : 'did not run',
  });
  const mem = L('memory', 'mcastbench-native', 1470, 'rssGrowthPercent');
  out.push({
    id: 'memory',
    description: 'receiver RSS growth over a 60 s max-rate run',
    target: '< 10 %',
    measured: mem ? mem.median : null,
    unit: '%',
    met: mem ? mem.median < 10 : null,
    note: mem ? 'VmRSS each second; growth from the 2 s sample to the last' : ctx.memoryRan ? 'did not produce samples' : 'not run (--quick)',
  });
  return out;
}
