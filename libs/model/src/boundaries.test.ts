/**
 * The lint rule that keeps model, ops and training code backend-blind (eslint.config.js): importing
 * the native addon or a backend-specific kernel module from libs/model/src fails lint; the kernel
 * layer's public entry passes.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function restrictedImports(code: string, file = 'libs/model/src/train/train.ts'): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('backend-blind model code (lint)', () => {
  it('fails on the native addon and on backend-specific modules', async () => {
    const bad = [
      "import { loadNative } from '@ecode/native-kernels';\nexport const a = loadNative;\n",
      "import { addon } from '@ecode/kernels/src/native/addon.js';\nexport const a = addon;\n",
      "import { geluConfig } from '../../kernels/src/wasm/Gelu.js';\nexport const a = geluConfig;\n",
      "import * as w from '@tensorflow/tfjs-backend-wasm';\nexport const a = w;\n",
    ];
    for (const code of bad) {
      const messages = await restrictedImports(code);
      expect(messages.length, code).toBe(1);
    }
    expect((await restrictedImports(bad[0], 'libs/model/src/blocks/ops.ts'))[0]).toMatch(
      /Native kernels live in @ecode\/kernels/,
    );
  }, 60_000);

  it('passes on the kernel layer public entry', async () => {
    const ok = "import { Kernels, runKernel } from '@ecode/kernels';\nexport const a = [Kernels, runKernel];\n";
    expect(await restrictedImports(ok)).toEqual([]);
  }, 60_000);
});
