/** Library entry: everything the CLI uses is usable without it. */
export { runReceiver } from './engine/receiver-run.js';
export { runSender } from './engine/sender-run.js';
export { runLoopback } from './engine/loopback-run.js';
export type { RunHandle, RunHooks } from './engine/api.js';
export * from './report/model.js';
export type { ReceiverConfig, SenderConfig } from './config/types.js';
export { HarnessError, ConfigError, SocketError, NativeAddonError } from './errors.js';
export { encodeHeader, decodeHeader, HEADER_BYTES, MAGIC, PROTOCOL_VERSION } from './wire/header.js';
