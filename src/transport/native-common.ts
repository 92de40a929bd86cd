/** Small helpers shared by the native backend's receiver and sender. */
import { NativeAddonError, SocketError } from '../errors.js';
import { errnoCode, loadNative, type NativeAddon, type NativeIface } from './native-loader.js';
import type { ReceiverSocketOptions } from './types.js';

export function requireAddon(): NativeAddon {
  const { addon, reason } = loadNative();
  if (addon === null) throw new NativeAddonError(`--backend native: ${reason}`);
  return addon;
}

/** Runs a socket call; on failure closes the fd and throws a SocketError naming the step. */
export function step<T>(addon: NativeAddon, fd: number, code: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    try {
      addon.close(fd);
    } catch {
      // already closed
    }
    throw new SocketError(code, `${what}: ${errnoCode(e)}${e instanceof TypeError ? ` (${e.message})` : ''}`);
  }
}

/** The interface for joins and IP_MULTICAST_IF: the address when known, else the name. */
export function ifaceArg(spec: ReceiverSocketOptions['interface']): NativeIface {
  if (spec === null) return null;
  return spec.address ?? spec.name ?? spec.given;
}
