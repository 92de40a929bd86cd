/**
 * send --repeat N --gap DUR: the same traffic N times, DUR of silence between runs, so that a
 * compare receiver on another node (receive --rcvbuf a,b,...) measures one run per setting.
 */
import { ConfigError } from '../errors.js';
import { DEFAULTS, LIMITS } from './defaults.js';
import { has, readDurationSec, readInt, type RawOptions } from './raw-options.js';

export interface RepeatSpec {
  runs: number;
  gapSec: number;
  warnings: string[];
}

/** Below this, a compare receiver may still be closing one setting when the next run starts. */
export const REOPEN_SEC = 1;

/** null when --repeat is not given (a plain single run). */
export function readRepeat(raw: RawOptions): RepeatSpec | null {
  const runs = readInt(raw, 'repeat', LIMITS.repeat, 'runs');
  const gapSec = readDurationSec(raw, 'gap', LIMITS.gapSec);
  if (gapSec !== undefined && (runs ?? 1) < 2) {
    throw new ConfigError('--gap', 'needs --repeat 2 or more (it is the silence between runs)', `--repeat 2..${LIMITS.repeat.max} --gap ${LIMITS.gapSec.min}..${LIMITS.gapSec.max} s`, 'ERR_OPTION_CONFLICT');
  }
  if (runs === undefined) return null;
  const gap = gapSec ?? DEFAULTS.repeatGapSec;
  const warnings: string[] = [];
  if (runs > 1 && gap < REOPEN_SEC && has(raw, 'gap')) {
    warnings.push(
      `--gap ${gap} s: a compare receiver (receive --rcvbuf a,b) needs about ${REOPEN_SEC} s between runs to close one setting's socket and open the next; ` +
        'with less, the start of a run can reach the old setting (ignored there) or no socket at all (lost)',
    );
  }
  return { runs, gapSec: gap, warnings };
}
