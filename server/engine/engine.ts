/**
 * server/engine/ — generation on a model runner: chat prompt, context fitting, queue (scheduler),
 * sampling, stop rules, KV prefix reuse. Knows nothing about HTTP or the database.
 *
 * The engine's entry point: `createEngine` (runner + tokenizer → Engine) and `loadEngine` (model folder →
 * Engine with the ONNX runner). Contracts are in ./types.
 */
export { createEngine, type CreateEngineOptions } from "./create-engine";
export { loadEngine, type LoadedEngine, type LoadEngineOptions, type LoadProgress } from "./load-engine";
