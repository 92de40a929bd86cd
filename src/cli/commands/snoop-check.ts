/**
 * `mcastbench snoop-check`: one role per node, all with the same group and port. The sender
 * streams (the engine's runSender); a member joins, counts, and can leave (membership held or
 * aged out, leave latency); a probe does not join and counts the group's frames reaching its
 * interface (snooping filtering or flooding). Each also watches IGMP (IPv4 groups) or MLD (IPv6
 * groups) for the querier verdict.
 */
import { networkInterfaces } from 'node:os';
import type { Argv } from 'yargs';
import { resolveInterface } from '../../config/interfaces.js';
import { readChoice, readDurationSec, readInt, readString, type RawOptions } from '../../config/raw-options.js';
import { validateSender } from '../../config/validate.js';
import { ConfigError } from '../../errors.js';
import { observationEvent } from '../../igmp/events.js';
import { canonicalGroup, groupFamily } from '../../igmp/group-mac.js';
import { interfaceHasIPv6 } from '../../igmp/local.js';
import { renderVerdicts, type SnoopCheckVerdicts } from '../../igmp/render.js';
import { runMember, runProbe, type SnoopConfig, type SnoopHooks, type SnoopResult } from '../../igmp/snoop.js';
import type { CommandContext } from '../context.js';
import { createIgmpOutput, readIgmpOutputMode, type IgmpOutput, type IgmpOutputMode } from '../igmp-output.js';

export const command = 'snoop-check';
export const describe = 'IGMP / MLD snooping check, one role per node: sender streams, member joins and counts, probe (not joined) counts flooded frames';

const str = { type: 'string', requiresArg: true } as const;
export const options = {
  role: { ...str, describe: 'sender, member or probe' },
  group: { ...str, describe: 'Multicast group: IPv4 (IGMP) or IPv6 (MLD)' },
  port: { ...str, alias: 'p', describe: 'UDP port' },
  interface: { ...str, describe: 'Interface name (eth0)' },
  duration: { ...str, alias: 't', describe: 'Run time (600s crosses the default 260 s membership interval)', defaultDescription: '30s' },
  'leave-after': { ...str, describe: 'member: leave after this long and measure how long frames keep arriving' },
  rate: { ...str, alias: 'b', describe: 'sender: rate (as for send: 1m, 100pps)', defaultDescription: '100pps' },
  json: { type: 'boolean', alias: 'J', describe: 'Print one JSON document at the end (stdout)' },
  'json-stream': { type: 'boolean', describe: 'Print one JSON event per line (start, query, report, leave, counts, warning, end)' },
} as const;

export function builder(y: Argv): Argv {
  return y
    .options(options)
    .group(Object.keys(options), 'Snoop check:')
    .example('$0 snoop-check --role sender --group 239.1.1.1 --port 5001 --interface eth0 --duration 60s', 'on the sending node')
    .example('$0 snoop-check --role probe --group 239.1.1.1 --port 5001 --interface eth0 --duration 20s', 'on a node that must NOT get the group')
    .example('$0 snoop-check --role probe --group ff15::4d42:1 --port 5001 --interface eth0', 'the same for an IPv6 group (MLD snooping)');
}

interface Parsed {
  role: 'sender' | 'member' | 'probe';
  cfg: SnoopConfig;
  output: IgmpOutputMode;
  rate: string;
}

const GROUPS_ALLOWED = '224.0.0.0/4 or ff00::/8';

function parse(argv: RawOptions): Parsed {
  if (readString(argv, 'role') === undefined) throw new ConfigError('--role', 'is required', 'sender, member, probe');
  const role = readChoice(argv, 'role', ['sender', 'member', 'probe'] as const, 'member');
  const given = readString(argv, 'group');
  if (given === undefined) throw new ConfigError('--group', 'is required', GROUPS_ALLOWED);
  const family = groupFamily(given);
  if (family === null) throw new ConfigError('--group', `${given} is not a multicast group`, GROUPS_ALLOWED, 'ERR_NOT_MULTICAST');
  const group = canonicalGroup(given);
  const port = readInt(argv, 'port', { min: 1, max: 65535 }, '');
  if (port === undefined) throw new ConfigError('--port', 'is required', '1..65535');
  const ifGiven = readString(argv, 'interface');
  if (!ifGiven) throw new ConfigError('--interface', 'is required', 'an interface name, e.g. eth0');
  const spec = resolveInterface(ifGiven, family, networkInterfaces());
  // The probe captures on the interface by name; resolveInterface found it in the table.
  const ifname = spec.name ?? ifGiven;
  if (family === 6 && !interfaceHasIPv6(ifname)) {
    throw new ConfigError('--interface', `${ifname} has no IPv6 address here, so it cannot join ${group}`, 'an interface with an IPv6 address (a link-local one is enough)');
  }
  const ifaddr = family === 6 ? `::%${ifname}` : (spec.address ?? '');
  const durationSec = readDurationSec(argv, 'duration', { min: 1, max: 86400 }) ?? 30;
  const leaveAfterSec = readDurationSec(argv, 'leave-after', { min: 0.1, max: 86400 }) ?? null;
  if (leaveAfterSec !== null && role !== 'member') throw new ConfigError('--leave-after', `is for --role member, not ${role}`, '--role member', 'ERR_OPTION_CONFLICT');
  if (leaveAfterSec !== null && leaveAfterSec >= durationSec) throw new ConfigError('--leave-after', 'must be shorter than --duration', `below ${durationSec} s`, 'ERR_OPTION_CONFLICT');
  const rate = readString(argv, 'rate');
  if (rate !== undefined && role !== 'sender') throw new ConfigError('--rate', `is for --role sender, not ${role}`, '--role sender', 'ERR_OPTION_CONFLICT');
  return {
    role,
    cfg: { group, family, port, interface: ifname, ifaddr, durationSec, leaveAfterSec },
    output: readIgmpOutputMode(argv),
    rate: rate ?? '100pps',
  };
}

