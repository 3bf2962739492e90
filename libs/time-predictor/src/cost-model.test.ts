import { describe, expect, it } from 'vitest';
import { costScores, fitCostModel, type CostSample } from './cost-model.js';

const py = (...lines: string[]) => lines.join('\n') + '\n';

/** Two idioms as training problems: re-summing prefixes vs a running total, list vs set membership. */
function training(): CostSample[] {
  const out: CostSample[] = [];
  for (let k = 0; k < 6; k++) {
    const level = Math.log(2000 * (k + 1));
    const v = `v${k}`;
    out.push(
      {
        group: `sum${k}`,
        code: py(`${v} = 0`, 'for i in range(n):', `    ${v} += a[i]`, `    print(${v})`),
        logTime: level,
      },
      {
        group: `sum${k}`,
        code: py('for i in range(n):', `    print(sum(a[:i + 1]))`),
        logTime: level + Math.log(3),
      },
      { group: `in${k}`, code: py(`${v} = set(a)`, 'for q in qs:', `    print(q in ${v})`), logTime: level },
      {
        group: `in${k}`,
        code: py(`${v} = list(a)`, 'for q in qs:', `    print(q in ${v})`),
        logTime: level + Math.log(4),
      },
    );
  }
  return out;
}

describe('the cost model', () => {
  it('is deterministic and prices C work in loops above the loop alone', () => {
    const a = fitCostModel(training());
    expect(fitCostModel(training())).toEqual(a);
    expect(a.trainPairwiseAccuracy).toBe(1);
    expect(a.pairs).toBe(12);
    expect(a.scale).toBeGreaterThan(0);
    expect(a.logPrices[0]).toBe(0); // Python-level work is the unit
  });

  it('ranks an idiom it was not fitted on by its cost structure', () => {
    const m = fitCostModel(training());
    const [slow, fast] = costScores(m, [
      py('q = list(range(n))', 'while q:', '    x = q.pop(0)'),
      py('from collections import deque', 'q = deque(range(n))', 'while q:', '    x = q.popleft()'),
    ]);
    expect(slow).toBeGreaterThan(fast);
    const [nested, single] = costScores(m, [
      py('for x in a:', '    for y in a:', '        t += x * y'),
      py('s = sum(a)', 't = s * s'),
    ]);
    expect(nested).toBeGreaterThan(single);
  });

  it('says what is wrong with unusable data or a model of another version', () => {
    expect(() => fitCostModel([{ group: 'p', code: 'x = 1\n', logTime: 1 }])).toThrow(/no problem has two solutions/);
    const m = fitCostModel(training());
    expect(() => costScores({ ...m, sizes: [1, 2] }, ['x = 1\n'])).toThrow(/retrain it/);
  });
});
