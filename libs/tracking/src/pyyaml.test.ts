import { describe, expect, it } from 'vitest';
import { dumpFlatYaml, parseFlatYaml } from './pyyaml.js';

// Expected texts are what PyYAML's yaml.safe_dump(data, default_flow_style=False, allow_unicode=True)
// produces for these inputs (its emitter's rules: resolvable-as-non-string and indicator-bearing
// scalars are single-quoted, unprintable ones double-quoted, long plain scalars folded at 80).
const CASES: [string, string | number | null | [], string][] = [
  ['plain', 'active', 'plain: active\n'],
  ['empty', '', "empty: ''\n"],
  ['zero', '0', "zero: '0'\n"],
  ['int_value', 42, 'int_value: 42\n'],
  ['nothing', null, 'nothing: null\n'],
  ['list', [], 'list: []\n'],
  ['boolish', 'yes', "boolish: 'yes'\n"],
  ['nul', 'null', "nul: 'null'\n"],
  ['float', '1.5', "float: '1.5'\n"],
  ['exp', '1e5', 'exp: 1e5\n'],
  ['date', '2024-01-01', "date: '2024-01-01'\n"],
  ['quote_inside', "it's", "quote_inside: it's\n"],
  ['quote_first', "'x", "quote_first: '''x'\n"],
  ['dash', '- x', "dash: '- x'\n"],
  ['colon', 'a: b', "colon: 'a: b'\n"],
  ['uri', 'file:///tmp/mlruns/0', 'uri: file:///tmp/mlruns/0\n'],
  ['hash', 'a #b', "hash: 'a #b'\n"],
  ['lead', ' lead', "lead: ' lead'\n"],
  ['newline', 'x\ny', "newline: 'x\n\n  y'\n"],
  ['tab', 'tab\there', 'tab: "tab\\there"\n'],
  ['unicode', 'é-名前', 'unicode: é-名前\n'],
  ['hexid', '0123456789abcdef0123456789abcdef', 'hexid: 0123456789abcdef0123456789abcdef\n'],
  ['digits', '123456789012345678', "digits: '123456789012345678'\n"],
];

describe('dumpFlatYaml (PyYAML safe_dump)', () => {
  for (const [key, value, expected] of CASES) {
    it(`writes ${JSON.stringify(value)} as PyYAML does`, () => {
      expect(dumpFlatYaml({ [key]: value })).toBe(expected);
    });
  }

  it('sorts keys', () => {
    expect(dumpFlatYaml({ b: 1, a: 'x', _c: null })).toBe('_c: null\na: x\nb: 1\n');
  });

  it('folds a long plain scalar at column 80 with a two-space indent', () => {
    const words = Array.from({ length: 20 }, (_, i) => String.fromCharCode(97 + i).repeat(9));
    const text = dumpFlatYaml({ name: words.join(' ') });
    expect(text).toBe(
      'name: ' +
        words.slice(0, 8).join(' ') +
        '\n  ' +
        words.slice(8, 16).join(' ') +
        '\n  ' +
        words.slice(16).join(' ') +
        '\n',
    );
  });

  it('rejects non-integer numbers and nested keys', () => {
    expect(() => dumpFlatYaml({ a: 1.5 })).toThrow(/integer/);
    expect(() => dumpFlatYaml({ 'a b': 1 })).toThrow(/simple key/);
  });
});

describe('parseFlatYaml', () => {
  it('reads back everything it writes', () => {
    const data: Record<string, string | number | null | []> = {};
    for (const [key, value] of CASES) data[key] = value;
    const words = Array.from({ length: 20 }, (_, i) => String.fromCharCode(97 + i).repeat(9));
    data.long_name = words.join(' ');
    data.long_quoted = "it's " + words.join(' ');
    expect(parseFlatYaml(dumpFlatYaml(data))).toEqual(data);
  });

  it('reads an MLflow run meta.yaml', () => {
    const text =
      "artifact_uri: file:///m/1/r/artifacts\ndeleted_time: null\nend_time: null\nentry_point_name: ''\n" +
      "experiment_id: '1'\nlifecycle_stage: active\nrun_id: r\nrun_name: bold-cat-12\nrun_uuid: r\nsource_name: ''\n" +
      "source_type: 4\nsource_version: ''\nstart_time: 1700000000000\nstatus: 1\ntags: []\nuser_id: bob\n";
    const meta = parseFlatYaml(text);
    expect(meta.experiment_id).toBe('1');
    expect(meta.status).toBe(1);
    expect(meta.end_time).toBeNull();
    expect(meta.entry_point_name).toBe('');
    expect(meta.tags).toEqual([]);
    expect(meta.run_name).toBe('bold-cat-12');
  });

  it('reads what PyYAML (libyaml) wrote for no-break spaces and repeated line breaks', () => {
    // Outputs of yaml.dump({'name': t}, Dumper=yaml.CSafeDumper, allow_unicode=True) from PyYAML 6.0.3.
    const cases: [string, string][] = [
      ['ayes `\u00a0', 'name: ayes `\u00a0\n'],
      [':\n\n%', "name: ':\n\n\n  %'\n"],
      ['*\nfile:///x\n\u00a0\u00a0#@', "name: '*\n\n  file:///x\n\n  \u00a0\u00a0#@'\n"],
    ];
    for (const [value, text] of cases) {
      expect(parseFlatYaml(text).name).toBe(value);
      expect(dumpFlatYaml({ name: value })).toBe(text);
    }
  });

  it('names the file and line of a malformed entry', () => {
    expect(() => parseFlatYaml('a: 1\nnot a mapping line\n', 'x/meta.yaml')).toThrow(/x\/meta.yaml:2/);
    expect(() => parseFlatYaml("a: 'open\n", 'm.yaml')).toThrow(/unterminated/);
  });
});
