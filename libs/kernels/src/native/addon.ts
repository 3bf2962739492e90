/**
 * The loaded `@ecode/native-kernels` addon, for the native kernels of this folder. They are
 * registered only when it loaded (`setup.ts`), so none of them asks whether it is there.
 */
import { loadNative, type NativeKernels } from '@ecode/native-kernels';

let loaded: { native: NativeKernels | null; reason?: string } | null = null;

/** Loads the addon once (never throws: `native` null and the reason when it cannot). */
export function loadAddon(): { native: NativeKernels | null; reason?: string } {
  if (!loaded) loaded = loadNative();
  return loaded;
}

/** The loaded addon (the native kernels run only after it loaded). */
export function addon(): NativeKernels {
  const a = loaded?.native;
  if (!a) throw new Error('native kernels: the @ecode/native-kernels addon is not loaded');
  return a;
}
