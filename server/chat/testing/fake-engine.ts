/**
 * A real engine (createEngine: queue, context fitting, generation loop, abort) over the engine
 * helper's deterministic fake runner, scripted to answer a fixed text: chat tests can then assert
 * exact contents, stop mid-answer with a gate, or make the model fail.
 */
import { createEngine } from "@/server/engine/create-engine";
import { EOT, FakeRunner, fakeTokenizer, manualGate, type FakeRunnerOptions } from "@/server/engine/testing/fake-model";
import type { Engine } from "@/server/engine/types";

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
}

export function createTestEngine(options: { answer?: string; gated?: boolean; maxQueue?: number; runner?: FakeRunnerOptions } = {}): TestEngine {
  const gate = options.gated ? manualGate() : null;
  const runner = new FakeRunner({
    script: scriptedAnswer(options.answer ?? "Hello world"),
    ...(gate ? { gate: gate.gate } : {}),
    ...options.runner,
  });
  const engine = createEngine({ runner, tokenizer: fakeTokenizer(), maxQueue: options.maxQueue ?? 4 });
  return { engine, runner, gate };
}
