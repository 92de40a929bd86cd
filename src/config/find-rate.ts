/**
 * Validation for `mcastbench find-rate`: raw CLI options -> a frozen FindRateConfig, or one
 * ConfigError naming the flag and the allowed range. The traffic and buffer settings go through
 * validateLoopback, once per --rcvbuf setting, exactly as compare does; the search's own flags
 * (--search, --start, --ceiling, --resolution, --trial) are read here. Nothing is adjusted.
 */
import { ConfigError } from '../errors.js';
import type { SearchVariable } from '../findrate/model.js';
import { LIMITS } from './defaults.js';
import { has, readChoice, readDurationSec, readInt, readNumber, readString, type RawOptions } from './raw-options.js';
import type { ReceiverConfig, SenderConfig } from './types.js';
import { parseRate } from './units.js';
import { readRcvbufSettings, settingOptions } from './rcvbuf-list.js';
import { validateLoopback } from './validate.js';

export const FIND_RATE_DEFAULTS = {
  search: 'rate',
  rcvbuf: 'default,26214400',
  startRate: '10m',
  ceilingRate: '10g',
  startBurst: 1,
  ceilingBurst: LIMITS.burst.max,
  resolutionPercent: 5,
  /**
   * 3 s per trial. Shorter trials are dominated by start-up (each trial opens fresh sockets and
   * workers) and by the receive buffer: it hides an overload until it is full. The kernel
   * charges each datagram its truesize (2304 bytes for a 1470-byte one on loopback, read from
   * rx_queue in /proc/net/udp), so the 212992-byte default holds ~92 of them and a 3 s trial
   * shows any excess above ~31 datagrams/s; a forced 52428800-byte buffer holds ~22,750, and a
   * 3 s trial shows an excess above ~7,600 datagrams/s (7.6 % of 100k). RFC 2544 section 24
   * asks 60 s per trial of a network device, which would make one search take many minutes on
   * one host. Raise --trial for large buffers.
   */
  trialSec: 3,
  maxLossPercent: 0,
  /** The natural bound is 21 climbing + 10 bisecting trials (see LIMITS below); this is the safety net. */
  maxTrials: 40,
} as const;

export const FIND_RATE_LIMITS = {
  packetsPerSec: { min: 1, max: 10_000_000 },
  /** ceiling / start at most 2^20: at most 21 doubling trials. */
  maxCeilingRatio: 2 ** 20,
  /** 0.1 % needs at most 10 bisecting trials from a factor of 2. */
  resolutionPercent: { min: 0.1, max: 50 },
  trialSec: { min: 0.5, max: 600 },
} as const;

export interface FindRateSetting {
  /** As given: "default" or a size. */
  label: string;
  /** Validated loopback pair; each trial replaces the pacing and the duration. */
  sender: SenderConfig;
  receiver: ReceiverConfig;
}

export interface FindRateConfig {
  search: SearchVariable;
  settings: FindRateSetting[];
  /** Searched values: datagrams/s for rate, datagrams per burst for burst. */
  start: number;
  ceiling: number;
  resolutionPercent: number;
  trialSec: number;
  maxLossPercent: number;
  sizeBytes: number;
  /** Rate search: --burst, fixed. Burst search: the searched value (start here). */
  burst: number;
  /** Burst search: --burst-interval in ns, fixed. Rate search: null (it follows from the rate). */
  burstIntervalNs: number | null;
  maxTrials: number;
  json: boolean;
  warnings: string[];
}

/** A rate flag for the rate search -> datagrams/s of --size datagrams, and the text as given (for messages). */
function readRatePps(raw: RawOptions, name: 'start' | 'ceiling', fallback: string, sizeBytes: number): { value: number; shown: string } {
  const given = readString(raw, name) ?? fallback;
  const parsed = parseRate(given, `--${name}`);
  const { min, max } = FIND_RATE_LIMITS.packetsPerSec;
  const allowed = `a rate from ${min} to ${fmt(max)} datagrams/s: bits/s (10m) or packets/s (1000pps)`;
  if (parsed.kind === 'max') throw new ConfigError(`--${name}`, 'max is not a rate to try', allowed);
  const pps = parsed.kind === 'packetsPerSec' ? parsed.packetsPerSec : parsed.bitsPerSec / (sizeBytes * 8);
  const shown = parsed.kind === 'packetsPerSec' ? given : `${given} (${fmt(pps)} datagrams/s of ${sizeBytes} B)`;
  if (pps < min || pps > max) throw new ConfigError(`--${name}`, `${shown} is out of range`, allowed);
  return { value: pps, shown };
}

function readBurstRange(raw: RawOptions, name: 'start' | 'ceiling', fallback: number): { value: number; shown: string } {
  const value = readInt(raw, name, LIMITS.burst, 'datagrams') ?? fallback;
  return { value, shown: `${value} datagrams per burst` };
}

