// Peer benchmark: the same model folder in transformers.js (onnxruntime-node), measured the way
// `nightshift bench generate` measures: prefill = a 1-token generation, decode = the rest.
// Usage: node bench-transformersjs.mjs MODEL_DIR DTYPE BATCH PROMPT_TOKENS NEW_TOKENS REPEAT
import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import path from 'node:path';

const [dir, dtype, batchS, promptS, newS, repeatS] = process.argv.slice(2);
const batch = +batchS, promptTokens = +promptS, newTokens = +newS, repeat = +repeatS;
env.allowRemoteModels = false;           // offline: read the folder, fetch nothing
env.localModelPath = path.dirname(path.resolve(dir)) + '/';
const model = await AutoModelForCausalLM.from_pretrained(path.basename(path.resolve(dir)), { dtype, device: 'cpu' });

// Same prompt shape as nightshift's bench: BOS then ordinary token ids, rows offset by 3.
const ids = new BigInt64Array(batch * promptTokens);
for (let b = 0; b < batch; b++) {
  ids[b * promptTokens] = 2n;
  for (let i = 1; i < promptTokens; i++) ids[b * promptTokens + i] = BigInt(300 + ((b * 3 + i) % 500));
}
const inputs = () => ({
  input_ids: new Tensor('int64', ids.slice(), [batch, promptTokens]),
  attention_mask: new Tensor('int64', new BigInt64Array(batch * promptTokens).fill(1n), [batch, promptTokens]),
});
const run = async (n) => {
  const t = process.hrtime.bigint();
  await model.generate({ ...inputs(), max_new_tokens: n, min_new_tokens: n, do_sample: false });
  return Number(process.hrtime.bigint() - t) / 1e9;
};

const warmupEnd = Date.now() + 3000;
for (let i = 0; i < 2 || Date.now() < warmupEnd; i++) await run(newTokens);
let prefill = 0, total = 0;
for (let r = 0; r < repeat; r++) {
  prefill += await run(1);
  total += await run(newTokens);
}
const decode = total - prefill;
console.log(`transformers.js batch=${batch} prompt_tokens=${promptTokens} new_tokens=${newTokens} `
  + `prefill_tok_s=${(batch * promptTokens * repeat / prefill).toFixed(1)} `
  + `decode_tok_s=${(batch * (newTokens - 1) * repeat / decode).toFixed(1)} `
  + `end_to_end_tok_s=${(batch * newTokens * repeat / total).toFixed(1)}`);
