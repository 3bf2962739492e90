export * from './problem.js';
export * from './random.js';
export * from './python.js';
export * from './python-literal.js';
