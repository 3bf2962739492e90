import { describe, expect, it } from 'vitest';
import { formatDoctorTable } from './doctor.js';
import { parseTests } from './tests-file.js';

describe('parseTests', () => {
  it('reads a list of tests', () => {
    expect(
      parseTests([
        { input: '1', output: '2' },
        { input: '[1]', output: '1', kind: 'call', fnName: 'f' },
      ]),
    ).toEqual([
      { input: '1', output: '2' },
      { input: '[1]', output: '1', kind: 'call', fnName: 'f' },
    ]);
  });
  it('reads APPS dictionaries, stdio and call-based', () => {
    expect(parseTests({ inputs: ['1 2\n', ['3', '4']], outputs: ['3\n', ['7']] })).toEqual([
      { input: '1 2\n', output: '3\n' },
      { input: '3\n4', output: '7' },
    ]);
    expect(parseTests({ inputs: [[1, 2]], outputs: [3], fn_name: 'add' })).toEqual([
      { input: '[1,2]', output: '3', kind: 'call', fnName: 'add' },
    ]);
  });
  it('names what is wrong and where', () => {
    expect(() => parseTests([{ input: 1 }], 't.json')).toThrow(
      't.json[0]: expected {input: string, output: string, kind?, fnName?}',
    );
    expect(() => parseTests({ inputs: ['1'], outputs: [] }, 't.json')).toThrow(
      /"outputs" must be a list as long as "inputs" \(1\)/,
    );
    expect(() => parseTests([{ input: '', output: '', kind: 'call' }])).toThrow(/needs fnName/);
  });
});

describe('formatDoctorTable', () => {
  it('aligns the columns', () => {
    const t = formatDoctorTable([
      { check: 'bubblewrap', status: 'ok', detail: '/usr/bin/bwrap' },
      { check: 'limit: CPU seconds', status: 'FAIL', detail: 'pass' },
    ]);
    expect(t.split('\n')).toEqual([
      'check               status  detail',
      '------------------  ------  ------',
      'bubblewrap          ok      /usr/bin/bwrap',
      'limit: CPU seconds  FAIL    pass',
    ]);
  });
});
