/**
 * Accumulates an ONNX graph: nodes with unique names, inline constants, and weights streamed to
 * external data. Op helpers (ops.ts) and the BitNet graph (bitnet-graph.ts) are written against it.
 */
import { DataType, type AttributeValue, type DataTypeCode, type ModelSpec, type NodeSpec, type TensorSpec, type ValueInfoSpec } from "./onnx-proto";
import type { ExternalDataWriter } from "./external-data";

export const MS_DOMAIN = "com.microsoft";

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  readonly inputs: ValueInfoSpec[] = [];
  readonly outputs: ValueInfoSpec[] = [];
  private names = new Set<string>();
  private constants = new Map<string, string>();
  private sharedWeights = new Map<string, string>();
  /** MatMulNBits nodes whose weights are ternary codes with unit scales and zero point 1 (ternary-graph.ts). */
  readonly unitTernaryNodes = new Set<string>();

  constructor(private readonly external?: ExternalDataWriter) {}

  private unique(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds a node; returns its output names (`outputs` are name hints, made unique). */
  node(opType: string, inputs: string[], opts: { name: string; outputs?: string[]; domain?: string; attributes?: Record<string, AttributeValue>; exactOutputs?: boolean }): string[] {
    const name = this.unique(opts.name);
    const outputs = (opts.outputs ?? [`${name}/out`]).map((o) => (opts.exactOutputs ? o : this.unique(o)));
    if (opts.exactOutputs) for (const o of outputs) this.names.add(o);
    this.nodes.push({ opType, domain: opts.domain, name, inputs, outputs, attributes: opts.attributes });
    return outputs;
  }

  /** One-output convenience form of `node`. */
  op(opType: string, inputs: string[], name: string, attributes?: Record<string, AttributeValue>, domain?: string): string {
    return this.node(opType, inputs, { name, attributes, domain })[0];
  }

  /** A small tensor stored inside model.onnx; identical constants are shared. */
  constant(name: string, dataType: DataTypeCode, dims: number[], values: ArrayLike<number> | ArrayLike<bigint>): string {
    const raw = toBytes(dataType, values);
    const key = `${dataType}|${dims.join(",")}|${Buffer.from(raw).toString("base64")}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    const unique = this.unique(name);
    this.initializers.push({ name: unique, dataType, dims, raw });
    this.constants.set(key, unique);
    return unique;
  }

  /** A weight tensor: appended to external data right away (falls back to inline without a writer). */
  weight(name: string, dataType: DataTypeCode, dims: number[], bytes: Uint8Array): string {
    const unique = this.unique(name);
    if (this.external) this.initializers.push({ name: unique, dataType, dims, external: this.external.append(bytes) });
    else this.initializers.push({ name: unique, dataType, dims, raw: bytes.slice() });
    return unique;
  }

  /** A weight stored once per `key`: later calls with the same key get the first one's name (and bytes). */
  sharedWeight(key: string, dataType: DataTypeCode, dims: number[], bytes: Uint8Array): string {
    let name = this.sharedWeights.get(key);
    if (!name) this.sharedWeights.set(key, (name = this.weight(key, dataType, dims, bytes)));
    return name;
  }

  /** Byte offset of an initializer in the external data file (for readers outside onnxruntime). */
  externalOffset(name: string): number {
    const t = this.initializers.find((i) => i.name === name);
    if (!t?.external) throw new Error(`externalOffset: ${name} is not stored in external data`);
    return t.external.offset;
  }

  /** A second view (other name/shape) of an initializer's bytes, without storing them twice. */
  alias(name: string, of: string, dims: number[]): string {
    const source = this.initializers.find((t) => t.name === of);
    if (!source) throw new Error(`alias: no initializer ${of}`);
    const unique = this.unique(name);
    this.initializers.push({ ...source, name: unique, dims });
    return unique;
  }

  input(name: string, dataType: DataTypeCode, shape: (number | string)[]): string {
    this.names.add(name);
    this.inputs.push({ name, dataType, shape });
    return name;
  }

  output(name: string, dataType: DataTypeCode, shape: (number | string)[]): void {
    this.outputs.push({ name, dataType, shape });
  }

  toModel(meta: Pick<ModelSpec, "graphName" | "producer" | "metadata">): ModelSpec {
    return {
      ...meta,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      opsets: [
        { domain: "", version: 21 },
        { domain: MS_DOMAIN, version: 1 },
      ],
    };
  }
}

function toBytes(dataType: DataTypeCode, values: ArrayLike<number> | ArrayLike<bigint>): Uint8Array {
  const list = Array.from(values as ArrayLike<number | bigint>);
  switch (dataType) {
    case DataType.FLOAT:
      return new Uint8Array(Float32Array.from(list, Number).buffer);
    case DataType.INT32:
      return new Uint8Array(Int32Array.from(list, Number).buffer);
    case DataType.INT64:
      return new Uint8Array(BigInt64Array.from(list, (v) => BigInt(v)).buffer);
    case DataType.UINT8:
      return Uint8Array.from(list, Number);
    default:
      throw new Error(`constant: unsupported data type ${dataType}`);
  }
}
