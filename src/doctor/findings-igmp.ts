/**
 * Rules for the host's own join state (/proc/net/igmp, igmp6, mcfilter, mcfilter6). The host
 * side only: whether a querier exists on the network is not visible here (field.md §3), which
 * is why every report carries the Querier-column note.
 * Thresholds:
 * - force_igmp_version 1 or 2 in effect (conf.all or conf.IF): info; warn if SSM source filters
 *   exist on that interface, since IGMPv1/v2 reports cannot carry sources.
 * - V1/V2 in the Querier column without a forced version: info (an older querier was heard
 *   within the Older Version Querier Present timeout: robustness x query interval + response
 *   interval, 260 s with RFC 3376 defaults); warn with SSM filters, as above.
 * - force_mld_version 1 in effect: info (MLDv1 carries no sources).
 */
import { finding, sysctlFix } from './fix.js';
import type { DoctorReport, Finding, IgmpInterface, InterfaceInfo, McFilter } from './model.js';

function filters(list: McFilter[] | null, ifindex: number): McFilter[] {
  return (list ?? []).filter((f) => f.ifindex === ifindex);
}

function sourcesText(fs: McFilter[]): string {
  return fs.map((f) => `${f.group} ${f.includeCount > 0 ? 'from' : 'except'} ${f.source}`).join(', ');
}

function groupsFinding(r: DoctorReport): Finding {
  if (r.igmp === null) return finding('igmp-groups', 'info', '/proc/net/igmp is missing', 'IPv4 multicast join state cannot be read here.');
  const rows = r.igmp.map((i) => {
    const groups = i.groups.map((g) => (g.users > 1 ? `${g.group} (${g.users} users)` : g.group)).join(', ');
    const ssm = filters(r.mcfilter, i.ifindex);
    return `${i.device} [${i.compatMode}]: ${groups || 'none'}${ssm.length ? `; source filters: ${sourcesText(ssm)}` : ''}`;
  });
  const joined = r.igmp.reduce((a, i) => a + i.groups.length, 0);
  return finding('igmp-groups', 'ok', `IPv4 groups joined: ${joined} on ${r.igmp.length} interfaces (compatibility mode in brackets)`, rows.join('. '));
}

/** Commands that undo a forced version: the interface's setting and/or conf.all. */
function unforce(i: InterfaceInfo, r: DoctorReport, forced: number): string[] {
  const out: string[] = [];
  if (i.forceIgmpVersion.value === forced) out.push(...sysctlFix(i.forceIgmpVersion.key, 0));
  if (r.sysctls.forceIgmpVersionAll.value === forced) out.push(...sysctlFix(r.sysctls.forceIgmpVersionAll.key, 0));
  return out;
}

function queryProbe(dev: string): string {
  return `tcpdump -ni ${dev} -c 1 'igmp[0] = 0x11'`;
}

function versionFindings(r: DoctorReport): Finding[] {
  const out: Finding[] = [];
  const byIndex = new Map<number, IgmpInterface>((r.igmp ?? []).map((i) => [i.ifindex, i]));
  for (const i of r.interfaces.filter((x) => !x.loopback)) {
    const block = i.ifindex === null ? undefined : byIndex.get(i.ifindex);
    const ssm = i.ifindex === null ? [] : filters(r.mcfilter, i.ifindex).filter((f) => f.includeCount > 0);
    const forced = i.forceIgmpVersionEffective;
    const ssmNote = ssm.length ? ` Source-specific joins here (${sourcesText(ssm)}) go out as (*,G) joins: the network cannot filter by source, only this host does.` : '';
    if (forced === 1 || forced === 2) {
      out.push(
        finding(
          `igmp-version:${i.name}`,
          ssm.length ? 'warn' : 'info',
          `IGMP version forced to v${forced} on ${i.name} (force_igmp_version: ${i.name} ${i.forceIgmpVersion.value ?? '?'}, all ${r.sysctls.forceIgmpVersionAll.value ?? '?'})`,
          `The host sends IGMPv${forced} reports whatever the querier speaks.${ssmNote}`,
          unforce(i, r, forced),
        ),
      );
    } else if (block && (block.compatMode === 'V1' || block.compatMode === 'V2')) {
      out.push(
        finding(
          `igmp-version:${i.name}`,
          ssm.length ? 'warn' : 'info',
          `${i.name} is in IGMP${block.compatMode.toLowerCase()} compatibility mode: an IGMP${block.compatMode.toLowerCase()} querier was heard`,
          `Without a forced version this means a ${block.compatMode} query arrived within the last few minutes (robustness x query interval + response interval, 260 s by default).${ssmNote}`,
          [queryProbe(i.name)],
        ),
      );
    }
  }
  return out;
}

function querierNote(r: DoctorReport): Finding[] {
  if (r.igmp === null) return [];
  const devs = r.interfaces.filter((i) => i.up && i.multicast && !i.loopback).map((i) => i.name);
  return [
    finding(
      'igmp-querier-note',
      'info',
      "The 'Querier' column of /proc/net/igmp is not proof of a querier",
      'It is the host\'s IGMP compatibility mode. V3 shows both when a v3 querier is present and when no query was ever heard; ' +
        'V1/V2 show an older querier heard recently or a forced version. Without any querier, snooping switches forget members ' +
        'after the membership interval (260 s by default) and many stop forwarding. To see a querier, capture a query (IGMP type 0x11):',
      devs.map(queryProbe),
    ),
  ];
}

function mldFindings(r: DoctorReport): Finding[] {
  if (r.igmp6 === null) return [finding('mld-groups', 'info', 'No IPv6 multicast state (/proc/net/igmp6 is missing)', 'IPv6 is off in this namespace or kernel.')];
  const devs = [...new Set(r.igmp6.map((g) => g.device))];
  const rows = devs.map((d) => {
    const groups = r.igmp6!.filter((g) => g.device === d).map((g) => g.group);
    const ifindex = r.igmp6!.find((g) => g.device === d)?.ifindex ?? -1;
    const ssm = filters(r.mcfilter6, ifindex);
    return `${d}: ${groups.join(', ')}${ssm.length ? `; source filters: ${sourcesText(ssm)}` : ''}`;
  });
  const out = [finding('mld-groups', 'ok', `IPv6 groups joined: ${r.igmp6.length} on ${devs.length} interfaces`, rows.join('. ') || 'none')];
  const all = r.sysctls.forceMldVersionAll;
  for (const i of r.interfaces.filter((x) => !x.loopback && (x.forceMldVersion.value === 1 || all.value === 1))) {
    const fix = [...(i.forceMldVersion.value === 1 ? sysctlFix(i.forceMldVersion.key, 0) : []), ...(all.value === 1 ? sysctlFix(all.key, 0) : [])];
    out.push(finding(`mld-version:${i.name}`, 'info', `MLD version forced to v1 on ${i.name}`, 'MLDv1 reports carry no sources: IPv6 SSM joins go out as (*,G).', fix));
  }
  return out;
}

export function igmpFindings(r: DoctorReport): Finding[] {
  return [groupsFinding(r), ...versionFindings(r), ...querierNote(r), ...mldFindings(r)];
}
