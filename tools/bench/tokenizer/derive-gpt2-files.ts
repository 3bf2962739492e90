/**
 * Writes GPT-2's vocab.json and merges.txt, derived from js-tiktoken's r50k_base ranks (GPT-2's
 * ids are its ranks; each merge is recovered by rank-limited BPE), into a folder.
 *   npx tsx tools/bench/tokenizer/derive-gpt2-files.ts <out-dir> [--ecode]
 * --ecode also writes E-code's modified vocab ([PAD]=0, !=101, [CLS]=102) as vocab.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import r50k from 'js-tiktoken/ranks/r50k_base';
import { ecodeGpt2Vocab, gpt2FilesFromRanks, parseTiktokenPackedRanks } from '@ecode/tokenizer';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--'));
if (out === undefined) {
  console.error('usage: derive-gpt2-files.ts <out-dir> [--ecode]');
  process.exit(2);
}
const started = performance.now();
const files = gpt2FilesFromRanks(parseTiktokenPackedRanks(r50k.bpe_ranks), r50k.special_tokens);
const vocab = args.includes('--ecode') ? ecodeGpt2Vocab(files.vocab) : files.vocab;
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'vocab.json'), JSON.stringify(vocab));
writeFileSync(join(out, 'merges.txt'), '#version: 0.2\n' + files.merges.map(([a, b]) => `${a} ${b}\n`).join(''));
console.log(
  JSON.stringify({
    out,
    vocab: Object.keys(vocab).length,
    merges: files.merges.length,
    ecode: args.includes('--ecode'),
    seconds: +((performance.now() - started) / 1000).toFixed(2),
  }),
);
