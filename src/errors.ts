/**
 * Error classes with stable codes (undici's UND_ERR_* / iperf3's IE* catalogue, in Node's style).
 * Library code throws these; only the CLI entry turns them into a line on stderr and an exit code.
 */
export class HarnessError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad user input: always names the flag and what is allowed. Exit code 2. */
export class ConfigError extends HarnessError {
  readonly flag: string;
  readonly allowed: string;
  constructor(flag: string, problem: string, allowed: string, code = 'ERR_BAD_OPTION') {
    super(code, `${flag}: ${problem} (allowed: ${allowed})`);
    this.flag = flag;
    this.allowed = allowed;
  }
}

/** A socket could not be opened, bound, joined or configured. Exit code 1. */
export class SocketError extends HarnessError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** The native addon was required (--backend native) but is not there. Exit code 1. */
export class NativeAddonError extends HarnessError {
  constructor(message: string) {
    super('ERR_NATIVE_UNAVAILABLE', message);
  }
}
