/**
 * Decoding of the Kubernetes protobuf request bodies kubectl sends for some core kinds
 * (`kubectl create namespace|configmap|secret|serviceaccount` use typed clients that encode
 * protobuf): the `k8s\0` envelope (`runtime.Unknown`) and the few messages of those kinds, into
 * the JSON shape. Responses are always JSON (clients accept it).
 *
 * @module
 */

import type { KubeObject } from "../api/types.js";
import { ApiError, StatusReason } from "./errors.js";

/** Content type of Kubernetes protobuf. */
export const PROTOBUF_CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  no: number;
  wire: number;
  value: bigint | Buffer;
}

function unsupported(why: string): ApiError {
  return new ApiError(
    415,
    StatusReason.UnsupportedMediaType,
    `unsupported protobuf body (${why}); send application/json`,
  );
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw unsupported("truncated varint");
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw unsupported("truncated field");
      out.push({ no, wire, value: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw unsupported(`wire type ${wire}`);
  }
  return out;
}

const bytesOf = (f: Field): Buffer => (Buffer.isBuffer(f.value) ? f.value : Buffer.alloc(0));
const str = (f: Field): string => bytesOf(f).toString("utf8");
const num = (f: Field): number => (typeof f.value === "bigint" ? Number(f.value) : 0);

type Decoder = Record<number, (f: Field, into: Record<string, unknown>) => void>;

function decode(buf: Buffer, d: Decoder): Record<string, unknown> {
  const into: Record<string, unknown> = {};
  for (const f of fields(buf)) d[f.no]?.(f, into);
  return into;
}

const setStr =
  (key: string) =>
  (f: Field, o: Record<string, unknown>): void =>
    void (o[key] = str(f));
const setBool =
  (key: string) =>
  (f: Field, o: Record<string, unknown>): void =>
    void (o[key] = num(f) !== 0);
const pushStr =
  (key: string) =>
  (f: Field, o: Record<string, unknown>): void =>
    void ((o[key] ??= []) as string[]).push(str(f));
const mapEntry =
  (key: string, value: (b: Buffer) => string) =>
  (f: Field, o: Record<string, unknown>): void => {
    const entry = fields(bytesOf(f));
    const k = entry.find((e) => e.no === 1);
    const v = entry.find((e) => e.no === 2);
    ((o[key] ??= {}) as Record<string, string>)[k ? str(k) : ""] = v ? value(bytesOf(v)) : "";
  };
const message =
  (key: string, d: Decoder, repeated = false) =>
  (f: Field, o: Record<string, unknown>): void => {
    const value = decode(bytesOf(f), d);
    if (repeated) ((o[key] ??= []) as unknown[]).push(value);
    else o[key] = value;
  };
const utf8 = (b: Buffer): string => b.toString("utf8");
const base64 = (b: Buffer): string => b.toString("base64");

const OWNER_REFERENCE: Decoder = {
  1: setStr("kind"),
  3: setStr("name"),
  4: setStr("uid"),
  5: setStr("apiVersion"),
  6: setBool("controller"),
  7: setBool("blockOwnerDeletion"),
};

const OBJECT_META: Decoder = {
  1: setStr("name"),
  2: setStr("generateName"),
  3: setStr("namespace"),
  5: setStr("uid"),
  6: setStr("resourceVersion"),
  11: mapEntry("labels", utf8),
  12: mapEntry("annotations", utf8),
  13: message("ownerReferences", OWNER_REFERENCE, true),
  14: pushStr("finalizers"),
};

const OBJECT_REFERENCE: Decoder = {
  1: setStr("kind"),
  2: setStr("namespace"),
  3: setStr("name"),
  4: setStr("uid"),
  5: setStr("apiVersion"),
};

const KINDS: Record<string, Decoder> = {
  Namespace: { 1: message("metadata", OBJECT_META), 2: message("spec", { 1: pushStr("finalizers") }) },
  ConfigMap: {
    1: message("metadata", OBJECT_META),
    2: mapEntry("data", utf8),
    3: mapEntry("binaryData", base64),
    4: setBool("immutable"),
  },
  Secret: {
    1: message("metadata", OBJECT_META),
    2: mapEntry("data", base64),
    3: setStr("type"),
    4: mapEntry("stringData", utf8),
    5: setBool("immutable"),
  },
  ServiceAccount: {
    1: message("metadata", OBJECT_META),
    2: message("secrets", OBJECT_REFERENCE, true),
    3: message("imagePullSecrets", { 1: setStr("name") }, true),
    4: setBool("automountServiceAccountToken"),
  },
};

/** Decodes a protobuf body of one of the supported core kinds into its JSON shape. */
export function decodeProtobuf(body: Buffer): KubeObject {
  if (!body.subarray(0, 4).equals(MAGIC)) throw unsupported("missing k8s envelope");
  const unknown = fields(body.subarray(4));
  const typeMeta = unknown.find((f) => f.no === 1);
  const raw = unknown.find((f) => f.no === 2);
  const tm = typeMeta ? decode(bytesOf(typeMeta), { 1: setStr("apiVersion"), 2: setStr("kind") }) : {};
  const kind = typeof tm["kind"] === "string" ? tm["kind"] : "";
  const decoder = KINDS[kind];
  if (decoder === undefined || raw === undefined) throw unsupported(`kind ${kind || "unknown"}`);
  const obj = decode(bytesOf(raw), decoder);
  return {
    apiVersion: typeof tm["apiVersion"] === "string" ? tm["apiVersion"] : "v1",
    kind,
    metadata: {},
    ...obj,
  } as KubeObject;
}
