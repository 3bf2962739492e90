/** `ecode --version`: the version, Node's, and whether the native kernels are available. */
import { readFileSync } from 'node:fs';
import { probeNativeKernels } from '@ecode/model';

export function versionText(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const native = probeNativeKernels();
  return [
    `ecode ${pkg.version} (node ${process.version}, ${process.platform}-${process.arch})`,
    native.available
      ? `native kernels: available (${native.detail}); the wasm backend uses them (ECODE_NATIVE=0 turns them off)`
      : `native kernels: ${native.detail.startsWith('disabled') ? 'off' : 'not available'} (${native.detail}); the wasm backend uses XNNPACK + JS kernels`,
  ].join('\n');
}
