import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/bench/main.js';
import { cellsOf, lookupIn, renderCells, renderTargets, type RunRecord } from '../../src/bench/report.js';
import { fmt, fmtSummary, renderTable } from '../../src/bench/table.js';
import { evaluateTargets, IDEAL_GAP_US_1470_100M } from '../../src/bench/targets.js';

function run(workload: string, tool: string, size: number | null, round: number, metrics: Record<string, number | null>, backend = tool.replace('mcastbench-', '')): RunRecord {
  return { workload, tool, backend, size, round, ok: true, error: null, notes: [], metrics, foreignCpuPercent: 1, tries: 1 };
}

const RUNS: RunRecord[] = [
  ...[1, 2, 3].flatMap((r) => [
    run('maxrate', 'iperf2', 64, r, { sentPps: 240_000 + r * 1000 }),
    run('maxrate', 'mcastbench-native', 64, r, { sentPps: 250_000 + r * 1000 }),
    run('maxrate', 'iperf2', 1470, r, { sentPps: 250_000 }),
    run('maxrate', 'mcastbench-native', 1470, r, { sentPps: 200_000 }),
    run('drain', 'mcastbench-native', 64, r, { drainPps: 1_000_000 }),
    run('drain', 'mcastbench-dgram', 64, r, { drainPps: 250_000 }),
    run('drain', 'mcastbench-native', 1470, r, { drainPps: 500_000 + r * 50_000 }),
    run('drain', 'mcastbench-dgram', 1470, r, { drainPps: 150_000 + r * 5_000 }),
    run('pacing', 'mcastbench-native', 1470, r, { rateErrorPercent: 0.01 * r, gapP99Us: 200, senderCpuPercent: 18 }),
    run('noloss', 'mcastbench-native', 1470, r, { lostPackets: r === 2 ? 5 : 0, achievedRatio: 1 }),
  ]),
  { workload: 'drain', tool: 'mcastbench-dgram', backend: '-', size: 64, round: 4, ok: false, error: 'boom', notes: [], metrics: {}, foreignCpuPercent: null, tries: 2 },
];

describe('bench report', () => {
  const cells = cellsOf(RUNS);
  const lookup = lookupIn(cells);

  it('groups runs into cells with medians and counts failures', () => {
    expect(lookup('maxrate', 'iperf2', 64, 'sentPps')).toMatchObject({ n: 3, median: 242_000, min: 241_000, max: 243_000 });
    const d = cells.find((c) => c.workload === 'drain' && c.tool === 'mcastbench-dgram')!;
    expect(d.runs).toBe(4);
    expect(d.failed).toBe(1);
    expect(d.backends).toEqual(['dgram']);
  });

  it('evaluates targets as ratios of medians: met, not met, not evaluated', () => {
    const v = evaluateTargets({ lookup, gsoAvailable: false, memoryRan: false });
    const by = Object.fromEntries(v.map((t) => [t.id, t]));
    expect(by['maxrate-native-64']).toMatchObject({ met: true });
    expect(by['maxrate-native-64']!.measured).toBeCloseTo(252_000 / 242_000, 9);
    expect(by['maxrate-native-1470']).toMatchObject({ met: false, measured: 0.8 });
    expect(by['maxrate-native-1470']!.note).not.toMatch(/overlap/);
    expect(by['maxrate-native-64']!.note).not.toMatch(/overlap/); // 251k..253k vs 241k..243k

    expect(by['maxrate-gso-64']).toMatchObject({ met: null });
    expect(by['maxrate-gso-64']!.note).toMatch(/no --gso/);
    expect(by['drain-64']).toMatchObject({ met: true, measured: 4 });
    // 600k / 160k = 3.75x: met, but 550k..650k overlaps 3.5 x (155k..165k) = 542.5k..577.5k.
    expect(by['drain-1470']).toMatchObject({ met: true, measured: 3.75 });
    expect(by['drain-1470']!.note).toMatch(/ranges overlap/);
    expect(by['pacing-rate']).toMatchObject({ met: true });
    expect(by['pacing-gap-p99']).toMatchObject({ met: true, measured: 200 });
    expect(by['pacing-cpu']).toMatchObject({ met: true });
    expect(by['noloss']).toMatchObject({ met: false, measured: 5 });
    expect(by['memory']).toMatchObject({ met: null });
    expect(by['memory']!.note).toMatch(/--quick/);
    expect(IDEAL_GAP_US_1470_100M).toBeCloseTo(117.6, 6);
  });

  it('renders tables that name the backend and the skipped rows', () => {
    const text = renderCells(cells, [{ workload: 'maxrate', tool: 'sockperf', why: 'sockperf not installed' }]);
    expect(text).toContain('Maximum send rate');
    expect(text).toMatch(/mcastbench-native\s+native\s+64\s+3\/3\s+252,000 \(251,000\.\.253,000\)/);
    expect(text).toMatch(/mcastbench-dgram\s+dgram\s+64\s+3\/4/);
    expect(text).toContain('skipped: sockperf not installed');
    const t = renderTargets(evaluateTargets({ lookup, gsoAvailable: false, memoryRan: false }));
    expect(t).toMatch(/native max send rate at 1470 B vs iperf 2\s+>= 1.00x iperf2\s+0.8x\s+NOT MET/);
    expect(t).toContain('n/a');
  });

  it('table and number formatting', () => {
    expect(renderTable(['a', 'n'], [['x', '1,000'], ['longer', '5']])).toBe('a       n\n------  -----\nx       1,000\nlonger      5');
    expect(fmt(1234.6)).toBe('1,235');
    expect(fmt(0.01234)).toBe('0.0123');
    expect(fmt(null)).toBe('-');
    expect(fmtSummary({ n: 1, median: 5, min: 5, max: 5, spreadPercent: 0 })).toBe('5');
  });
});

describe('bench arguments', () => {
  it('--quick means one round unless --rounds is given', () => {
    expect(parseArgs([])).toEqual({ quick: false, rounds: 3, out: null, install: true });
    expect(parseArgs(['--quick'])).toMatchObject({ quick: true, rounds: 1 });
    expect(parseArgs(['--quick', '--rounds', '2', '--out', 'x.json', '--no-install'])).toEqual({ quick: true, rounds: 2, out: 'x.json', install: false });
    expect(() => parseArgs(['--rounds', '0'])).toThrow(/1-20/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option/);
  });
});
