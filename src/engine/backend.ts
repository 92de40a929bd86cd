/**
 * Backend selection, resolved inside each worker (sockets never cross threads). The native
 * backend registers itself in transport/select.ts when the addon is built; until that module
 * exists, every choice but 'native' gets node:dgram.
 */
import type { BackendChoice } from '../config/types.js';
import { NativeAddonError } from '../errors.js';
import { dgramBackend } from '../transport/dgram.js';
import type { Backend } from '../transport/types.js';

export async function resolveBackend(choice: BackendChoice): Promise<{ backend: Backend; reason: string }> {
  const selectPath = '../transport/select.js';
  try {
    const mod = (await import(selectPath)) as {
      selectBackend?: (c: BackendChoice) => Promise<{ backend: Backend; reason: string }>;
    };
    if (typeof mod.selectBackend === 'function') return await mod.selectBackend(choice);
  } catch (e) {
    if (e instanceof NativeAddonError) throw e;
    if ((e as { name?: string })?.name === 'NativeAddonError') throw e;
    if ((e as NodeJS.ErrnoException)?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
  if (choice === 'native') throw new NativeAddonError('--backend native: the native addon is not part of this build');
  return { backend: dgramBackend, reason: 'node:dgram (native backend not available in this build)' };
}
