/**
 * A kind's schema as the OpenAPI v3 structural schema a Kubernetes API server publishes for a
 * CRD: what `kubectl explain` reads (types and descriptions down to leaf fields). The decoder's
 * Go annotations and TypeBox's bookkeeping are left out; Go's decoding rules that JSON Schema
 * cannot say (omitempty, case-insensitive names, ParamValue's leniency) stay with the decoder, so
 * nothing here is `required` or closed.
 *
 * @module
 */
import type { TSchema } from "@sinclair/typebox";
import { GoDecoder } from "./dsl.js";

type Json = Record<string, unknown>;

const DROPPED = new Set(["$id", "required", "additionalProperties", "patternProperties", "anyOf"]);

/** The OpenAPI v3 form of a schema node (recursive references become open objects). */
export function toOpenApi(schema: TSchema): Json {
  return convert(schema as Json);
}

function convert(node: Json): Json {
  if (typeof node["$ref"] === "string") {
    return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  }
  const out: Json = {};
  if (typeof node["description"] === "string") out["description"] = node["description"];
  switch (node["x-go-decode"]) {
    case GoDecoder.ParamValue:
    case GoDecoder.Raw:
      out["x-kubernetes-preserve-unknown-fields"] = true;
      return out;
    case GoDecoder.Quantity:
    case GoDecoder.IntOrString:
      out["anyOf"] = [{ type: "integer" }, { type: "string" }];
      out["x-kubernetes-int-or-string"] = true;
      return out;
    default:
      break;
  }
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key.startsWith("x-go-") || key === "description") continue;
    if (key === "properties") {
      out["properties"] = Object.fromEntries(
        Object.entries(value as Record<string, Json>).map(([k, v]) => [k, convert(v)]),
      );
    } else if (key === "items") {
      out["items"] = convert(value as Json);
    } else {
      out[key] = value;
    }
  }
  const pattern = node["patternProperties"] as Record<string, Json> | undefined;
  const values = pattern === undefined ? undefined : Object.values(pattern)[0];
  if (values !== undefined && node["x-kubernetes-preserve-unknown-fields"] !== true) {
    out["additionalProperties"] = convert(values);
  }
  return out;
}

/** The Swagger 2.0 form (no `anyOf`: int-or-string is a string there, as in Kubernetes' v2). */
export function toSwagger(schema: TSchema): Json {
  return swagger(toOpenApi(schema));
}

function swagger(node: Json): Json {
  const out: Json = { ...node };
  if (out["x-kubernetes-int-or-string"] === true) {
    delete out["anyOf"];
    out["type"] = "string";
    out["format"] = "int-or-string";
  }
  if (out["properties"] !== undefined) {
    out["properties"] = Object.fromEntries(
      Object.entries(out["properties"] as Record<string, Json>).map(([k, v]) => [k, swagger(v)]),
    );
  }
  if (out["items"] !== undefined) out["items"] = swagger(out["items"] as Json);
  if (out["additionalProperties"] !== undefined)
    out["additionalProperties"] = swagger(out["additionalProperties"] as Json);
  return out;
}
