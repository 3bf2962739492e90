/**
 * E-code's modified GPT-2 vocabulary (worn-E-code@0e0b996 `GPT_Tokenizer/vocab.json`): still
 * 50,257 ids, but `[PAD]` took id 0 from `!`, `!` moved to id 101 (overwriting the byte token
 * `¨`, byte 0xA8) and `[CLS]` took id 102 (overwriting `©`, byte 0xA9). Those two bytes, when BPE
 * leaves them alone, therefore have no id and encode as the unk token `<|endoftext|>`, exactly as
 * the original's GPT2Tokenizer does.
 */

export const ECODE_PAD_ID = 0;
export const ECODE_START_ID = 102;
export const ECODE_EOS_ID = 50256;

/** The E-code vocab built from GPT-2's vocab.json (object form); throws if it is not GPT-2's. */
export function ecodeGpt2Vocab(gpt2Vocab: Readonly<Record<string, number>>): Record<string, number> {
  const expect: [string, number][] = [
    ['!', 0],
    ['\u00a8', 101],
    ['\u00a9', 102],
    ['<|endoftext|>', 50256],
  ];
  for (const [t, id] of expect) {
    if (gpt2Vocab[t] !== id) {
      throw new Error(
        `ecodeGpt2Vocab: expected GPT-2's vocab with ${JSON.stringify(t)} = ${id}, found ${gpt2Vocab[t]}`,
      );
    }
  }
  const out: Record<string, number> = { ...gpt2Vocab };
  delete out['\u00a8'];
  delete out['\u00a9'];
  out['!'] = 101;
  out['[PAD]'] = ECODE_PAD_ID;
  out['[CLS]'] = ECODE_START_ID;
  return out;
}
