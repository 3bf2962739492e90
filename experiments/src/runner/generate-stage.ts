/** The generate stage: the trained model rewrites each test sample's slow code -> `generations.jsonl`. */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createModel, generate, initBackend, loadWeightsFile } from '@ecode/model';
import { modelSpecFromConfig } from './model-spec.js';
import type { StageContext } from './stage-context.js';
import {
  abstractsIdentifiers,
  programFromOutput,
  writesEdits,
  type SampleRef,
  type Tokenizers,
} from './tokenize-stage.js';

/**
 * Which test split a program or judged result belongs to: `in-family` (the main one, stored as
 * absent), `held-out` (families held out of training), or a corpus split (`unseen-combination`,
 * `unseen-idiom`).
 */
export type TestSplit = string;

export interface GeneratedProgram {
  sampleId: string;
  problemId: string;
  /** The test split beyond the main one (`held-out`, `unseen-idiom`, ...); absent for the main one. */
  testSplit?: string;
  solutionIndex: number;
  sample: number;
  code: string;
  /**
   * What the model wrote, when that is not `code`: before its names were restored
   * (tokenizer.code.identifiers: abstract) or the edit applied (tokenizer.code.target: edit).
   */
  abstractCode?: string;
  /** Why the model's edit could not be applied to the slow code (`code` is then the edit itself). */
  editError?: string;
  /** Hunks of the model's edit placed where their `-` lines only nearly match the slow code. */
  editNearMatches?: number;
  stopped: boolean;
  tokens: number;
}

export async function generateStage(
  ctx: StageContext,
  tok: Tokenizers,
  refs: SampleRef[],
  /** Problems of further test splits: ids of held-out-family problems, or problem id -> split name. */
  extraSplitOf: ReadonlySet<string> | ReadonlyMap<string, string> = new Set(),
): Promise<GeneratedProgram[]> {
  const splitOf = (id: string): string | undefined =>
    extraSplitOf instanceof Map
      ? extraSplitOf.get(id)
      : (extraSplitOf as ReadonlySet<string>).has(id)
        ? 'held-out'
        : undefined;
  const { config, paths } = ctx;
  await initBackend(config.backend);
  const spec = modelSpecFromConfig(config, tok);
  const model = createModel(spec);
  try {
    await loadWeightsFile(model.variables, paths.model, { requireAll: true });
    const g = config.generation;
    const t0 = Date.now();
    let tokens = 0;
    const gens = await generate(
      model,
      refs.map((r) => ({ ...r.sample, ec: [] })),
      {
        maxNewTokens: g.maxNewTokens,
        numSamples: g.samplesPerInput,
        seed: g.seed ?? config.experiment.seed,
        greedy: g.strategy === 'greedy',
        temperature: g.temperature,
        topK: g.topK,
        topP: g.topP,
        banned: [tok.code.padId, tok.code.startId],
        useCache: g.useKvCache,
        batchSize: 8,
        onProgress: (done, total, n) => {
          tokens = n;
          ctx.log(`generate: ${done}/${total} inputs`);
        },
      },
    );
    const out: GeneratedProgram[] = [];
    for (const gen of gens) {
      const ref = refs[gen.index];
      const slow = ref.problem.solutions[ref.solutionIndex].code;
      const transformed = abstractsIdentifiers(config) || writesEdits(config);
      gen.samples.forEach((ids, k) => {
        const written = tok.code.decode(ids, { skipSpecialTokens: true });
        const program = transformed ? programFromOutput(config, slow, written) : { code: written };
        out.push({
          sampleId: ref.sample.id,
          problemId: ref.problem.id,
          ...(splitOf(ref.problem.id) ? { testSplit: splitOf(ref.problem.id) } : {}),
          solutionIndex: ref.solutionIndex,
          sample: k,
          code: program.code,
          ...(transformed ? { abstractCode: written } : {}),
          ...(program.editError ? { editError: program.editError } : {}),
          ...(program.editNearMatches ? { editNearMatches: program.editNearMatches } : {}),
          stopped: gen.stopped[k],
          tokens: ids.length,
        });
      });
    }
    await writeFile(paths.generations, out.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const unapplied = out.filter((o) => o.editError).length;
    const near = out.filter((o) => o.editNearMatches).length;
    ctx.log(
      `generated ${out.length} programs in ${((Date.now() - t0) / 1000).toFixed(1)} s (${tokens} new tokens)` +
        (writesEdits(config)
          ? `; ${unapplied} edit(s) did not fit the slow code (editError in generations.jsonl), ${near} placed by a near match (editNearMatches)`
          : ''),
    );
    return out;
  } finally {
    model.dispose();
  }
}

export function readGenerations(path: string): GeneratedProgram[] {
  if (!existsSync(path)) throw new Error(`${path}: no generations (run the generate stage first)`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as GeneratedProgram;
      } catch (err) {
        throw new Error(`${path}:${i + 1}: not JSON (${(err as Error).message})`);
      }
    });
}
