/**
 * The one fake engine of the test suites: the real engine (createEngine: queue, context fitting,
 * generation loop, abort) over the deterministic fake runner, scripted to answer a fixed text one
 * byte per token. Chat, route and OpenAI tests can then assert exact contents and token counts,
 * hold the model busy or stop mid-answer with a gate, or make the model fail (`runner.failOnCall`).
 */
import { createEngine } from "../create-engine";
import type { Engine, GenerateRequest } from "../types";
import { EOT, FakeRunner, fakeTokenizer, manualGate, type FakeRunnerOptions } from "./fake-model";

const ASSISTANT_CUE = Array.from(new TextEncoder().encode("Assistant: "));

function lastIndexOfSequence(ids: readonly number[], seq: readonly number[]): number {
  outer: for (let i = ids.length - seq.length; i >= 0; i -= 1) {
    for (let j = 0; j < seq.length; j += 1) if (ids[i + j] !== seq[j]) continue outer;
    return i;
  }
  return -1;
}

/** Each answer is `answer` byte by byte, then end of turn. */
export function scriptedAnswer(answer: string): NonNullable<FakeRunnerOptions["script"]> {
  const bytes = Array.from(new TextEncoder().encode(answer));
  return (ids) => {
    const cue = lastIndexOfSequence(ids, ASSISTANT_CUE);
    const produced = ids.length - (cue + ASSISTANT_CUE.length);
    return produced < bytes.length ? bytes[produced] : EOT;
  };
}

export interface TestEngine {
  engine: Engine;
  runner: FakeRunner;
  gate: ReturnType<typeof manualGate> | null;
  /** Every request the engine was given, in order. */
  requests: GenerateRequest[];
}

export function createTestEngine(options: { answer?: string; gated?: boolean; maxQueue?: number; runner?: FakeRunnerOptions } = {}): TestEngine {
  const gate = options.gated ? manualGate() : null;
  const runner = new FakeRunner({
    script: scriptedAnswer(options.answer ?? "Hello world"),
    ...(gate ? { gate: gate.gate } : {}),
    ...options.runner,
  });
  const real = createEngine({ runner, tokenizer: fakeTokenizer(), maxQueue: options.maxQueue ?? 4 });
  const requests: GenerateRequest[] = [];
  const engine: Engine = {
    contextLength: real.contextLength,
    queueLength: () => real.queueLength(),
    generate: (request, signal) => {
      requests.push(request);
      return real.generate(request, signal);
    },
  };
  return { engine, runner, gate, requests };
}
