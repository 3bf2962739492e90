// typescript-eslint's recommended rules over every TypeScript source of the workspace.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.nx/**',
      'mlruns/**',
      'runs/**',
      'datasets/generated/**',
      '.gpu/**',
      '.gl/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        globalThis: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Model, ops and training code are backend-blind: kernels come from @ecode/kernels' public entry
    // (runKernel by name), never from the native addon or a backend-specific module.
    files: ['libs/model/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@ecode/native-kernels', message: 'Native kernels live in @ecode/kernels (src/native/).' },
            { name: '@tensorflow/tfjs-backend-wasm', message: 'Backend kernels live in @ecode/kernels.' },
            { name: '@tensorflow/tfjs-backend-webgpu', message: 'Backend kernels live in @ecode/kernels.' },
          ],
          patterns: [
            {
              group: ['@ecode/kernels/*', '**/kernels/src/**', '**/wasm/*', '**/native/*', '**/webgpu/*'],
              message: "Import @ecode/kernels' public entry only (runKernel, Kernels); backend modules stay inside it.",
            },
          ],
        },
      ],
    },
  },
);
