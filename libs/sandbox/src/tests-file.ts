/**
 * Reading tests from JSON: either a list of SandboxTest objects or an APPS-style dictionary
 * `{"inputs": [...], "outputs": [...], "fn_name"?: "..."}` (call-based when fn_name is present).
 */
import type { SandboxTest } from './types.js';

const asText = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : Array.isArray(v) && v.every((x) => typeof x === 'string')
      ? v.join('\n')
      : JSON.stringify(v);

export function parseTests(json: unknown, where = 'tests'): SandboxTest[] {
  if (Array.isArray(json)) {
    return json.map((t, i) => {
      if (
        !t ||
        typeof t !== 'object' ||
        typeof (t as SandboxTest).input !== 'string' ||
        typeof (t as SandboxTest).output !== 'string'
      ) {
        throw new Error(`${where}[${i}]: expected {input: string, output: string, kind?, fnName?}`);
      }
      const x = t as SandboxTest;
      if (x.kind === 'call' && !x.fnName) throw new Error(`${where}[${i}]: a call-based test needs fnName`);
      return {
        input: x.input,
        output: x.output,
        ...(x.kind ? { kind: x.kind } : {}),
        ...(x.fnName ? { fnName: x.fnName } : {}),
      };
    });
  }
  if (json && typeof json === 'object' && Array.isArray((json as { inputs?: unknown }).inputs)) {
    const d = json as { inputs: unknown[]; outputs?: unknown[]; fn_name?: string };
    if (!Array.isArray(d.outputs) || d.outputs.length !== d.inputs.length) {
      throw new Error(`${where}: "outputs" must be a list as long as "inputs" (${d.inputs.length})`);
    }
    return d.inputs.map((inp, i) =>
      d.fn_name
        ? {
            input: JSON.stringify(inp),
            output: JSON.stringify(d.outputs![i]),
            kind: 'call' as const,
            fnName: d.fn_name,
          }
        : { input: asText(inp), output: asText(d.outputs![i]) },
    );
  }
  throw new Error(`${where}: expected a list of tests or an APPS dictionary {"inputs": [...], "outputs": [...]}`);
}
