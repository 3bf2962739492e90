#!/usr/bin/env node
// Builds the OpenBLAS addon during `npm ci` (this package's install script). It never fails the
// install: without a compiler, Node's headers or libopenblas-dev the build is skipped, a line
// says why, and ecode runs the wasm kernels as before. The full node-gyp output goes to
// build-native.log beside this package. `--verbose` (npm run native) prints it.
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by npm */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..');
const logFile = join(root, 'build-native.log');
const verbose = process.argv.includes('--verbose');
const say = (line) => console.log(`@ecode/native-kernels: ${line}`);

function nodeGyp() {
  // npm tells lifecycle scripts where its bundled node-gyp is; outside npm, look beside npm.
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath)
    candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  );
  return candidates.find((c) => c && existsSync(c)) ?? null;
}

function main() {
  const off = process.env.ECODE_NATIVE;
  if (off !== undefined && ['0', 'off', 'false', 'no'].includes(off.toLowerCase())) {
    say(`not built (ECODE_NATIVE=${off}); the wasm kernels will be used`);
    return;
  }
  if (process.platform !== 'linux') {
    say(`not built (only Linux is supported, this is ${process.platform}); the wasm kernels will be used`);
    return;
  }
  const gyp = nodeGyp();
  if (!gyp) {
    say('not built (node-gyp not found: run through npm, which bundles it); the wasm kernels will be used');
    return;
  }
  const args = [gyp, 'rebuild'];
  // Debian's nodejs keeps its headers in /usr/include/node (npm's nodedir=/usr); node-gyp would
  // otherwise download them.
  if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node_api.h')) args.push('--nodedir=/usr');
  const res = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}${res.error ? String(res.error) : ''}`;
  mkdirSync(root, { recursive: true });
  writeFileSync(logFile, output);
  if (verbose) process.stdout.write(output);
  if (res.status !== 0) {
    const hint = /cblas\.h: No such file|cannot find -lopenblas/.test(output)
      ? 'OpenBLAS headers or library missing: apt-get install libopenblas-dev'
      : /node_api\.h: No such file|common\.gypi.*(No such file|not found)/.test(output)
        ? "Node's headers missing (Debian: apt-get install libnode-dev, or let node-gyp download them)"
        : /No such file or directory: '[^']*(g\+\+|c\+\+|cc)'|g\+\+: (command )?not found|make: (command )?not found|not found: make/.test(
              output,
            )
          ? 'a C++ compiler or make is missing: apt-get install g++ make'
          : `node-gyp exited with ${res.status ?? res.signal}`;
    say(`not built (${hint}; log: ${logFile}); the wasm kernels will be used`);
    return;
  }
  const addon = join(root, 'build', 'Release', 'ecode_native.node');
  try {
    const blas = require(addon);
    say(`built ${addon} (${blas.info().config})`);
  } catch (e) {
    say(`built but cannot load (${e.message}); the wasm kernels will be used`);
  }
}

try {
  main();
} catch (e) {
  say(`not built (${e.message}); the wasm kernels will be used`);
}
process.exitCode = 0;
