/** `mcastbench send`: paced UDP to a unicast host or a multicast group. */
import type { Argv } from 'yargs';
import { DEFAULTS } from '../../config/defaults.js';
import { validateSender, type RawOptions } from '../../config/validate.js';
import { readRepeat } from '../../config/repeat.js';
import type { CommandContext } from '../context.js';
import { addOptions, OUTPUT_GROUP, type OptionGroups } from '../options.js';
import { createRunOutput } from '../output.js';
import { exitCodeOf, runWithOutput } from '../run.js';
import { sendRepeated } from '../send-repeat.js';

export const command = 'send';
export const describe = 'Send paced UDP datagrams to a unicast host or a multicast group';

export const options = {
  'Target:': ['dest', 'port', 'interface', 'ttl', 'loop'],
  'Rate and amount:': ['rate', 'size', 'streams', 'burst', 'burst-interval', 'count', 'duration'],
  'Totem profile:': ['profile', 'window-size', 'netmtu', 'token-rotation'],
  'Socket:': ['sndbuf', 'tos', 'dscp', 'gso'],
  'Repeat:': ['repeat', 'gap'],
  'Output:': OUTPUT_GROUP,
} as const satisfies OptionGroups;

export function builder(y: Argv): Argv {
  return addOptions(y, options, { duration: { defaultDescription: `${DEFAULTS.durationSec}s unless --count` } })
    .example('$0 send --dest 239.1.1.1 --rate 100m --duration 30s', '100 Mbit/s of payload to a group for 30 s')
    .example('$0 send --dest 10.0.0.2 --rate 10kpps --size 1000 --duration 6s --repeat 2 --gap 2s', 'one run per setting of a receiver started with --rcvbuf default,26214400');
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  const cfg = validateSender(argv);
  const repeat = readRepeat(argv);
  if (repeat !== null) return sendRepeated(ctx, await ctx.loadEngine(), cfg, repeat);
  const out = createRunOutput(cfg.output, 'sender', ctx.io);
  const engine = await ctx.loadEngine();
  const report = await runWithOutput(ctx, out, cfg.warnings, (hooks) => engine.runSender(cfg, hooks));
  return exitCodeOf(report);
}
