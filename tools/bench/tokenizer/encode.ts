/**
 * Tokenizer benchmark: encode throughput (MB/s of UTF-8) of ecode's GPT-2 byte-level BPE against
 * js-tiktoken r50k_base on the same ~1.1 MB mixed corpus as the parity test, WordPiece encode
 * throughput, and training time for an 8k vocabulary. Prints JSON.
 *   npx tsx tools/bench/tokenizer/encode.ts [--mb 1.1] [--train-mb 4] [--repeats 3]
 */
import { Tiktoken } from 'js-tiktoken/lite';
import r50k from 'js-tiktoken/ranks/r50k_base';
import {
  ByteLevelBpeTokenizer,
  gpt2FilesFromRanks,
  parseTiktokenPackedRanks,
  syntheticCorpus,
  trainByteLevelBpe,
  trainWordPiece,
} from '@ecode/tokenizer';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const mb = arg('mb', 1.1);
const trainMb = arg('train-mb', 4);
const repeats = arg('repeats', 3);

/**
 * Seconds of CPU time (user + system) the call took. The benchmark machine may be shared, so CPU
 * time is the figure that compares; wall time is reported alongside for the encode runs.
 */
function time<T>(f: () => T): [T, number] {
  const t = process.cpuUsage();
  const r = f();
  const d = process.cpuUsage(t);
  return [r, (d.user + d.system) / 1e6];
}
function wall(f: () => unknown): number {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
}
function best(f: () => unknown): number {
  let b = Infinity;
  for (let i = 0; i < repeats; i++) b = Math.min(b, time(f)[1]);
  return b;
}

const corpus = syntheticCorpus({ bytes: Math.round(mb * 1e6), seed: 2408 });
const bytes = Buffer.byteLength(corpus);
const mbOf = (s: number) => +(bytes / 1e6 / s).toFixed(3);

const [files, deriveS] = time(() => gpt2FilesFromRanks(parseTiktokenPackedRanks(r50k.bpe_ranks), r50k.special_tokens));
const make = () =>
  new ByteLevelBpeTokenizer({
    vocab: new Map(Object.entries(files.vocab)),
    merges: files.merges,
    padToken: '<|endoftext|>',
    startToken: '<|endoftext|>',
  });
const [ours, loadS] = time(make);
const [ref, refLoadS] = time(() => new Tiktoken(r50k));

// Cold: a fresh tokenizer with an empty piece cache; warm: the cache filled by a previous pass.
const coldS = Math.min(
  ...Array.from({ length: repeats }, () => {
    const t = make();
    return time(() => t.encode(corpus))[1];
  }),
);
ours.encode(corpus);
const warmS = best(() => ours.encode(corpus));
const tiktokenS = best(() => ref.encode(corpus, 'all'));
const same = JSON.stringify(ours.encode(corpus)) === JSON.stringify(ref.encode(corpus, 'all'));
const decodeS = best(() => ours.decode(ours.encode(corpus)));
const wallOursS = Math.min(...Array.from({ length: repeats }, () => wall(() => ours.encode(corpus))));
const wallTiktokenS = Math.min(...Array.from({ length: repeats }, () => wall(() => ref.encode(corpus, 'all'))));

const trainCorpus = syntheticCorpus({ bytes: Math.round(trainMb * 1e6), seed: 1 });
const [bpe8k, trainBpeS] = time(() => trainByteLevelBpe(trainCorpus, { vocabSize: 8000 }));
const [wp8k, trainWpS] = time(() => trainWordPiece(trainCorpus, { vocabSize: 8000 }));
const bpe8kS = best(() => bpe8k.encode(corpus));
const wpS = best(() => wp8k.encode(corpus));

console.log(
  JSON.stringify(
    {
      node: process.version,
      timing: 'best of repeats, CPU seconds (user+system) unless marked wallClock',
      loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)),
      corpusBytes: bytes,
      gpt2: {
        deriveVocabAndMergesS: +deriveS.toFixed(2),
        loadS: +loadS.toFixed(3),
        tiktokenLoadS: +refLoadS.toFixed(3),
        identicalToTiktoken: same,
        oursColdMBps: mbOf(coldS),
        oursWarmMBps: mbOf(warmS),
        tiktokenMBps: mbOf(tiktokenS),
        ratioColdVsTiktoken: +(tiktokenS / coldS).toFixed(2),
        ratioWarmVsTiktoken: +(tiktokenS / warmS).toFixed(2),
        encodePlusDecodeMBps: mbOf(decodeS),
        wallClock: { oursWarmMBps: mbOf(wallOursS), tiktokenMBps: mbOf(wallTiktokenS) },
      },
      training: {
        corpusBytes: Buffer.byteLength(trainCorpus),
        bpe8kS: +trainBpeS.toFixed(2),
        bpe8kVocab: bpe8k.vocabSize,
        wordPiece8kS: +trainWpS.toFixed(2),
        wordPiece8kVocab: wp8k.vocabSize,
      },
      trained8k: { bpeEncodeMBps: mbOf(bpe8kS), wordPieceEncodeMBps: mbOf(wpS) },
    },
    null,
    2,
  ),
);
