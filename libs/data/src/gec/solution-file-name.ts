/** GEC's slow-solution file names: `<idx>,<runtime> ms,<memory> KB.<ext>` (Codeforces measurements). */
export interface SolutionFileName {
  index: number;
  runtimeMs: number;
  memoryKb: number;
  ext: string;
}

const NAME = /^(\d+),(\d+) ms,(\d+) KB\.([A-Za-z0-9]+)$/;

export function parseSolutionFileName(name: string): SolutionFileName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  return { index: Number(m[1]), runtimeMs: Number(m[2]), memoryKb: Number(m[3]), ext: m[4] };
}
