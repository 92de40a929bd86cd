/**
 * --backend auto|dgram|native. 'auto' prefers the native addon when it loads and falls back to
 * node:dgram; 'native' fails loudly when the addon is missing. The reason is reported in every
 * result so a run always says which socket path produced its numbers.
 */
import type { BackendChoice } from '../config/types.js';
import { NativeAddonError } from '../errors.js';
import { dgramBackend } from './dgram.js';
import { loadNative } from './native-loader.js';
import { nativeBackend } from './native.js';
import type { Backend } from './types.js';

export async function selectBackend(choice: BackendChoice): Promise<{ backend: Backend; reason: string }> {
  if (choice === 'dgram') return { backend: dgramBackend, reason: 'node:dgram (--backend dgram)' };
  const { addon, reason } = loadNative();
  if (addon !== null) {
    return { backend: nativeBackend, reason: `native addon (recvmmsg/sendmmsg, kernel timestamps; --backend ${choice})` };
  }
  if (choice === 'native') {
    throw new NativeAddonError(
      `--backend native: ${reason}. The build needs g++, make and python3 (Linux only); or use --backend auto|dgram`,
    );
  }
  return { backend: dgramBackend, reason: `node:dgram (${reason})` };
}
