import { describe, expect, it } from 'vitest';
import { checkFile } from './check-file.js';
import { loadConfigDetailed } from './load-config.js';
import { formatProblems } from './problems.js';
import { FIXTURES } from './test-helpers.js';

const opts = { cwd: FIXTURES };

describe('hf: ids in configs', () => {
  it('accepts hub ids where a checkpoint or tokenizer file is named; the hash comes from the text alone', () => {
    const r = loadConfigDetailed('hub-ids.yaml', opts);
    expect(r.config.model.init.gptNeo).toBe('hf:EleutherAI/gpt-neo-125m');
    expect(r.config.tokenizer.code.files?.merges).toBe('hf:EleutherAI/gpt-neo-125m/merges.txt');
    expect(loadConfigDetailed('hub-ids.yaml', opts).hash).toBe(r.hash);
  });

  it('locates malformed hub ids', () => {
    expect(formatProblems(checkFile('errors/hub-ids.yaml', opts).problems)).toBe(
      [
        `errors/hub-ids.yaml:4:11: model.init.bert: found "hf:prajjwal1", expected a local path or hf:<org>/<name>[@<rev>][/<file>] ('hf:prajjwal1' must name a repo as hf:<org>/<name>[@<rev>][/<file>])`,
        `errors/hub-ids.yaml:5:13: model.init.gptNeo: found "hf:EleutherAI/gpt-neo-125m@a@b", expected a local path or hf:<org>/<name>[@<rev>][/<file>] ('hf:EleutherAI/gpt-neo-125m@a@b' has more than one '@')`,
        `errors/hub-ids.yaml:8:21: tokenizer.text.files.vocab: found "hf:prajjwal1/bert-tiny/../vocab.txt", expected a local path or hf:<org>/<name>[@<rev>][/<file>] ('hf:prajjwal1/bert-tiny/../vocab.txt': the file path has an empty, '.' or '..' part)`,
      ].join('\n'),
    );
  });
});
