/**
 * The webgpu list: fused WebGPU programs (one dispatch each) for
 * the kernels whose composed references cost the most dispatches per training step
 * (`tools/bench/gpu/dispatches.ts`), and the products (MatMul, Linear) through tfjs's own matmul
 * programs with the transposes in the shader and the bias in the epilogue. Kernels not listed run
 * their references (tfjs-backend-webgpu's stock programs).
 */
import type { KernelList } from '../registry.js';
import { adamWConfig } from './AdamW.js';
import { attentionConfig } from './Attention.js';
import { attentionGradConfig } from './AttentionGrad.js';
import { cachedAttentionConfig } from './CachedAttention.js';
import { columnSumConfig } from './ColumnSum.js';
import { dropoutConfig } from './Dropout.js';
import { geluConfig } from './Gelu.js';
import { geluGradConfig } from './GeluGrad.js';
import { geluNewConfig } from './GeluNew.js';
import { geluNewGradConfig } from './GeluNewGrad.js';
import { globalNormConfig } from './GlobalNorm.js';
import { layerNormConfig } from './LayerNorm.js';
import { layerNormGradConfig } from './LayerNormGrad.js';
import { linearConfig } from './Linear.js';
import { maskedSoftmaxConfig } from './MaskedSoftmax.js';
import { matMulConfig } from './MatMul.js';
import { softmaxCrossEntropyConfig } from './SoftmaxCrossEntropy.js';
import { softmaxCrossEntropyGradConfig } from './SoftmaxCrossEntropyGrad.js';
import { softmaxGradConfig } from './SoftmaxGrad.js';

export const webgpuKernels: KernelList = {
  backendName: 'webgpu',
  label: 'webgpu',
  kernels: [
    adamWConfig,
    globalNormConfig,
    layerNormConfig,
    layerNormGradConfig,
    columnSumConfig,
    geluNewConfig,
    geluNewGradConfig,
    geluConfig,
    geluGradConfig,
    maskedSoftmaxConfig,
    attentionConfig,
    attentionGradConfig,
    cachedAttentionConfig,
    softmaxGradConfig,
    softmaxCrossEntropyConfig,
    softmaxCrossEntropyGradConfig,
    dropoutConfig,
    matMulConfig,
    linearConfig,
  ],
};
