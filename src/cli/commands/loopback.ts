/** `mcastbench loopback`: both ends in one process over 127.0.0.1 (or ::1): a self-test. */
import type { Argv } from 'yargs';
import { DEFAULTS } from '../../config/defaults.js';
import { readReportPath } from '../../config/report-path.js';
import { validateLoopback, type RawOptions } from '../../config/validate.js';
import type { CommandContext } from '../context.js';
import { writeHtmlReport } from '../html-report.js';
import { addOptions, OUTPUT_GROUP, type OptionGroups } from '../options.js';
import { createRunOutput } from '../output.js';
import { exitCodeOf, runWithOutput } from '../run.js';

export const command = 'loopback';
export const describe = 'Send and receive in one process over the loopback interface (unicast only): a self-test';

export const options = {
  'Target:': ['dest', 'ipv6', 'port'],
  'Rate and amount:': ['rate', 'size', 'streams', 'burst', 'burst-interval', 'count', 'duration'],
  'Totem profile:': ['profile', 'window-size', 'netmtu', 'token-rotation'],
  'Socket:': ['sndbuf', 'rcvbuf', 'rcvbuf-force', 'tos', 'dscp', 'gso'],
  'Run:': ['idle-exit', 'max-loss'],
  'Slow receiver:': ['receiver-pause', 'pause-every', 'receiver-work-us'],
  'Output:': [...OUTPUT_GROUP, 'report'],
} as const satisfies OptionGroups;

const overrides = {
  dest: { describe: 'Loopback address (127.0.0.0/8 or ::1); never multicast', defaultDescription: `${DEFAULTS.loopback.destV4} (::1 with --ipv6)` },
  port: { describe: 'UDP port (0 = pick a free one)', defaultDescription: String(DEFAULTS.loopback.port) },
  rate: { defaultDescription: DEFAULTS.loopback.rate },
  duration: { defaultDescription: `${DEFAULTS.loopback.durationSec}s` },
  // -w means one buffer in iperf; here there are two, so neither gets the short form.
  sndbuf: { alias: undefined },
  rcvbuf: { alias: undefined },
};

export function builder(y: Argv): Argv {
  return addOptions(y, options, overrides).example('$0 loopback --rate 1g --size 8K', 'how fast can this host go');
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  const { sender, receiver } = validateLoopback(argv);
  const reportPath = readReportPath(argv);
  const out = createRunOutput(sender.output, 'loopback', ctx.io);
  const engine = await ctx.loadEngine();
  const warnings = [...sender.warnings, ...receiver.warnings];
  const report = await runWithOutput(ctx, out, warnings, (hooks) => engine.runLoopback(sender, receiver, hooks));
  if (reportPath !== null) {
    const { renderLoopbackHtml } = await import('../../report/html/index.js');
    writeHtmlReport(ctx, reportPath, (c) => renderLoopbackHtml(report, c));
  }
  return exitCodeOf(report);
}
