/** Pure: groups run records into cells (median/spread per metric) and renders the tables. */
import { summarize, type Summary } from './stats.js';
import { fmt, fmtSummary, renderTable } from './table.js';
import type { TargetVerdict } from './targets.js';

export interface RunRecord {
  workload: string;
  tool: string;
  /** What actually ran: mcastbench's reported backend, or the peer's name. */
  backend: string;
  size: number | null;
  round: number;
  ok: boolean;
  error: string | null;
  notes: string[];
  metrics: Record<string, number | null>;
  /** CPU other processes used during the kept try, % of one core (lower bound), or null. */
  foreignCpuPercent: number | null;
  /** Tries made (a disturbed try is repeated; the quietest is kept). */
  tries: number;
}

export interface Cell {
  workload: string;
  tool: string;
  backends: string[];
  size: number | null;
  runs: number;
  failed: number;
  /** Largest foreign CPU among the kept runs, % of one core. */
  maxForeignCpuPercent: number | null;
  metrics: Record<string, Summary | null>;
}

export function cellsOf(runs: readonly RunRecord[]): Cell[] {
  const map = new Map<string, RunRecord[]>();
  for (const r of runs) {
    const k = `${r.workload}|${r.tool}|${r.size ?? ''}`;
    const list = map.get(k) ?? [];
    list.push(r);
    map.set(k, list);
  }
  const cells: Cell[] = [];
  for (const list of map.values()) {
    const first = list[0]!;
    const ok = list.filter((r) => r.ok);
    const names = [...new Set(ok.flatMap((r) => Object.keys(r.metrics)))];
    const metrics: Record<string, Summary | null> = {};
    for (const n of names) metrics[n] = summarize(ok.map((r) => r.metrics[n]));
    cells.push({
      workload: first.workload,
      tool: first.tool,
      backends: [...new Set(ok.map((r) => r.backend))],
      size: first.size,
      runs: list.length,
      failed: list.length - ok.length,
      maxForeignCpuPercent: ok.some((r) => r.foreignCpuPercent !== null) ? Math.max(...ok.map((r) => r.foreignCpuPercent ?? 0)) : null,
      metrics,
    });
  }
  return cells;
}

export function lookupIn(cells: readonly Cell[]) {
  return (workload: string, tool: string, size: number | null, metric: string): Summary | null =>
    cells.find((c) => c.workload === workload && c.tool === tool && (size === null || c.size === size))?.metrics[metric] ?? null;
}

interface Column {
  header: string;
  metric: string;
  digits?: number;
}

const WORKLOADS: { id: string; title: string; columns: Column[] }[] = [
  {
    id: 'maxrate',
    title: 'Maximum send rate (sender CPU 0 -> receiver CPU 1, loopback in the bench namespace)',
    columns: [
      { header: 'sent pps', metric: 'sentPps' },
      { header: 'Mbit/s', metric: 'sentMbps' },
      { header: 'kernel loss %', metric: 'kernelLossPercent', digits: 2 },
      { header: 'sender CPU %', metric: 'senderCpuPercent', digits: 3 },
    ],
  },
  {
    id: 'drain',
    title: 'Receive capacity: drain of a pre-filled forced buffer (receiver SIGSTOPped, filled, SIGCONTed)',
    columns: [
      { header: 'drain pps', metric: 'drainPps' },
      { header: 'drain ms', metric: 'drainMs' },
      { header: 'datagrams', metric: 'packets' },
      { header: 'queued MiB', metric: 'queuedMiB' },
      { header: 'overflow drops', metric: 'socketDrops' },
    ],
  },
  {
    id: 'pacing',
    title: 'Pacing 100 Mbit/s of 1470 B (ideal gap 117.6 us); gaps/rate from tcpdump on lo (ns), steady window',
    columns: [
      { header: 'rate err %', metric: 'rateErrorPercent', digits: 2 },
      { header: 'gap p50 us', metric: 'gapP50Us' },
      { header: 'gap p99 us', metric: 'gapP99Us' },
      { header: 'burst %', metric: 'burstPercent', digits: 2 },
      { header: 'sender CPU %', metric: 'senderCpuPercent' },
      { header: 'rx gap p99 us (own)', metric: 'rxGapP99Us' },
    ],
  },
  {
    id: 'latency',
    title: 'Latency at 1000 datagrams/s, 1470 B (mcastbench, iperf 2: one-way; sockperf: ROUND TRIP)',
    columns: [
      { header: 'p50 us', metric: 'p50Us' },
      { header: 'p99 us', metric: 'p99Us' },
      { header: 'send->kernel p50/p99 us', metric: 'sendToKernel' },
    ],
  },
  {
    id: 'noloss',
    title: "No loss at iperf 2's max rate (1470 B, its median this run), receiver forced 32 MiB",
    columns: [
      { header: 'asked pps', metric: 'targetPps' },
      { header: 'achieved pps', metric: 'achievedPps' },
      { header: 'lost', metric: 'lostPackets' },
      { header: 'socket drops', metric: 'socketDrops' },
    ],
  },
  {
    id: 'memory',
    title: 'Receiver memory over a max-rate run (VmRSS each second)',
    columns: [
      { header: 'RSS@2s KiB', metric: 'rss2sKb' },
      { header: 'RSS end KiB', metric: 'rssEndKb' },
      { header: 'RSS max KiB', metric: 'rssMaxKb' },
      { header: 'growth %', metric: 'rssGrowthPercent', digits: 2 },
      { header: 'loss %', metric: 'lossPercent', digits: 2 },
    ],
  },
];

function cellValue(c: Cell, col: Column): string {
  if (col.metric === 'sendToKernel') {
    const a = c.metrics['sendToKernelP50Us'];
    const b = c.metrics['sendToKernelP99Us'];
    return a && b ? `${fmt(a.median)} / ${fmt(b.median)}` : '-';
  }
  return fmtSummary(c.metrics[col.metric] ?? null, col.digits ?? 3);
}

/** One table per workload; every row names the tool and the backend that actually ran. */
export function renderCells(cells: readonly Cell[], skipped: readonly { workload: string; tool: string; why: string }[]): string {
  const parts: string[] = [];
  for (const w of WORKLOADS) {
    const rows = cells.filter((c) => c.workload === w.id);
    const skips = skipped.filter((s) => s.workload === w.id);
    if (rows.length === 0 && skips.length === 0) continue;
    const body = rows.map((c) => [
      c.tool,
      c.backends.join(',') || '-',
      c.size === null ? '-' : String(c.size),
      `${c.runs - c.failed}/${c.runs}`,
      ...w.columns.map((col) => cellValue(c, col)),
      fmt(c.maxForeignCpuPercent, 2),
    ]);
    for (const s of skips) body.push([s.tool, '-', '-', '0', `skipped: ${s.why}`]);
    parts.push(`${w.title}\n${renderTable(['tool', 'backend', 'size B', 'ok', ...w.columns.map((c) => c.header), 'foreign CPU %'], body)}`);
  }
  return parts.join('\n\n');
}

export function renderTargets(v: readonly TargetVerdict[]): string {
  const rows = v.map((t) => [
    t.description,
    t.target,
    t.measured === null ? '-' : `${fmt(t.measured, 3)}${t.unit === 'x' ? 'x' : ` ${t.unit}`}`,
    t.met === null ? 'n/a' : t.met ? 'MET' : 'NOT MET',
    t.note,
  ]);
  return `Targets (medians of this run)\n${renderTable(['target', 'wanted', 'measured', 'verdict', 'note'], rows)}`;
}
