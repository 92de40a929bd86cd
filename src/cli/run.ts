/**
 * The part every command shares: start the run with the writer's hooks, let main stop it on
 * Ctrl-C, print the (possibly partial) result, and route a failure into the JSON output before
 * main turns it into a line and an exit code.
 */
import type { RunHandle, RunHooks } from '../engine/api.js';
import type { RunReport } from '../report/model.js';
import type { CommandContext } from './context.js';
import type { RunOutput } from './output.js';

export async function runWithOutput<R extends RunReport>(
  ctx: CommandContext,
  out: RunOutput,
  warnings: readonly string[],
  start: (hooks: RunHooks) => RunHandle<R>,
): Promise<R> {
  // Validation warnings are shown before anything else, even if the run fails to start.
  for (const w of warnings) out.warn(w);
  try {
    const handle = start(out.hooks);
    ctx.setActiveRun((reason) => handle.stop(reason));
    const report = await handle.result;
    out.finish(report);
    return report;
  } catch (e) {
    out.fail(e);
    throw e;
  } finally {
    ctx.setActiveRun(null);
  }
}

/** Exit code of a finished run: 3 when --max-loss was exceeded, else 0. */
export function exitCodeOf(report: RunReport): number {
  const end = report.end as { maxLossExceeded?: boolean };
  return end.maxLossExceeded === true ? 3 : 0;
}