/** end.verdict as the issue names the keys, with the explanations and evidence beside them. */
function verdictJson(v: SnoopCheckVerdicts): Record<string, unknown> {
  const q = v.querier;
  return {
    snooping: v.snooping.verdict,
    querier: q.verdict,
    querierProtocol: q.protocol,
    ...(q.verdict === 'present'
      ? { querierAddress: q.querierAddress, ...(q.protocol === 'mld' ? { mldVersion: q.mldVersion } : { igmpVersion: q.igmpVersion }), queryIntervalSec: q.queryIntervalSec }
      : {}),
    membership: v.membership.verdict,
    ...('lostAtSec' in v.membership && v.membership.lostAtSec !== undefined ? { lostAtSec: v.membership.lostAtSec } : {}),
    leaveLatencyMs: v.leaveLatencyMs,
    details: { snooping: v.snooping, querier: q, membership: v.membership, ...(v.leave ? { leave: v.leave } : {}) },
  };
}

async function runSenderRole(p: Parsed, ctx: CommandContext, out: IgmpOutput, start: Record<string, unknown>): Promise<number> {
  const stream = p.output === 'json-stream';
  const cfg = validateSender({
    dest: p.cfg.group,
    port: String(p.cfg.port),
    rate: p.rate,
    duration: `${p.cfg.durationSec}s`,
    interface: p.cfg.interface,
    json: true,
    // json-stream: the engine's per-second intervals become interval events.
    interval: stream ? '1' : '0',
  });
  const engine = await ctx.loadEngine();
  const run = engine.runSender(cfg, { onInterval: (i) => out.event({ event: 'interval', data: i }), onWarning: (m) => out.warn(m) });
  ctx.setActiveRun((r) => run.stop(r));
  const report = await run.result.finally(() => ctx.setActiveRun(null));
  const sent = report.end.total.packets;
  const end = { role: 'sender', sent, sender: report.end };
  if (stream) out.event({ event: 'end', data: end });
  else if (p.output === 'json') ctx.io.stdout.write(`${JSON.stringify({ schemaVersion: 1, start, end }, null, 2)}\n`);
  else {
    const to = p.cfg.family === 6 ? `[${p.cfg.group}]:${p.cfg.port}` : `${p.cfg.group}:${p.cfg.port}`;
    ctx.io.stdout.write(`snoop-check (sender): sent ${sent} datagrams to ${to}; the member and probe nodes give the verdicts\n`);
  }
  return 0;
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  const p = parse(argv);
  const out = createIgmpOutput(p.output, ctx.io);
  const start = { command: 'snoop-check', role: p.role, ...p.cfg };
  out.event({ event: 'start', data: start });
  try {
    if (p.role === 'sender') return await runSenderRole(p, ctx, out, start);
  } catch (e) {
    out.fail(e);
    throw e;
  }
  const stop: { cancel?: () => void } = {};
  const hooks: SnoopHooks =
    p.output === 'json-stream' ? { onObservation: (o) => out.event(observationEvent(o)), onCounts: (c) => out.event({ event: 'counts', data: c }) } : {};
  ctx.setActiveRun(() => stop.cancel?.());
  let r: SnoopResult;
  try {
    r = p.role === 'probe' ? await runProbe(p.cfg, stop, hooks) : await runMember(p.cfg, stop, hooks);
  } catch (e) {
    out.fail(e);
    throw e;
  } finally {
    ctx.setActiveRun(null);
  }
  if (r.capture.startsWith('none')) out.warn(`no capture on ${p.cfg.interface}: ${r.capture}`);
  if ('warning' in r.verdicts.snooping && r.verdicts.snooping.warning !== undefined) out.warn(r.verdicts.snooping.warning);
  const end = { role: p.role, capture: r.capture, verdict: verdictJson(r.verdicts), counts: r.counts, local: r.local };
  if (p.output === 'json-stream') out.event({ event: 'end', data: end });
  else if (p.output === 'json') {
    const doc = { schemaVersion: 1, start: { ...start, capture: r.capture }, end };
    ctx.io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    ctx.io.stdout.write(renderVerdicts(p.role, r.verdicts, r.local));
  }
  return 0;
}
