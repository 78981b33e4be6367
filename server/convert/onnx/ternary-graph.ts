/**
 * The same graph for the project's own ternary kernel (native/ternary, op TernaryMatMul in the
 * ai.bitnet-chat domain): every 2-bit MatMulNBits node becomes a TernaryMatMul node that reads the same
 * initializer (the same bytes of model.onnx.data), so the two graphs share one weight file and the
 * runtime picks one at load (server/runtime/onnx-runner.ts). The LM head (4/8-bit) stays MatMulNBits.
 */
import type { ModelSpec, NodeSpec } from "./onnx-proto";
import { MS_DOMAIN } from "./graph-builder";

export const TERNARY_DOMAIN = "ai.bitnet-chat";
export const TERNARY_OP = "TernaryMatMul";
export const TERNARY_GRAPH_FILE = "model.ternary.onnx";

/** The kernel's block constraint (native/ternary/src/ternary_kernel.h): whole 128-code vector steps. */
const takesBlock = (block: number) => block % 128 === 0;

function attr(node: NodeSpec, name: string): number | undefined {
  const value = node.attributes?.[name];
  return typeof value === "number" ? value : undefined;
}

function toTernary(node: NodeSpec, unitTernary: ReadonlySet<string>): NodeSpec {
  if (node.opType !== "MatMulNBits" || node.domain !== MS_DOMAIN || attr(node, "bits") !== 2) return node;
  const block = attr(node, "block_size")!;
  // Only nodes whose weights have unit block scales and zero point 1 (GraphBuilder.unitTernaryNodes): the
  // kernel assumes both, so their scales and zero-point inputs are dropped.
  if (!takesBlock(block) || !unitTernary.has(node.name)) return node;
  return {
    opType: TERNARY_OP,
    domain: TERNARY_DOMAIN,
    name: node.name,
    inputs: node.inputs.slice(0, 2),
    outputs: node.outputs,
    attributes: { K: attr(node, "K")!, N: attr(node, "N")!, block_size: block },
  };
}

/** The model with TernaryMatMul nodes, or undefined when no node could take the kernel. */
export function ternaryModel(model: ModelSpec, unitTernary: ReadonlySet<string>): ModelSpec | undefined {
  const nodes = model.nodes.map((n) => toTernary(n, unitTernary));
  if (nodes.every((n, i) => n === model.nodes[i])) return undefined;
  const used = new Set(nodes.flatMap((n) => n.inputs));
  return {
    ...model,
    nodes,
    // Initializers only the MatMulNBits nodes read (the unit scales, the zero points) are left out.
    initializers: model.initializers.filter((t) => used.has(t.name)),
    opsets: [...model.opsets, { domain: TERNARY_DOMAIN, version: 1 }],
  };
}
