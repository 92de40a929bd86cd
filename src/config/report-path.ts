/**
 * --report FILE: checked before the run starts, so an hour-long receive does not end with
 * "cannot write". The file itself is written (created or replaced) when the run ends.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { readString, type RawOptions } from './raw-options.js';

const ALLOWED = 'a file path in an existing, writable directory';

/** The absolute path to write the HTML report to, or null when --report was not given. */
export function readReportPath(raw: RawOptions): string | null {
  const given = readString(raw, 'report');
  if (given === undefined) return null;
  if (given === '') throw new ConfigError('--report', 'empty path', ALLOWED);
  const file = path.resolve(given);
  const dir = path.dirname(file);
  let dirIsDirectory = false;
  try {
    dirIsDirectory = statSync(dir).isDirectory();
  } catch {
    throw new ConfigError('--report', `directory ${dir} does not exist`, ALLOWED);
  }
  if (!dirIsDirectory) throw new ConfigError('--report', `${dir} is not a directory`, ALLOWED);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ConfigError('--report', `directory ${dir} is not writable`, ALLOWED);
  }
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(file);
  } catch {
    return file;
  }
  if (existing.isDirectory()) throw new ConfigError('--report', `${file} is a directory`, ALLOWED);
  try {
    accessSync(file, constants.W_OK);
  } catch {
    throw new ConfigError('--report', `${file} exists and is not writable`, ALLOWED);
  }
  return file;
}
