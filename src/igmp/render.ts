/** Text renderers: pure functions of the result models (style rule 1). */
import type { LocalJoinState } from './local.js';
import type { LeaveVerdict, MembershipVerdict, QuerierVerdict, SnoopingVerdict } from './verdict.js';
import type { McastProtocol, Observation, WatchSummary } from './watch.js';

const NAME: Record<McastProtocol, string> = { igmp: 'IGMP', mld: 'MLD' };

/** "IGMPv3", "MLDv2". */
function versionName(protocol: McastProtocol, version: number): string {
  return `${NAME[protocol]}v${version}`;
}

export function renderObservation(o: Observation): string {
  const t = `${o.atSec.toFixed(2).padStart(7)}s`;
  const v = versionName(o.protocol, o.version);
  if (o.kind === 'query') {
    const what = o.general ? 'general query' : `group query ${o.group}`;
    return `${t}  ${v} ${what} from ${o.from}, max resp ${o.maxRespSec} s\n`;
  }
  const who = o.self ? `${o.from} (this host)` : o.from;
  // MLDv1 calls its leave "Done" (RFC 2710 §3.7).
  if (o.kind === 'leave') return `${t}  ${v} ${o.protocol === 'mld' && o.version === 1 ? 'done' : 'leave'} ${o.group} by ${who}\n`;
  return `${t}  ${v} report ${o.group} (${o.record}) by ${who}\n`;
}

export interface WatchResult {
  interface: string;
  protocol: McastProtocol;
  source: 'packet' | 'raw' | null;
  durationSec: number;
  summary: WatchSummary | null;
  querier: QuerierVerdict;
  local: LocalJoinState;
}

function renderLocal(l: LocalJoinState): string {
  const joined = `local ${l.interface}: joined ${l.groups.length ? l.groups.join(', ') : 'nothing'}`;
  const forced = (name: string, f: { all: number | null; interface: number | null } | undefined): string =>
    `${name} all=${f?.all ?? '?'} ${l.interface}=${f?.interface ?? '?'}`;
  const settings =
    l.protocol === 'mld'
      ? forced('force_mld_version', l.forceMldVersion)
      : `compatibility mode ${l.compatMode ?? '?'}; ${forced('force_igmp_version', l.forceIgmpVersion)}`;
  return `${joined}; ${settings}\n  note: ${l.note}\n`;
}

export function renderQuerier(v: QuerierVerdict): string {
  const label = v.protocol === 'mld' ? 'MLD querier' : 'querier';
  return `${label}: ${v.verdict} - ${v.explanation}\n${v.fix ? `  fix: ${v.fix}\n` : ''}`;
}

export function renderWatch(r: WatchResult): string {
  let out = `igmp watch (${NAME[r.protocol]}) on ${r.interface} for ${r.durationSec} s (${r.source ?? 'no capture'})\n`;
  for (const q of r.summary?.queriers ?? []) {
    out +=
      `  querier ${q.address} ${versionName(q.protocol, q.version)}: ${q.generalQueries} general, ${q.groupQueries} group-specific queries; ` +
      `interval ${q.queryIntervalSec ?? '-'} s; max resp ${q.maxRespSec} s${q.announcedIntervalSec !== null ? `; announced ${q.announcedIntervalSec} s` : ''}\n`;
  }
  if (r.summary) {
    const groups = Object.entries(r.summary.reportedGroups).map(([g, h]) => `${g} (${h.join(', ')})`);
    out += `  reports ${r.summary.reports}, leaves ${r.summary.leaves}; groups reported by other hosts: ${groups.join(', ') || 'none'}\n`;
  }
  return out + renderQuerier(r.querier) + renderLocal(r.local);
}

export interface SnoopCheckVerdicts {
  snooping: SnoopingVerdict | { verdict: 'unknown'; explanation: string };
  querier: QuerierVerdict;
  membership: MembershipVerdict | { verdict: 'unknown'; explanation: string };
  leaveLatencyMs: number | null;
  leave?: LeaveVerdict;
}

export function renderVerdicts(role: string, v: SnoopCheckVerdicts, local: LocalJoinState | null): string {
  let out = `snoop-check (${role})\n`;
  out += `snooping: ${v.snooping.verdict} - ${v.snooping.explanation}\n`;
  if ('warning' in v.snooping && v.snooping.warning) out += `  warning: ${v.snooping.warning}\n`;
  out += renderQuerier(v.querier);
  out += `membership: ${v.membership.verdict} - ${v.membership.explanation}\n`;
  if (v.leave) out += `leave latency: ${v.leaveLatencyMs ?? '-'} ms - ${v.leave.explanation}\n`;
  return out + (local ? renderLocal(local) : '');
}
