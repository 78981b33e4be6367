/** Generates the tiny test checkpoints and their ONNX conversions (idempotent; also done lazily by the test setup). */
import { ensureTestModels } from "../tests/support/test-models";

const started = performance.now();
const models = await ensureTestModels();
console.log(JSON.stringify({ ...models, seconds: Math.round((performance.now() - started) / 100) / 10 }));
