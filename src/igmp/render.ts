/** Text renderers: pure functions of the result models (style rule 1). */
import type { LocalJoinState } from './local.js';
import type { LeaveVerdict, MembershipVerdict, QuerierVerdict, SnoopingVerdict } from './verdict.js';
import type { Observation, WatchSummary } from './watch.js';

export function renderObservation(o: Observation): string {
  const t = `${o.atSec.toFixed(2).padStart(7)}s`;
  if (o.kind === 'query') {
    const what = o.general ? 'general query' : `group query ${o.group}`;
    return `${t}  IGMPv${o.version} ${what} from ${o.from}, max resp ${o.maxRespSec} s\n`;
  }
  const who = o.self ? `${o.from} (this host)` : o.from;
  if (o.kind === 'leave') return `${t}  IGMPv${o.version} leave ${o.group} by ${who}\n`;
  return `${t}  IGMPv${o.version} report ${o.group} (${o.record}) by ${who}\n`;
}

export interface WatchResult {
  interface: string;
  source: 'packet' | 'raw' | null;
  durationSec: number;
  summary: WatchSummary | null;
  querier: QuerierVerdict;
  local: LocalJoinState;
}

function renderLocal(l: LocalJoinState): string {
  const f = l.forceIgmpVersion;
  return (
    `local ${l.interface}: joined ${l.groups.length ? l.groups.join(', ') : 'nothing'}; compatibility mode ${l.compatMode ?? '?'}; ` +
    `force_igmp_version all=${f.all ?? '?'} ${l.interface}=${f.interface ?? '?'}\n  note: ${l.note}\n`
  );
}

export function renderQuerier(v: QuerierVerdict): string {
  return `querier: ${v.verdict} - ${v.explanation}\n${v.fix ? `  fix: ${v.fix}\n` : ''}`;
}

export function renderWatch(r: WatchResult): string {
  let out = `igmp watch on ${r.interface} for ${r.durationSec} s (${r.source ?? 'no capture'})\n`;
  for (const q of r.summary?.queriers ?? []) {
    out +=
      `  querier ${q.address} IGMPv${q.version}: ${q.generalQueries} general, ${q.groupQueries} group-specific queries; ` +
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
