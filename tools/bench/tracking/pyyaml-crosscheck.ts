/**
 * Cross-check the meta.yaml emitter against real PyYAML when python3 with PyYAML is available
 * (it is not a test dependency): dumps seeded random tricky strings with dumpFlatYaml and with
 * PyYAML's SafeDumper and CSafeDumper (what MLflow uses when libyaml is present), and prints
 * the mismatch counts as JSON. Also checks pythonFloatRepr against Python's repr.
 * Usage: npx tsx tools/bench/tracking/pyyaml-crosscheck.ts [cases=3000] [seed=1]
 */
import { execFileSync } from 'node:child_process';
import { dumpFlatYaml, parseFlatYaml, pythonFloatRepr } from '@ecode/tracking';

const cases = Number(process.argv[2] ?? 3000);
let s = Number(process.argv[3] ?? 1) >>> 0;
const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
const atoms = [
  'a',
  'Z',
  '0',
  '1',
  ' ',
  ' ',
  '-',
  ':',
  '#',
  "'",
  '"',
  '.',
  '/',
  '_',
  'é',
  '名',
  '\t',
  '\n',
  '?',
  ',',
  '[',
  '{',
  '!',
  '&',
  '*',
  '%',
  '@',
  '`',
  '|',
  '>',
  'yes',
  'null',
  '~',
  '1.5',
  '0x1F',
  '2024-01-01',
  'word',
  'file:///x',
  '\u00a0',
  '\x07',
];
const strings: string[] = [];
for (let i = 0; i < cases; i++) {
  const n = 1 + Math.floor(rand() * (rand() < 0.2 ? 60 : 8));
  let t = '';
  for (let j = 0; j < n; j++) t += pick(atoms);
  strings.push(t);
}
const floats = Array.from({ length: cases }, () => {
  const e = Math.floor(rand() * 40) - 20;
  return (rand() - 0.5) * 10 ** e;
});
const py = `
import json, sys, yaml
data = json.load(sys.stdin)
out = {"py": [], "c": [], "f": [repr(float(x)) for x in data["floats"]]}
for t in data["strings"]:
    out["py"].append(yaml.dump({"name": t}, default_flow_style=False, allow_unicode=True, Dumper=yaml.SafeDumper))
    out["c"].append(yaml.dump({"name": t}, default_flow_style=False, allow_unicode=True, Dumper=yaml.CSafeDumper))
print(json.dumps(out))
`;
const res = JSON.parse(
  execFileSync('python3', ['-c', py], { input: JSON.stringify({ strings, floats }), maxBuffer: 1 << 28 }).toString(),
) as {
  py: string[];
  c: string[];
  f: string[];
};
let pyMismatch = 0;
let cMismatch = 0;
let roundTripFail = 0;
let cPlainOrSingleMismatch = 0;
const examples: unknown[] = [];
strings.forEach((t, i) => {
  const ours = dumpFlatYaml({ name: t });
  if (ours !== res.py[i]) {
    pyMismatch++;
    if (examples.length < 5) examples.push({ input: t, ours, pyyaml: res.py[i] });
  }
  if (ours !== res.c[i]) cMismatch++;
  for (const text of [res.py[i], res.c[i]]) {
    let back: unknown;
    try {
      back = parseFlatYaml(text).name;
    } catch (e) {
      back = e;
    }
    if (back !== t) {
      roundTripFail++;
      if (examples.length < 5) examples.push({ input: t, yaml: text, readBack: String(back) });
    }
  }
  if (ours !== res.c[i] && !/^name: "/.test(res.c[i])) cPlainOrSingleMismatch++;
});
const floatMismatch = floats.filter((x, i) => pythonFloatRepr(x) !== res.f[i]).length;
process.stdout.write(
  JSON.stringify(
    { cases, pyMismatch, cMismatch, cPlainOrSingleMismatch, roundTripFail, floatMismatch, examples },
    null,
    2,
  ) + '\n',
);
