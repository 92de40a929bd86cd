/**
 * Bad input on `igmp watch` and `snoop-check`: one line on stderr naming the flag and what is
 * allowed, exit 2, nothing on stdout, and no capture or engine started (main() in process, with
 * an engine loader that records being called).
 */
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';



/** Runs the command line; expects exit 2 and one stderr line; returns that line without the prefix. */
async function badInput(args: string[]): Promise<string> {
  const io = fakeIo();
  let engineLoaded = false;
  const code = await main(args, io, async () => {
    engineLoaded = true;
    return {} as Engine;
  });
  expect(code, `${args.join(' ')}: ${io.err}`).toBe(2);
  expect(io.out).toBe('');
  expect(engineLoaded).toBe(false);
  expect(io.err.endsWith('\n')).toBe(true);
  expect(io.err.trimEnd()).not.toContain('\n');
  expect(io.err).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(io.err.startsWith('mcastbench: ')).toBe(true);
  return io.err.slice('mcastbench: '.length).trimEnd();
}

describe('igmp watch: bad input', () => {
  it('names the flag and the allowed values or range', async () => {
    expect(await badInput(['igmp', 'watch'])).toMatch(/^--interface: is required \(allowed: an interface of this host: .*\blo\b.*\)$/);
    expect(await badInput(['igmp', 'watch', '--interface', 'nosuch0'])).toMatch(/^--interface: no interface named 'nosuch0' \(allowed: an interface of this host: .*\blo\b.*\)$/);
    expect(await badInput(['igmp', 'watch', '--interface', '../lo'])).toMatch(/^--interface: no interface named '\.\.\/lo'/);
    expect(await badInput(['igmp', 'watch', '--interface', 'lo', '--duration', '0'])).toBe('--duration: 0 is out of range (allowed: 0.1..86400 s)');
    expect(await badInput(['igmp', 'watch', '--interface', 'lo', '--duration', '2d'])).toMatch(/^--duration: .*\(allowed: .*\)$/);
    expect(await badInput(['igmp', 'watch', '--interface', 'lo', '--duration', '90000'])).toBe('--duration: 90000 is out of range (allowed: 0.1..86400 s)');
    expect(await badInput(['igmp', 'watch', '--interface', 'lo', '--family', 'ipv5'])).toBe("--family: 'ipv5' is not a choice (allowed: ipv4, ipv6)");
    expect(await badInput(['igmp', 'watch', '--interface', 'lo', '--json', '--json-stream'])).toBe(
      '--json: cannot be combined with --json-stream (allowed: one of --json (one document) or --json-stream (one event per line))',
    );
  });
  it('a missing or unknown action, an unknown flag', async () => {
    expect(await badInput(['igmp'])).toContain('allowed: watch');
    expect(await badInput(['igmp', 'listen', '--interface', 'lo'])).toBe("unexpected argument 'listen' (options start with --; see --help)");
    expect(await badInput(['igmp', 'watch', '--interface', 'lo', '--grop', 'x'])).toMatch(/^--grop: unknown option/);
  });
});

describe('snoop-check: bad input', () => {
  const ok = ['--group', '239.1.1.1', '--port', '5001', '--interface', 'lo'];
  it('role, group, port and interface', async () => {
    expect(await badInput(['snoop-check', ...ok])).toBe('--role: is required (allowed: sender, member, probe)');
    expect(await badInput(['snoop-check', '--role', 'spy', ...ok])).toBe("--role: 'spy' is not a choice (allowed: sender, member, probe)");
    expect(await badInput(['snoop-check', '--role', 'probe', '--port', '5001', '--interface', 'lo'])).toBe('--group: is required (allowed: 224.0.0.0/4 or ff00::/8)');
    expect(await badInput(['snoop-check', '--role', 'probe', ...ok, '--group', '10.0.0.1'])).toBe('--group: 10.0.0.1 is not a multicast group (allowed: 224.0.0.0/4 or ff00::/8)');
    expect(await badInput(['snoop-check', '--role', 'probe', ...ok, '--group', 'fe80::1'])).toBe('--group: fe80::1 is not a multicast group (allowed: 224.0.0.0/4 or ff00::/8)');
    expect(await badInput(['snoop-check', '--role', 'probe', ...ok, '--group', '239.1.1.300'])).toBe('--group: 239.1.1.300 is not a multicast group (allowed: 224.0.0.0/4 or ff00::/8)');
    expect(await badInput(['snoop-check', '--role', 'probe', '--group', '239.1.1.1', '--interface', 'lo'])).toBe('--port: is required (allowed: 1..65535)');
    expect(await badInput(['snoop-check', '--role', 'probe', ...ok, '--port', '0'])).toBe('--port: 0 is out of range (allowed: 1..65535)');
    expect(await badInput(['snoop-check', '--role', 'probe', ...ok, '--port', '70000'])).toBe('--port: 70000 is out of range (allowed: 1..65535)');
    expect(await badInput(['snoop-check', '--role', 'probe', '--group', '239.1.1.1', '--port', '5001'])).toBe('--interface: is required (allowed: an interface name, e.g. eth0)');
    expect(await badInput(['snoop-check', '--role', 'probe', ...ok, '--interface', 'nosuch0'])).toMatch(/^--interface: no interface named 'nosuch0' \(allowed: .*\blo\b.*\)$/);
  });
  it('durations, role-specific flags and output modes', async () => {
    expect(await badInput(['snoop-check', '--role', 'member', ...ok, '--duration', '0.5'])).toBe('--duration: 0.5 is out of range (allowed: 1..86400 s)');
    expect(await badInput(['snoop-check', '--role', 'member', ...ok, '--leave-after', '0'])).toBe('--leave-after: 0 is out of range (allowed: 0.1..86400 s)');
    expect(await badInput(['snoop-check', '--role', 'probe', ...ok, '--leave-after', '2s'])).toBe('--leave-after: is for --role member, not probe (allowed: --role member)');
    expect(await badInput(['snoop-check', '--role', 'member', ...ok, '--duration', '5s', '--leave-after', '5s'])).toBe(
      '--leave-after: must be shorter than --duration (allowed: below 5 s)',
    );
    expect(await badInput(['snoop-check', '--role', 'member', ...ok, '--rate', '1m'])).toBe('--rate: is for --role sender, not member (allowed: --role sender)');
    expect(await badInput(['snoop-check', '--role', 'sender', ...ok, '--rate', 'fast'])).toMatch(/^--rate: .*\(allowed: .*\)$/);
    expect(await badInput(['snoop-check', '--role', 'probe', ...ok, '--json', '--json-stream'])).toMatch(/^--json: cannot be combined with --json-stream/);
  });
});
