/**
 * `mcastbench snoop-check`: one role per node, all with the same group and port. The sender
 * streams (the engine's runSender); a member joins, counts, and can leave (membership held or
 * aged out, leave latency); a probe does not join and counts the group's frames reaching its
 * interface (snooping filtering or flooding). Each also watches IGMP for the querier verdict.
 */
import type { Argv } from 'yargs';
import { readBool, readChoice, readDurationSec, readInt, readString, type RawOptions } from '../../config/raw-options.js';
import { validateSender } from '../../config/validate.js';
import { ConfigError } from '../../errors.js';
import { interfaceIPv4 } from '../../igmp/local.js';
import { renderVerdicts, type SnoopCheckVerdicts } from '../../igmp/render.js';
import { runMember, runProbe, type SnoopConfig, type SnoopResult } from '../../igmp/snoop.js';
import type { CommandContext } from '../context.js';

export const command = 'snoop-check';
export const describe = 'IGMP snooping check, one role per node: sender streams, member joins and counts, probe (not joined) counts flooded frames';

const str = { type: 'string', requiresArg: true } as const;
export const options = {
  role: { ...str, describe: 'sender, member or probe' },
  group: { ...str, describe: 'Multicast group (IPv4)' },
  port: { ...str, alias: 'p', describe: 'UDP port' },
  interface: { ...str, describe: 'Interface name (eth0)' },
  duration: { ...str, alias: 't', describe: 'Run time (600s crosses the default 260 s membership interval)', defaultDescription: '30s' },
  'leave-after': { ...str, describe: 'member: leave after this long and measure how long frames keep arriving' },
  rate: { ...str, alias: 'b', describe: 'sender: rate (as for send: 1m, 100pps)', defaultDescription: '100pps' },
  json: { type: 'boolean', alias: 'J', describe: 'Print one JSON document at the end (stdout)' },
} as const;

export function builder(y: Argv): Argv {
  return y
    .options(options)
    .group(Object.keys(options), 'Snoop check:')
    .example('$0 snoop-check --role sender --group 239.1.1.1 --port 5001 --interface eth0 --duration 60s', 'on the sending node')
    .example('$0 snoop-check --role probe --group 239.1.1.1 --port 5001 --interface eth0 --duration 20s', 'on a node that must NOT get the group');
}

interface Parsed {
  role: 'sender' | 'member' | 'probe';
  cfg: SnoopConfig;
  json: boolean;
  rate: string;
}

function parse(argv: RawOptions): Parsed {
  const role = readChoice(argv, 'role', ['sender', 'member', 'probe'] as const, 'member');
  if (readString(argv, 'role') === undefined) throw new ConfigError('--role', 'is required', 'sender, member, probe');
  const group = readString(argv, 'group');
  if (group === undefined || !/^2(2[4-9]|3\d)\.\d+\.\d+\.\d+$/.test(group)) throw new ConfigError('--group', group ? `${group} is not an IPv4 multicast group` : 'is required', '224.0.0.0/4');
  const port = readInt(argv, 'port', { min: 1, max: 65535 }, '');
  if (port === undefined) throw new ConfigError('--port', 'is required', '1..65535');
  const iface = readString(argv, 'interface');
  if (!iface) throw new ConfigError('--interface', 'is required', 'an interface name, e.g. eth0');
  const ifaddr = interfaceIPv4(iface);
  if (ifaddr === null) throw new ConfigError('--interface', `${iface} has no IPv4 address here`, 'an interface with an IPv4 address');
  const durationSec = readDurationSec(argv, 'duration', { min: 1, max: 86400 }) ?? 30;
  const leaveAfterSec = readDurationSec(argv, 'leave-after', { min: 0.1, max: 86400 }) ?? null;
  if (leaveAfterSec !== null && role !== 'member') throw new ConfigError('--leave-after', `is for --role member, not ${role}`, '--role member', 'ERR_OPTION_CONFLICT');
  if (leaveAfterSec !== null && leaveAfterSec >= durationSec) throw new ConfigError('--leave-after', 'must be shorter than --duration', `below ${durationSec} s`, 'ERR_OPTION_CONFLICT');
  return { role, cfg: { group, port, interface: iface, ifaddr, durationSec, leaveAfterSec }, json: readBool(argv, 'json'), rate: readString(argv, 'rate') ?? '100pps' };
}

/** end.verdict as the issue names the keys, with the explanations and evidence beside them. */
function verdictJson(v: SnoopCheckVerdicts): Record<string, unknown> {
  const q = v.querier;
  return {
    snooping: v.snooping.verdict,
    querier: q.verdict,
    ...(q.verdict === 'present' ? { querierAddress: q.querierAddress, igmpVersion: q.igmpVersion, queryIntervalSec: q.queryIntervalSec } : {}),
    membership: v.membership.verdict,
    ...('lostAtSec' in v.membership && v.membership.lostAtSec !== undefined ? { lostAtSec: v.membership.lostAtSec } : {}),
    leaveLatencyMs: v.leaveLatencyMs,
    details: { snooping: v.snooping, querier: q, membership: v.membership, ...(v.leave ? { leave: v.leave } : {}) },
  };
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  const p = parse(argv);
  const start = { command: 'snoop-check', role: p.role, ...p.cfg };
  if (p.role === 'sender') {
    const cfg = validateSender({ dest: p.cfg.group, port: String(p.cfg.port), rate: p.rate, duration: `${p.cfg.durationSec}s`, interface: p.cfg.interface, json: true, interval: '0' });
    const engine = await ctx.loadEngine();
    const run = engine.runSender(cfg, {});
    ctx.setActiveRun((r) => run.stop(r));
    const report = await run.result;
    ctx.setActiveRun(null);
    const sent = report.end.total.packets;
    if (p.json) ctx.io.stdout.write(`${JSON.stringify({ schemaVersion: 1, start, end: { role: 'sender', sent, sender: report.end } }, null, 2)}\n`);
    else ctx.io.stdout.write(`snoop-check (sender): sent ${sent} datagrams to ${p.cfg.group}:${p.cfg.port}; the member and probe nodes give the verdicts\n`);
    return 0;
  }
  const stop: { cancel?: () => void } = {};
  ctx.setActiveRun(() => stop.cancel?.());
  let r: SnoopResult;
  try {
    r = p.role === 'probe' ? await runProbe(p.cfg, stop) : await runMember(p.cfg, stop);
  } finally {
    ctx.setActiveRun(null);
  }
  if (p.json) {
    const doc = { schemaVersion: 1, start: { ...start, capture: r.capture }, end: { role: p.role, verdict: verdictJson(r.verdicts), counts: r.counts, local: r.local } };
    ctx.io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    ctx.io.stdout.write(renderVerdicts(p.role, r.verdicts, r.local));
  }
  return 0;
}
