/**
 * Loads tree-sitter's Python grammar (tree-sitter-python's wasm build) into web-tree-sitter once
 * per process.
 */
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;

export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    let wasm: string;
    try {
      wasm = require.resolve('tree-sitter-python/tree-sitter-python.wasm');
    } catch (e) {
      throw new Error(
        `CodeBLEU needs tree-sitter-python's wasm (npm package tree-sitter-python 0.25): ${(e as Error).message}`,
      );
    }
    await Parser.init();
    const lang = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(lang);
    return parser;
  })();
  return loading;
}
