/**
 * Gate for tests that need a WebGPU adapter (a GPU, or the SwiftShader software GPU that `.ci/run`
 * makes visible: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json). Outside CI a suite
 * without an adapter is skipped and the reason is printed; under CI (CI=true) it fails, so a
 * broken set-up cannot pass silently.
 */
import { describe, it } from 'vitest';
import { probeWebgpu, type WebgpuProbe } from '../backend/webgpu-adapter.js';

/** The probe, awaited once (top-level await in the test file). */
export const webgpuProbe: WebgpuProbe = await probeWebgpu();

const underCi = /^(1|true)$/i.test(process.env.CI ?? '');

/** `describe` when an adapter exists; otherwise a skipped suite with the reason, or a failure under CI. */
export function describeWebgpu(name: string, body: () => void): void {
  if (webgpuProbe.ok) {
    describe(name, body);
    return;
  }
  const reason = webgpuProbe.reason;
  if (underCi) {
    describe(name, () => {
      it('has a WebGPU adapter (CI=true: required)', () => {
        throw new Error(
          `no WebGPU adapter under CI: ${reason}. .ci/run sets VK_ICD_FILENAMES to chromium's SwiftShader driver; is chromium installed?`,
        );
      });
    });
    return;
  }
  console.warn(`[webgpu tests] skipped "${name}": ${reason}`);
  describe.skip(`${name} (skipped: ${reason})`, body);
}
