/**
 * Cross-field rules that a JSON Schema cannot say (sizes that must divide, lengths that must
 * fit, fields that another field requires). Each broken rule is a located problem.
 */
import { isHubId, parseHubId } from '@ecode/hub';
import type { MergedValue } from './merge.js';
import type { ConfigProblem } from './problems.js';
import type { ExperimentConfig } from './schema.js';
import { isWritten, problemAt } from './validate.js';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function checkConstraints(
  c: ExperimentConfig,
  merged: Pick<MergedValue, 'keyLocs' | 'valueLocs'>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const fail = (pointer: string, found: string, allowed: string) => {
    const shown = isWritten(merged, pointer) ? found : `${found} (the default)`;
    problems.push(problemAt(merged, pointer, 'constraint', `found ${shown}, expected ${allowed}`, { found, allowed }));
  };

  const { data, model, generation } = c;
  const split = data?.split;
  if (data && !data.useSourceSplit && split && isNum(split.train) && isNum(split.valid) && isNum(split.test)) {
    const sum = split.train + split.valid + split.test;
    if (Math.abs(sum - 1) > 1e-9) {
      fail('/data/split', `train + valid + test = ${Number(sum.toFixed(12))}`, 'ratios that sum to 1');
    }
  }
  if (data && (data.source === 'gec' || data.source === 'jsonl') && data.path === undefined) {
    fail(
      '/data/source',
      `${JSON.stringify(data.source)} without data.path`,
      `data.path to name the ${data.source === 'gec' ? 'GEC folder' : 'JSONL file'}`,
    );
  }
  const divides = (pointer: string, heads: unknown, hiddenName: string, hidden: unknown) => {
    if (isNum(heads) && isNum(hidden) && hidden % heads !== 0)
      fail(pointer, String(heads), `a divisor of ${hiddenName} (${hidden})`);
  };
  if (model) {
    const { expert, integration, codeDecoder } = model;
    divides('/model/expert/heads', expert?.heads, 'model.expert.hidden', expert?.hidden);
    divides('/model/integration/heads', integration?.heads, 'model.expert.hidden', expert?.hidden);
    divides('/model/codeDecoder/heads', codeDecoder?.heads, 'model.codeDecoder.hidden', codeDecoder?.hidden);
    divides('/model/crossAttentionHeads', model.crossAttentionHeads, 'model.codeDecoder.hidden', codeDecoder?.hidden);
    if (expert && Array.isArray(expert.fieldLengths) && isNum(expert.maxPositions)) {
      expert.fieldLengths.forEach((n, i) => {
        if (isNum(n) && n > expert.maxPositions)
          fail(
            `/model/expert/fieldLengths/${i}`,
            String(n),
            `at most model.expert.maxPositions (${expert.maxPositions})`,
          );
      });
    }
    const fits = (pointer: string, n: unknown, limitName: string, limit: unknown) => {
      if (isNum(n) && isNum(limit) && n > limit) fail(pointer, String(n), `at most ${limitName} (${limit})`);
    };
    fits('/model/icMaxTokens', model.icMaxTokens, 'model.codeDecoder.maxPositions', codeDecoder?.maxPositions);
    fits('/model/ecMaxTokens', model.ecMaxTokens, 'model.codeDecoder.maxPositions', codeDecoder?.maxPositions);
    fits('/model/codeDecoder/window', codeDecoder?.window, 'model.codeDecoder.maxPositions', codeDecoder?.maxPositions);
    if (model.init?.kind === 'pretrained' && model.init.bert === undefined && model.init.gptNeo === undefined) {
      fail(
        '/model/init/kind',
        '"pretrained" without model.init.bert or model.init.gptNeo',
        'at least one checkpoint path',
      );
    }
  }
  // Checkpoint and tokenizer references: a local path or a well-formed hf:<org>/<name>[@<rev>][/<file>].
  const refs: [string, unknown][] = [
    ['/model/init/bert', model?.init?.bert],
    ['/model/init/gptNeo', model?.init?.gptNeo],
    ['/tokenizer/code/files/vocab', c.tokenizer?.code?.files?.vocab],
    ['/tokenizer/code/files/merges', c.tokenizer?.code?.files?.merges],
    ['/tokenizer/text/files/vocab', c.tokenizer?.text?.files?.vocab],
  ];
  for (const [pointer, v] of refs)
    if (typeof v === 'string' && isHubId(v))
      try {
        parseHubId(v);
      } catch (e) {
        fail(
          pointer,
          JSON.stringify(v),
          `a local path or hf:<org>/<name>[@<rev>][/<file>] (${(e as Error).message.replace(/^[^:]*: /, '')})`,
        );
      }
  if (generation?.strategy === 'greedy' && isNum(generation.samplesPerInput) && generation.samplesPerInput > 1) {
    fail(
      '/generation/samplesPerInput',
      String(generation.samplesPerInput),
      '1 with strategy "greedy" (greedy decoding gives the same program every time)',
    );
  }
  return problems;
}
