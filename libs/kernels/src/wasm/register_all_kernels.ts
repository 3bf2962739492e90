/** The portable kernels of the `wasm` backend (XNNPACK + JS over the wasm heap): one line per kernel. */
import type { KernelList } from '../registry.js';
import { batchMatMulConfig } from './BatchMatMul.js';
import { castConfig } from './Cast.js';
import { columnSumConfig } from './ColumnSum.js';
import { dropoutConfig } from './Dropout.js';
import { gatherV2Config } from './GatherV2.js';
import { geluConfig } from './Gelu.js';
import { geluGradConfig } from './GeluGrad.js';
import { geluNewConfig } from './GeluNew.js';
import { geluNewGradConfig } from './GeluNewGrad.js';
import { identityConfig } from './Identity.js';
import { layerNormConfig } from './LayerNorm.js';
import { layerNormGradConfig } from './LayerNormGrad.js';
import { maskedSoftmaxConfig } from './MaskedSoftmax.js';
import { softmaxCrossEntropyConfig } from './SoftmaxCrossEntropy.js';
import { softmaxCrossEntropyGradConfig } from './SoftmaxCrossEntropyGrad.js';
import { softmaxGradConfig } from './SoftmaxGrad.js';
import { transposeConfig } from './Transpose.js';
import { unsortedSegmentSumConfig } from './UnsortedSegmentSum.js';

export const wasmKernels: KernelList = {
  backendName: 'wasm',
  label: 'portable',
  kernels: [
    unsortedSegmentSumConfig,
    identityConfig,
    castConfig,
    transposeConfig,
    gatherV2Config,
    batchMatMulConfig,
    geluNewConfig,
    geluNewGradConfig,
    geluConfig,
    geluGradConfig,
    layerNormConfig,
    layerNormGradConfig,
    columnSumConfig,
    maskedSoftmaxConfig,
    softmaxGradConfig,
    softmaxCrossEntropyConfig,
    softmaxCrossEntropyGradConfig,
    dropoutConfig,
  ],
};
