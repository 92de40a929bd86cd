#!/usr/bin/env node
/* global process */
// Builds the optional native addon (native/) with node-gyp, OFFLINE: --nodedir points at this
// Node's own headers (<prefix>/include/node), so node-gyp never tries to download them.
//
//   node native/build.mjs             optional (postinstall): one line on failure, exit 0
//   node native/build.mjs --required  (npm run build:native): compiler output, exit != 0
//
// node-gyp is found in this order: $npm_config_node_gyp (set by npm inside scripts), a local
// node_modules/node-gyp, then the copy bundled with npm next to this Node binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const required = process.argv.includes('--required');
const TIMEOUT_MS = 10 * 60 * 1000;

function note(line) {
  process.stderr.write(`mcastbench: ${line}\n`);
}

/** Optional mode: one line and success. Required mode: the reason and failure. */
function giveUp(reason, output = '') {
  if (required) {
    if (output) process.stderr.write(output.endsWith('\n') ? output : `${output}\n`);
    note(`native addon build FAILED (${reason})`);
    process.exit(1);
  }
  note(`native addon NOT built (${reason}); the harness will use node:dgram. Run "npm run build:native" to see why.`);
  process.exit(0);
}

function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  try {
    candidates.push(createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a local dependency: fine
  }
  const prefix = dirname(dirname(process.execPath));
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  if (process.env.npm_execpath) {
    candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  return candidates.find((p) => existsSync(p)) ?? null;
}

if (process.platform !== 'linux') {
  note(`native addon skipped: it is Linux-only (this is ${process.platform}); the harness will use node:dgram.`);
  process.exit(required ? 1 : 0);
}
if (process.env.MCASTBENCH_SKIP_NATIVE && !required) {
  note('native addon skipped (MCASTBENCH_SKIP_NATIVE is set); the harness will use node:dgram.');
  process.exit(0);
}
if (!existsSync(join(nativeDir, 'binding.gyp'))) giveUp('native/binding.gyp is missing');

const nodeGyp = findNodeGyp();
if (!nodeGyp) giveUp('node-gyp not found: neither npm\'s bundled copy nor a local node-gyp');

const nodedir = dirname(dirname(process.execPath));
const args = [nodeGyp, 'rebuild', '--release', '--jobs=max'];
if (existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodedir}`);
else if (!process.env.npm_config_nodedir) {
  giveUp(`no Node headers at ${join(nodedir, 'include', 'node')} and no nodedir configured; node-gyp would try to download them`);
}

const result = spawnSync(process.execPath, args, {
  cwd: nativeDir,
  encoding: 'utf8',
  stdio: required ? 'inherit' : 'pipe',
  timeout: TIMEOUT_MS,
  env: { ...process.env, npm_config_loglevel: process.env.npm_config_loglevel ?? 'warn' },
});

if (result.error) giveUp(`could not run node-gyp: ${result.error.message}`);
if (result.status !== 0) {
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const firstError = output.split('\n').find((l) => /error/i.test(l))?.trim().slice(0, 160);
  giveUp(`node-gyp exit ${result.status ?? result.signal}${firstError ? `: ${firstError}` : ''}`, output);
}

const built = join(nativeDir, 'build', 'Release', 'mcastbench_native.node');
if (!existsSync(built)) giveUp(`node-gyp succeeded but ${built} is missing`);

// Load it once in a child so a binary that builds but cannot load is reported here, not later.
const check = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(built)})`], { encoding: 'utf8', timeout: 30_000 });
if (check.status !== 0) giveUp(`built addon does not load: ${(check.stderr || '').split('\n')[0]}`, check.stderr ?? '');
note(`native addon built: ${built}`);
