/**
 * --rate / --burst / --burst-interval -> the pacing numbers the sender needs. Like iperf, a bit
 * rate counts UDP payload bits only (not IP/UDP headers), so 10m with 1470-byte datagrams is
 * 850.3 datagrams/s.
 */
import { ConfigError } from '../errors.js';
import { DEFAULTS, LIMITS } from './defaults.js';
import { has, pick, readDurationSec, readInt, type RawOptions } from './raw-options.js';
import type { RateSpec } from './types.js';
import { parseRate } from './units.js';

export interface Pacing {
  rate: RateSpec;
  packetsPerSec: number;
  burst: number;
  burstIntervalNs: number;
}

function fromBurstInterval(raw: RawOptions, burst: number): Pacing {
  if (has(raw, 'rate')) {
    throw new ConfigError(
      '--burst-interval',
      'cannot be combined with --rate',
      'either --rate, or --burst with --burst-interval (the rate is derived from them)',
      'ERR_OPTION_CONFLICT',
    );
  }
  const intervalSec = readDurationSec(raw, 'burst-interval', LIMITS.burstIntervalSec) as number;
  const packetsPerSec = burst / intervalSec;
  return { rate: { kind: 'packetsPerSec', packetsPerSec }, packetsPerSec, burst, burstIntervalNs: intervalSec * 1e9 };
}

export function readPacing(raw: RawOptions, sizeBytes: number, defaultRate: string): Pacing {
  const burst = readInt(raw, 'burst', LIMITS.burst, 'datagrams') ?? DEFAULTS.burst;
  if (has(raw, 'burst-interval')) return fromBurstInterval(raw, burst);
  const given = pick(raw, 'rate') ?? defaultRate;
  const parsed = parseRate(given, '--rate');
  if (parsed.kind === 'max') return { rate: parsed, packetsPerSec: Infinity, burst, burstIntervalNs: 0 };
  const packetsPerSec = parsed.kind === 'bitsPerSec' ? parsed.bitsPerSec / (sizeBytes * 8) : parsed.packetsPerSec;
  const burstIntervalNs = (burst / packetsPerSec) * 1e9;
  if (burstIntervalNs > LIMITS.maxBurstIntervalSec * 1e9) {
    throw new ConfigError(
      '--rate',
      `${String(given)} with ${sizeBytes}-byte datagrams and --burst ${burst} is one burst every ${(burstIntervalNs / 1e9).toFixed(0)} s`,
      `a rate giving at least one burst per ${LIMITS.maxBurstIntervalSec} s`,
    );
  }
  return { rate: parsed, packetsPerSec, burst, burstIntervalNs };
}
