/**
 * `mcastbench doctor`: inspect this host (buffers, backlog, UDP errors, rings, rp_filter, MTUs,
 * IGMP join state) and print findings with the commands that would fix them. Read-only: it never
 * changes a setting, it prints the commands. Exit 0 whatever it finds: findings are advice, and
 * --json consumers read the severities.
 */
import type { Argv } from 'yargs';
import { readBool, readSize, type RawOptions } from '../../config/raw-options.js';
import { HarnessError } from '../../errors.js';
import { doctorDocument } from '../../doctor/findings.js';
import { inspectHost } from '../../doctor/inspect.js';
import { renderDoctor } from '../../doctor/render.js';
import { jsonErrorDocument, renderJsonDocument } from '../../report/json.js';
import type { CommandContext } from '../context.js';
import { oneLine } from '../output.js';

export const command = 'doctor';
export const describe = 'Inspect this host for multicast/UDP pitfalls and print the fix for each (changes nothing)';

/** Corosync's figure (and Red Hat's advice for it): 25 MiB. */
export const DEFAULT_TARGET_RCVBUF_BYTES = 26214400;
/** SO_RCVBUF is an int; the kernel's smallest receive buffer is SOCK_MIN_RCVBUF (~2.3 KiB). */
const TARGET_RANGE = { min: 4096, max: 2 ** 31 - 1 };

export const options = {
  json: { type: 'boolean', alias: 'J', describe: 'Print one JSON document (readings and findings) on stdout' },
  'target-rcvbuf': {
    type: 'string',
    requiresArg: true,
    describe: 'Receive buffer the host should allow (net.core.rmem_max is measured against it); binary suffixes (25M)',
    defaultDescription: `${DEFAULT_TARGET_RCVBUF_BYTES} (25M, Corosync)`,
  },
} as const;

export function builder(y: Argv): Argv {
  return y
    .options(options)
    .group(Object.keys(options), 'Doctor:')
    .example('$0 doctor', 'what on this host can lose multicast, and how to fix it')
    .example('$0 doctor --json --target-rcvbuf 8M', 'machine-readable, against an 8 MiB buffer');
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  // Validate once, before reading anything.
  const json = readBool(argv, 'json');
  const target = readSize(argv, 'target-rcvbuf', TARGET_RANGE) ?? DEFAULT_TARGET_RCVBUF_BYTES;
  if (!json) {
    ctx.io.stdout.write(renderDoctor(doctorDocument(await inspectHost(target)), Math.min(110, Number(ctx.io.env.COLUMNS) || 100)));
    return 0;
  }
  try {
    ctx.io.stdout.write(`${JSON.stringify(doctorDocument(await inspectHost(target)), null, 2)}\n`);
    return 0;
  } catch (e) {
    // In JSON mode the error goes inside the document (style rule 3); main only sees the code.
    const code = e instanceof HarnessError ? e.code : 'ERR_INTERNAL';
    ctx.io.stdout.write(renderJsonDocument(jsonErrorDocument(code, oneLine(e instanceof Error ? e.message : String(e)))));
    return 1;
  }
}
