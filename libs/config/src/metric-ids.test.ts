import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalHash, loadConfigDetailed, resolveConfig } from './load-config.js';
import { METRIC_IDS, metricIdOf, metricKeyOf } from './metric-ids.js';

afterEach(() => vi.restoreAllMocks());

describe('metric ids', () => {
  it('old names read as the ids; ids and other names are unchanged', () => {
    expect(['pass-all', 'strictPassRate', 'pass-rate', 'percent-opt', 'codebleu'].map(metricIdOf)).toEqual([
      'allPassRate',
      'allPassRate',
      'passRate',
      'optRate',
      'codeBleu',
    ]);
    for (const id of METRIC_IDS) expect(metricIdOf(id)).toBe(id);
    expect(metricIdOf('effAt1')).toBe('effAt1');
  });

  it('old MLflow keys read with ids, interval suffixes and prefixes kept', () => {
    expect(metricKeyOf('test/strictPassRate')).toBe('test/allPassRate');
    expect(metricKeyOf('heldout/strictPassRate_ci_low')).toBe('heldout/allPassRate_ci_low');
    expect(metricKeyOf('test/easy/strictPassRate')).toBe('test/easy/allPassRate');
    expect(metricKeyOf('heldout/pass_count')).toBe('heldout/passCount');
    expect(metricKeyOf('test/speedup_ci_high')).toBe('test/speedup_ci_high');
  });
});

describe('a config that names metrics by their old ids', () => {
  it('loads with the ids, warns naming the file, line and key, and keeps the hash it had', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'ecode-metric-ids-'));
    try {
      const old = join(dir, 'old.yaml');
      writeFileSync(old, 'evaluation:\n  metrics:\n    - pass-all\n    - speedup\n    - codebleu\n    - ioccb\n');
      const now = join(dir, 'now.yaml');
      writeFileSync(now, 'evaluation:\n  metrics: [allPassRate, speedup, codeBleu]\n');
      const a = loadConfigDetailed(old, { cwd: dir });
      expect(a.config.evaluation.metrics).toEqual(['allPassRate', 'speedup', 'codeBleu']);
      expect(warn.mock.calls.map((c) => c[0])).toEqual([
        'old.yaml:3:7: evaluation.metrics[0]: "pass-all" is the old name of the metric id "allPassRate", read as "allPassRate" (write "allPassRate")',
        'old.yaml:5:7: evaluation.metrics[2]: "codebleu" is the old name of the metric id "codeBleu", read as "codeBleu" (write "codeBleu")',
        'old.yaml:6:7: evaluation.metrics[3]: "ioccb" is not computed (IOCCB is not implemented end to end): left out',
      ]);
      expect(warn.mock.calls[0][1]).toEqual({ type: 'DeprecationWarning', code: 'ECODE_CONFIG_METRIC_ID' });
      const b = loadConfigDetailed(now, { cwd: dir });
      expect(b.config.evaluation.metrics).toEqual(a.config.evaluation.metrics);
      expect(warn).toHaveBeenCalledTimes(3);
      // Computed on main before the ids were unified, for metrics [pass-all, speedup, codebleu].
      expect(b.hash).toBe('0a8a9826f11370b05fb051ec4cba6ffa655ed67d0cb3ae309dd990dcfabce5b3');
      expect(a.hash).toBe(b.hash);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a run's old config.json resolves the same way, named by its label", () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const config = resolveConfig({ evaluation: { metrics: ['pass-rate', 'line-bleu'] } }, 'runs/ab12/config.json');
    expect(config.evaluation.metrics).toEqual(['passRate', 'lineBleu']);
    expect(warn.mock.calls[0][0]).toMatch(/^runs\/ab12\/config\.json:1:1: evaluation\.metrics\[0\]: "pass-rate" is/);
    expect(canonicalHash(config)).toBe(canonicalHash({ evaluation: { metrics: ['passRate', 'lineBleu'] } }));
  });

  it('an unknown metric is still an error that lists the ids', () => {
    expect(() => resolveConfig({ evaluation: { metrics: ['allpass'] } }, 'x.json')).toThrow(
      /evaluation\.metrics\[0\]: found "allpass", expected one of: passRate, compileRate, allPassRate,/,
    );
  });
});
