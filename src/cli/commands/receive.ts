/** `mcastbench receive`: count, time and reconcile what arrives (unicast, ASM or SSM). */
import type { Argv } from 'yargs';
import { readReportPath } from '../../config/report-path.js';
import { validateReceiver, type RawOptions } from '../../config/validate.js';
import type { CommandContext } from '../context.js';
import { writeHtmlReport } from '../html-report.js';
import { addOptions, OUTPUT_GROUP, type OptionGroups } from '../options.js';
import { createRunOutput } from '../output.js';
import { exitCodeOf, runWithOutput } from '../run.js';

export const command = 'receive';
export const describe = 'Receive and measure: loss, duplicates, reordering, jitter, latency, kernel drops';

export const options = {
  'Listen:': ['group', 'source', 'port', 'bind', 'interface'],
  'Socket:': ['rcvbuf', 'rcvbuf-force'],
  'Run:': ['duration', 'idle-exit', 'max-loss', 'count-from', 'clocks-synced'],
  'Slow receiver:': ['receiver-pause', 'pause-every', 'receiver-work-us'],
  'Output:': [...OUTPUT_GROUP, 'report'],
} as const satisfies OptionGroups;

export function builder(y: Argv): Argv {
  return addOptions(y, options, { duration: { defaultDescription: 'until Ctrl-C or --idle-exit' } })
    .example('$0 receive --group 232.1.1.1 --source 10.0.0.1 --idle-exit 3s', 'SSM receive until 3 s of silence')
    .example('$0 receive --port 5001 --max-loss 0.1', 'unicast; exit 3 above 0.1% loss');
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  const cfg = validateReceiver(argv);
  const reportPath = readReportPath(argv);
  const out = createRunOutput(cfg.output, 'receiver', ctx.io);
  const engine = await ctx.loadEngine();
  const report = await runWithOutput(ctx, out, cfg.warnings, (hooks) => engine.runReceiver(cfg, hooks));
  if (reportPath !== null) {
    const { renderReceiveHtml } = await import('../../report/html/index.js');
    writeHtmlReport(ctx, reportPath, (c) => renderReceiveHtml(report, c));
  }
  return exitCodeOf(report);
}
