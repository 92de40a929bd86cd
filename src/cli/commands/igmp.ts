/**
 * `mcastbench igmp watch`: listen on an interface for IGMP (IPv4: AF_PACKET, else a raw IGMP
 * socket) or MLD (--family ipv6: AF_PACKET) and report queriers, group-specific queries,
 * reports and leaves; then the querier verdict.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { Argv } from 'yargs';
import { readChoice, readDurationSec, readString, type RawOptions } from '../../config/raw-options.js';
import { ConfigError } from '../../errors.js';
import { nowSec, openCapture } from '../../igmp/capture.js';
import { observationEvent } from '../../igmp/events.js';
import { localAddresses, localJoinState } from '../../igmp/local.js';
import { renderObservation, renderWatch, type WatchResult } from '../../igmp/render.js';
import { querierVerdict } from '../../igmp/verdict.js';
import { Watcher, type McastProtocol, type Observation } from '../../igmp/watch.js';
import type { CommandContext } from '../context.js';
import { createIgmpOutput, readIgmpOutputMode, type IgmpOutputMode } from '../igmp-output.js';

export const command = 'igmp';
export const describe = 'IGMP / MLD tools: "igmp watch" reports queriers, queries, reports and leaves on an interface (needs CAP_NET_RAW)';

/** Kept in the JSON document (the counters keep counting beyond it). */
const MAX_OBSERVATIONS = 2000;
const DURATION = { min: 0.1, max: 86400 };
const FAMILIES = ['ipv4', 'ipv6'] as const;

export const options = {
  interface: { type: 'string', requiresArg: true, describe: 'Interface to watch (eth0)' },
  family: { type: 'string', requiresArg: true, describe: 'ipv4 (IGMP) or ipv6 (MLD)', defaultDescription: 'ipv4' },
  duration: { type: 'string', requiresArg: true, describe: 'How long to watch (130s covers the default 125 s query interval)', defaultDescription: '130s' },
  json: { type: 'boolean', alias: 'J', describe: 'Print one JSON document at the end (stdout)' },
  'json-stream': { type: 'boolean', describe: 'Print one JSON event per line (start, query, report, leave, warning, end)' },
} as const;

export function builder(y: Argv): Argv {
  // The options at the igmp level too, so "igmp lisen --interface eth0" is told about the action.
  return y
    .options(options)
    .command('watch', 'Report queriers (address, version, query interval, max response), queries, reports and leaves; then the verdict', (b) =>
      b
        .options(options)
        .example('$0 igmp watch --interface eth0 --duration 130s', 'is there an IGMP querier on this segment, and at which interval?')
        .example('$0 igmp watch --interface eth0 --family ipv6', 'the same for MLD (IPv6)'),
    )
    .demandCommand(1, 'igmp needs an action (allowed: watch)');
}

export interface WatchConfig {
  interface: string;
  protocol: McastProtocol;
  durationSec: number;
  output: IgmpOutputMode;
}

/** Interfaces of this network namespace (any state, with or without an address). */
function interfaceNames(): string[] {
  try {
    return readdirSync('/sys/class/net').sort();
  } catch {
    return [];
  }
}

export function validateWatch(argv: RawOptions): WatchConfig {
  const action = Array.isArray(argv._) ? String(argv._[1] ?? '') : '';
  if (action !== 'watch') throw new ConfigError('igmp', action ? `'${action}' is not an action` : 'needs an action', 'watch');
  const names = interfaceNames();
  const allowed = names.length > 0 ? `an interface of this host: ${names.join(', ')}` : 'an interface name, e.g. eth0';
  const iface = readString(argv, 'interface');
  if (!iface) throw new ConfigError('--interface', 'is required', allowed);
  // An interface need not have an address to be watched (a bridge port, a monitor port).
  if (iface.includes('/') || (names.length > 0 && !existsSync(`/sys/class/net/${iface}`))) {
    throw new ConfigError('--interface', `no interface named '${iface}'`, allowed);
  }
  const family = readChoice(argv, 'family', FAMILIES, 'ipv4');
  return {
    interface: iface,
    protocol: family === 'ipv6' ? 'mld' : 'igmp',
    durationSec: readDurationSec(argv, 'duration', DURATION) ?? 130,
    output: readIgmpOutputMode(argv),
  };
}

/** Watches for cfg.durationSec (or until stopped); never prints (live observations go to onObservation). */
export async function runWatch(
  cfg: WatchConfig,
  onObservation: (o: Observation) => void,
  setStop: (stop: (() => void) | null) => void = () => {},
): Promise<WatchResult> {
  const watcher = new Watcher(localAddresses());
  const family = cfg.protocol === 'mld' ? 6 : 4;
  const t0 = nowSec();
  const { capture, reason } = openCapture(cfg.interface, { promisc: true, mode: 'any', family }, (bytes, at) => {
    for (const o of watcher.feedPacket(bytes, at - t0)) onObservation({ ...o, atSec: Math.round(o.atSec * 1000) / 1000 });
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
    protocol: cfg.protocol,
    source: capture?.source ?? null,
    durationSec: watched,
    summary,
    querier: querierVerdict(summary, watched, reason, cfg.protocol),
    local: localJoinState(cfg.interface, family),
  };
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  const cfg = validateWatch(argv);
  const out = createIgmpOutput(cfg.output, ctx.io);
  const start = { command: 'igmp watch', interface: cfg.interface, protocol: cfg.protocol, durationSec: cfg.durationSec };
  out.event({ event: 'start', data: start });
  const observations: Observation[] = [];
  let result: WatchResult;
  try {
    result = await runWatch(
      cfg,
      (o) => {
        if (observations.length < MAX_OBSERVATIONS) observations.push(o);
        out.event(observationEvent(o));
        out.live(renderObservation(o));
      },
      (stop) => ctx.setActiveRun(stop === null ? null : () => stop()),
    );
  } catch (e) {
    out.fail(e);
    throw e;
  }
  if (result.source === 'raw') out.warn(`no AF_PACKET socket on ${cfg.interface}: the raw IGMP socket sees queries, not other hosts' reports`);
  if (result.source === null) out.warn(`nothing captured: ${result.querier.explanation}`);
  const end = { durationSec: result.durationSec, source: result.source, summary: result.summary, verdict: { querier: result.querier }, local: result.local };
  if (cfg.output === 'json-stream') out.event({ event: 'end', data: end });
  else if (cfg.output === 'json') {
    const doc = { schemaVersion: 1, start: { ...start, source: result.source }, observations, end };
    ctx.io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else ctx.io.stdout.write(renderWatch(result));
  return result.source === null ? 1 : 0;
}
