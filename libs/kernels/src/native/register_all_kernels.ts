/**
 * The native kernels of the `wasm` backend (`@ecode/native-kernels`: OpenBLAS sgemm and native
 * loops on the wasm heap), registered over the portable list when the addon loads: one line per kernel.
 */
import type { KernelList } from '../registry.js';
import { adamWConfig } from './AdamW.js';
import { batchMatMulConfig } from './BatchMatMul.js';
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
import { softmaxCrossEntropyGradConfig } from './SoftmaxCrossEntropyGrad.js';
import { softmaxGradConfig } from './SoftmaxGrad.js';
import { stockBatchMatMulConfig } from './StockBatchMatMul.js';
import { stockFusedMatMulConfig } from './StockFusedMatMul.js';

export const nativeKernels: KernelList = {
  backendName: 'wasm',
  label: 'native',
  kernels: [
    stockBatchMatMulConfig,
    stockFusedMatMulConfig,
    batchMatMulConfig,
    matMulConfig,
    linearConfig,
    geluNewConfig,
    geluNewGradConfig,
    geluConfig,
    geluGradConfig,
    layerNormConfig,
    layerNormGradConfig,
    columnSumConfig,
    maskedSoftmaxConfig,
    softmaxGradConfig,
    softmaxCrossEntropyGradConfig,
    dropoutConfig,
    adamWConfig,
    globalNormConfig,
  ],
};
