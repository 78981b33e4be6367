/**
 * Plain-object ONNX messages and their encoding (field numbers from onnx/onnx.proto).
 * Only what the converter emits: a graph of nodes, small inline tensors, external-data
 * initializers, and typed graph inputs/outputs.
 */
import { ProtoWriter } from "./protobuf-writer";

/** onnx.TensorProto.DataType values we use. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export type AttributeValue = number | string | number[] | { float: number } | { floats: number[] };

export interface NodeSpec {
  opType: string;
  domain?: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface TensorSpec {
  name: string;
  dataType: DataTypeCode;
  dims: number[];
  /** Inline little-endian bytes (small tensors only). */
  raw?: Uint8Array;
  /** External data location relative to the model file. */
  external?: { location: string; offset: number; length: number };
}

export interface ValueInfoSpec {
  name: string;
  dataType: DataTypeCode;
  /** Numbers are fixed sizes, strings are symbolic dimensions. */
  shape: (number | string)[];
}

export interface ModelSpec {
  nodes: NodeSpec[];
  initializers: TensorSpec[];
  inputs: ValueInfoSpec[];
  outputs: ValueInfoSpec[];
  graphName: string;
  opsets: { domain: string; version: number }[];
  producer: { name: string; version: string };
  metadata?: Record<string, string>;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

function writeAttribute(w: ProtoWriter, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: use { float } for non-integers`);
    w.int(3, value).int(20, ATTR_INT);
  } else if (typeof value === "string") {
    w.string(4, value).int(20, ATTR_STRING);
  } else if (Array.isArray(value)) {
    for (const v of value) w.int(8, v);
    w.int(20, ATTR_INTS);
  } else if ("float" in value) {
    w.float(2, value.float).int(20, ATTR_FLOAT);
  } else {
    for (const v of value.floats) w.float(7, v);
    w.int(20, ATTR_FLOATS);
  }
}

function writeNode(w: ProtoWriter, node: NodeSpec): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name).string(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(5, (a) => writeAttribute(a, name, value));
  }
  if (node.domain) w.string(7, node.domain);
}

function writeTensor(w: ProtoWriter, t: TensorSpec): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType).string(8, t.name);
  if (t.raw) w.bytes(9, t.raw);
  if (t.external) {
    const entries: [string, string][] = [
      ["location", t.external.location],
      ["offset", String(t.external.offset)],
      ["length", String(t.external.length)],
    ];
    for (const [key, value] of entries) w.message(13, (e) => e.string(1, key).string(2, value));
    w.int(14, 1); // DataLocation.EXTERNAL
  }
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoSpec): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

/** Serializes a ModelProto (IR version 10: what onnxruntime 1.2x/1.30 reads for opset 21). */
export function encodeModel(model: ModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 10);
  w.string(2, model.producer.name).string(3, model.producer.version);
  w.message(7, (g) => {
    for (const node of model.nodes) g.message(1, (n) => writeNode(n, node));
    g.string(2, model.graphName);
    for (const t of model.initializers) g.message(5, (x) => writeTensor(x, t));
    for (const v of model.inputs) g.message(11, (x) => writeValueInfo(x, v));
    for (const v of model.outputs) g.message(12, (x) => writeValueInfo(x, v));
  });
  for (const opset of model.opsets) w.message(8, (o) => o.string(1, opset.domain).int(2, opset.version));
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, (e) => e.string(1, key).string(2, value));
  }
  return w.finish();
}
