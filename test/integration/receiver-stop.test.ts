/**
 * A receiver stopped while it is behind reads what the kernel already queued before it counts:
 * otherwise those datagrams are neither received nor known lost. Truth: the count the test sends.
 */
import { describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, waitForUdpPort } from '../helpers/cli.js';

describe('receiver stop', () => {
  for (const backend of ['dgram', 'native'] as const) {
    it(`${backend}: Ctrl-C while datagrams are queued still counts every one of them`, async () => {
      const port = await freePort();
      // 100 us of work per datagram: at most ~10k/s read, so 4,000 sent in 40 ms queue up
      // (4 MiB asked, within rmem_max here, holds them) and take ~0.4 s to read.
      const rx = startCli([
        'receive', '--bind', '127.0.0.1', '--port', String(port), '--rcvbuf', '4M', '--receiver-work-us', '100',
        '--duration', '30', '--json', '--backend', backend,
      ]);
      await waitForUdpPort(port);
      const tx = await runCli(['send', '--dest', '127.0.0.1', '--port', String(port), '--count', '4000', '--rate', '100kpps', '--size', '200', '--json', '--backend', backend]);
      expect(tx.code, tx.stderr).toBe(0);
      // Stop as soon as the sender is done: most of the 4,000 are still in the socket's queue.
      rx.child.kill('SIGINT');
      const r = await rx.done;
      expect(r.code, r.stderr).toBe(0);
      const end = JSON.parse(r.stdout).end;
      const s = end.streams[0];
      expect(end.kernel.socketDrops, 'the 4 MiB buffer must hold the burst for this test to mean anything').toBe(0);
      expect(s.packets).toBe(4000);
      expect(s.senderPackets).toBe(4000);
      expect(s.lostPackets).toBe(0);
      expect(end.kernel.rxQueueBytes).toBe(0);
    });
  }
});
