/** Runs f, expects a ConfigError, returns its message: one line, flag first, the allowed range. */
import { expect } from 'vitest';
import { ConfigError } from '../../src/errors.js';

export function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).toMatch(/^-/);
    expect(msg).toContain('(allowed: ');
    return msg;
  }
  throw new Error('expected a ConfigError');
}