function readRange(raw: RawOptions, search: SearchVariable, sizeBytes: number, burst: number): { start: number; ceiling: number } {
  const d = FIND_RATE_DEFAULTS;
  const start = search === 'rate' ? readRatePps(raw, 'start', d.startRate, sizeBytes) : readBurstRange(raw, 'start', d.startBurst);
  const ceiling = search === 'rate' ? readRatePps(raw, 'ceiling', d.ceilingRate, sizeBytes) : readBurstRange(raw, 'ceiling', d.ceilingBurst);
  const unit = search === 'rate' ? 'datagrams/s' : 'datagrams per burst';
  const ratio = FIND_RATE_LIMITS.maxCeilingRatio;
  if (ceiling.value <= start.value) {
    throw new ConfigError('--ceiling', `${ceiling.shown} is not above --start ${start.shown}`, `above --start, at most 2^20 x --start`, 'ERR_OPTION_CONFLICT');
  }
  if (ceiling.value / start.value > ratio) {
    throw new ConfigError('--ceiling', `${ceiling.shown} is more than 2^20 x --start ${start.shown}`, `at most ${fmt(Math.floor(start.value * ratio))} ${unit} (2^20 x --start)`, 'ERR_OPTION_CONFLICT');
  }
  if (search === 'rate' && burst / start.value > LIMITS.maxBurstIntervalSec) {
    throw new ConfigError('--start', `${start.shown} with --burst ${burst} is one burst every ${fmt(burst / start.value)} s`, `a rate giving at least one burst per ${LIMITS.maxBurstIntervalSec} s`);
  }
  return { start: start.value, ceiling: ceiling.value };
}

/** 8,503.4 / 1,048,576 / 0.0020000: whole digits kept, five significant ones below 1000. */
function fmt(n: number): string {
  return n >= 1000 ? (Math.round(n * 10) / 10).toLocaleString('en-US') : String(Number(n.toPrecision(5)));
}

/** --trial, after the slow-receiver flags: a trial must hold one whole --pause-every period. */
function readTrialSec(raw: RawOptions, pauseEverySec: number | null): number {
  const given = readDurationSec(raw, 'trial', FIND_RATE_LIMITS.trialSec);
  if (given === undefined) return Math.max(FIND_RATE_DEFAULTS.trialSec, pauseEverySec ?? 0);
  if (pauseEverySec !== null && given < pauseEverySec) {
    throw new ConfigError('--trial', `${given} s is shorter than --pause-every ${pauseEverySec} s: no trial would hold a whole pause`, `at least ${pauseEverySec} s`, 'ERR_OPTION_CONFLICT');
  }
  return given;
}

/** The flags that make no sense for the chosen --search. */
function checkSearchConflicts(raw: RawOptions, search: SearchVariable): void {
  if (search === 'rate' && has(raw, 'burst-interval')) {
    throw new ConfigError('--burst-interval', 'only with --search burst (the rate search derives the interval from the rate)', '--search burst --burst-interval DUR', 'ERR_OPTION_CONFLICT');
  }
  if (search === 'burst' && !has(raw, 'burst-interval')) {
    throw new ConfigError('--search', 'burst needs --burst-interval (the fixed time between burst starts)', '--search burst --burst-interval DUR, e.g. 10ms', 'ERR_OPTION_CONFLICT');
  }
  if (search === 'burst' && has(raw, 'burst')) {
    throw new ConfigError('--burst', 'is what --search burst varies', 'leave it out and give the range with --start/--ceiling (datagrams per burst)', 'ERR_OPTION_CONFLICT');
  }
}

export function validateFindRate(raw: RawOptions): FindRateConfig {
  const search = readChoice<SearchVariable>(raw, 'search', ['rate', 'burst'], FIND_RATE_DEFAULTS.search);
  checkSearchConflicts(raw, search);
  const maxLossPercent = readNumber(raw, 'max-loss', LIMITS.maxLossPercent, '%') ?? FIND_RATE_DEFAULTS.maxLossPercent;
  const resolutionPercent = readNumber(raw, 'resolution', FIND_RATE_LIMITS.resolutionPercent, '%') ?? FIND_RATE_DEFAULTS.resolutionPercent;
  // The traffic as validateLoopback sees it; per trial, the search replaces pacing and duration.
  const base = (label: string, start: number | null): RawOptions => {
    // The probe (start null) only reads --size, --burst and the slow-receiver flags: its rate is any valid one.
    const pacing = search === 'rate' ? { rate: `${start ?? FIND_RATE_LIMITS.packetsPerSec.max}pps` } : { burst: String(start ?? 1) };
    return { ...settingOptions(raw, label), ...pacing, 'max-loss': undefined, maxLoss: undefined, interval: '0', count: undefined };
  };
  // The same --rcvbuf list as compare: each setting checked before the first trial.
  const labels = readRcvbufSettings(raw, FIND_RATE_DEFAULTS.rcvbuf);
  // Size and slow-receiver flags first (their own errors), then the range in those units.
  const probe = validateLoopback(base(labels[0]!, null));
  const sizeBytes = probe.sender.sizeBytes;
  const { start, ceiling } = readRange(raw, search, sizeBytes, probe.sender.burst);
  const trialSec = readTrialSec(raw, probe.receiver.pauseEverySec);
  const settings = labels.map((label) => {
    const { sender, receiver } = validateLoopback({ ...base(label, start), duration: String(trialSec) });
    return { label, sender, receiver };
  });
  const first = settings[0]!.sender;
  return {
    search,
    settings,
    start,
    ceiling,
    resolutionPercent,
    trialSec,
    maxLossPercent,
    sizeBytes,
    burst: search === 'rate' ? first.burst : start,
    burstIntervalNs: search === 'burst' ? first.burstIntervalNs : null,
    maxTrials: FIND_RATE_DEFAULTS.maxTrials,
    json: first.output.json,
    warnings: [...first.warnings],
  };
}
