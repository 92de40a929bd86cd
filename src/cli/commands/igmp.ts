/**
 * `mcastbench igmp watch`: listen on an interface for IGMP (AF_PACKET, else a raw IGMP socket)
 * and report queriers, group-specific queries, reports and leaves; then the querier verdict.
 */
import type { Argv } from 'yargs';
import { readBool, readDurationSec, readString, type RawOptions } from '../../config/raw-options.js';
import { ConfigError } from '../../errors.js';
import { nowSec, openCapture } from '../../igmp/capture.js';
import { localIPv4Addresses, localJoinState } from '../../igmp/local.js';
import { renderObservation, renderWatch, type WatchResult } from '../../igmp/render.js';
import { querierVerdict } from '../../igmp/verdict.js';
import { Watcher, type Observation } from '../../igmp/watch.js';
import type { CommandContext } from '../context.js';

export const command = 'igmp';
export const describe = 'IGMP tools: "igmp watch" reports queriers, queries, reports and leaves on an interface (needs CAP_NET_RAW)';

/** Kept in the JSON document (the counters keep counting beyond it). */
const MAX_OBSERVATIONS = 2000;

export const options = {
  interface: { type: 'string', requiresArg: true, describe: 'Interface to watch (eth0)' },
  duration: { type: 'string', requiresArg: true, describe: 'How long to watch (130s covers the default 125 s query interval)', defaultDescription: '130s' },
  json: { type: 'boolean', alias: 'J', describe: 'Print one JSON document at the end (stdout)' },
} as const;

export function builder(y: Argv): Argv {
  return y
    .command('watch', 'Report queriers (address, version, query interval, max response), queries, reports and leaves; then the verdict', (b) =>
      b.options(options).example('$0 igmp watch --interface eth0 --duration 130s', 'is there a querier on this segment, and at which interval?'),
    )
    .demandCommand(1, 'igmp needs an action (allowed: watch)');
}

export interface WatchConfig {
  interface: string;
  durationSec: number;
  json: boolean;
}

export function validateWatch(argv: RawOptions): WatchConfig {
  const action = Array.isArray(argv._) ? String(argv._[1] ?? '') : '';
  if (action !== 'watch') throw new ConfigError('igmp', action ? `'${action}' is not an action` : 'needs an action', 'watch');
  const iface = readString(argv, 'interface');
  if (!iface) throw new ConfigError('--interface', 'is required', 'an interface name, e.g. eth0');
  return { interface: iface, durationSec: readDurationSec(argv, 'duration', { min: 0.1, max: 86400 }) ?? 130, json: readBool(argv, 'json') };
}

/** Watches for cfg.durationSec (or until stopped); never prints (live observations go to onObservation). */
export async function runWatch(
  cfg: WatchConfig,
  onObservation: (o: Observation) => void,
  setStop: (stop: (() => void) | null) => void = () => {},
): Promise<WatchResult> {
  const watcher = new Watcher(localIPv4Addresses());
  const t0 = nowSec();
  const { capture, reason } = openCapture(cfg.interface, { promisc: true, mode: 'any' }, (bytes, at) => {
    for (const o of watcher.feedIpv4(bytes, at - t0)) onObservation({ ...o, atSec: Math.round(o.atSec * 1000) / 1000 });
  });
  if (capture !== null) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, cfg.durationSec * 1000);
      setStop(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    setStop(null);
    capture.close();
  }
  const watched = Math.round((nowSec() - t0) * 10) / 10;
  const summary = capture !== null ? watcher.summary() : null;
  return {
    interface: cfg.interface,
    source: capture?.source ?? null,
    durationSec: watched,
    summary,
    querier: querierVerdict(summary, watched, reason),
    local: localJoinState(cfg.interface),
  };
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  const cfg = validateWatch(argv);
  const observations: Observation[] = [];
  const result = await runWatch(
    cfg,
    (o) => {
      if (observations.length < MAX_OBSERVATIONS) observations.push(o);
      if (!cfg.json) ctx.io.stderr.write(renderObservation(o));
    },
    (stop) => ctx.setActiveRun(stop === null ? null : () => stop()),
  );
  if (cfg.json) {
    const doc = {
      schemaVersion: 1,
      start: { command: 'igmp watch', interface: cfg.interface, durationSec: cfg.durationSec, source: result.source },
      observations,
      end: { durationSec: result.durationSec, summary: result.summary, verdict: { querier: result.querier }, local: result.local },
    };
    ctx.io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    ctx.io.stdout.write(renderWatch(result));
  }
  return result.source === null ? 1 : 0;
}
