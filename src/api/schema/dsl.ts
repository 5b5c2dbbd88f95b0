/**
 * Building blocks for the resource schemas: TypeBox schemas (plain JSON Schema, so they double as
 * OpenAPI v3 structural schemas and as TypeScript types through `Static`) annotated with what
 * Go's `encoding/json` needs to word a decoding failure the way Tekton's webhook does:
 * the Go type of every node (`x-go-type`), the struct name of every object (`x-go-struct`) and,
 * for types with their own `UnmarshalJSON`, which decoder to use (`x-go-decode`).
 *
 * @module
 */
import {
  Array as ArrayType,
  Boolean as BooleanType,
  Integer as IntegerType,
  Object as ObjectType,
  Optional as OptionalType,
  Record as RecordType,
  String as StringType,
  Union as UnionType,
  Unknown as UnknownType,
  Unsafe as UnsafeType,
  type TSchema,
  type TProperties,
  type TObject,
  type TArray,
} from "@sinclair/typebox";
import type { TOptional, TRecord, TString, TUnknown } from "@sinclair/typebox";

/** Types whose Go implementation decodes itself (`UnmarshalJSON`). */
export const GoDecoder = {
  /** Tekton's `ParamValue`: string, array or object of strings; other JSON becomes its text. */
  ParamValue: "ParamValue",
  /** `metav1.Duration`: a string parsed by `time.ParseDuration`. */
  Duration: "Duration",
  /** `resource.Quantity`: a string or number matching Kubernetes' quantity grammar. */
  Quantity: "Quantity",
  /** `intstr.IntOrString`. */
  IntOrString: "IntOrString",
  /** `runtime.RawExtension` / `json.RawMessage`: any JSON, kept as it is. */
  Raw: "Raw",
} as const;
export type GoDecoder = (typeof GoDecoder)[keyof typeof GoDecoder];

/** The annotations the decoder reads. */
export interface GoAnnotations {
  "x-go-type"?: string;
  "x-go-struct"?: string;
  "x-go-decode"?: GoDecoder;
  /** Unknown fields are dropped instead of rejected (`metadata`, decoded by the API server). */
  "x-go-lenient"?: boolean;
  /** Present after decoding, with Go's zero value when missing or null ({@link always}). */
  "x-go-always"?: boolean;
}

type Described = { description?: string };

function describe(description: string | undefined): Described {
  return description === undefined ? {} : { description };
}

/** A Go `string` (or a named string type such as `v1.PullPolicy`). */
export function str(description?: string, goType = "string"): TString {
  return StringType({ ...describe(description), "x-go-type": goType });
}

/**
 * A named string type whose meaningful values are listed in the description. Not an enum in the
 * schema: as in Go, any string decodes, and Tekton's validation words the refusal.
 */
export function oneOf(values: readonly string[], description: string, goType: string): TString {
  return StringType({ description: `${description} One of: ${values.join(", ")}.`, "x-go-type": goType });
}

/**
 * Like {@link oneOf}, for a closed set that the TypeScript type narrows to (`ParamType`); still
 * any string to the decoder, as in Go.
 */
export function closedSet<const V extends readonly string[]>(values: V, description: string, goType: string) {
  return UnsafeType<V[number]>(oneOf(values, description, goType));
}

/** A Go integer (`int`, `int32`, `int64`). */
export function int(description?: string, goType: "int" | "int32" | "int64" = "int") {
  return IntegerType({
    ...describe(description),
    "x-go-type": goType,
    ...(goType === "int64" || goType === "int" ? { format: "int64" } : { format: "int32" }),
  });
}

/** A Go `bool`. */
export function bool(description?: string) {
  return BooleanType({ ...describe(description), "x-go-type": "bool" });
}

/** A Go slice; `goType` is its name in messages (`[]v1.Step`, or a named slice such as `v1.Params`). */
export function list<T extends TSchema>(items: T, goType: string, description?: string): TArray<T> {
  return ArrayType(items, { ...describe(description), "x-go-type": goType });
}

/** `[]string`. */
export function strings(description?: string): TArray<TString> {
  return list(str(), "[]string", description);
}

/** A Go map with string keys. */
export function map<T extends TSchema>(values: T, goType: string, description?: string): TRecord<TString, T> {
  return RecordType(StringType(), values, { ...describe(description), "x-go-type": goType });
}

/** `map[string]string`. */
export function stringMap(description?: string): TRecord<TString, TString> {
  return map(str(), "map[string]string", description);
}

/** Marks a field without `omitempty` whose zero value code relies on (names): always present after decoding. */
export type TAlways<T extends TSchema> = T & { "x-go-always": true };

/** A field that decoding always fills in (Go's zero value when missing or null). */
export function always<T extends TSchema>(schema: T): TAlways<T> {
  return { ...schema, "x-go-always": true } as TAlways<T>;
}

type Fields<P extends TProperties> = {
  [K in keyof P]: P[K] extends { "x-go-always": true } ? P[K] : TOptional<P[K]>;
};

/**
 * A Go struct: a closed object (`additionalProperties: false`), every field optional as with
 * `omitempty` unless marked {@link always}. `goName` is the struct's name (`Step`), `pkg` its
 * package (`v1`, `v1beta1`).
 */
export function struct<P extends TProperties>(
  pkg: string,
  goName: string,
  properties: P,
  description?: string,
): TObject<Fields<P>> {
  const optional = Object.fromEntries(
    Object.entries(properties).map(([k, v]) => [
      k,
      (v as GoAnnotations)["x-go-always"] === true ? v : OptionalType(v),
    ]),
  ) as Fields<P>;
  return ObjectType(optional, {
    ...describe(description),
    additionalProperties: false,
    "x-go-type": `${pkg}.${goName}`,
    "x-go-struct": goName,
  });
}

/** Marks a struct's unknown fields as dropped rather than rejected. */
export function lenient<T extends TSchema>(schema: T): T {
  return { ...schema, "x-go-lenient": true };
}

/**
 * A Kubernetes or Tekton type tektite does not look inside (affinity, tolerations…): any object,
 * kept as it is; only a non-object is a decoding failure.
 */
export function opaque(goType: string, description?: string): TRecord<TString, TUnknown> {
  return RecordType(StringType(), UnknownType(), {
    ...describe(description),
    "x-go-type": goType,
    "x-kubernetes-preserve-unknown-fields": true,
  });
}

/** Any JSON value kept verbatim (`runtime.RawExtension`). */
export function raw(description?: string): TUnknown {
  return UnknownType({
    ...describe(description),
    "x-go-type": "runtime.RawExtension",
    "x-go-decode": GoDecoder.Raw,
    "x-kubernetes-preserve-unknown-fields": true,
  });
}

/** Tekton's `ParamValue` (`pkg` is the Tekton package: `v1`, `v1beta1`). */
export function paramValue(pkg: string, description?: string) {
  return UnionType([StringType(), ArrayType(StringType()), RecordType(StringType(), StringType())], {
    ...describe(description),
    "x-go-type": `${pkg}.ParamValue`,
    "x-go-decode": GoDecoder.ParamValue,
    "x-kubernetes-preserve-unknown-fields": true,
  });
}

/** A `metav1.Duration` (`1h30m`). */
export function duration(description?: string): TString {
  return StringType({
    ...describe(description),
    "x-go-type": "v1.Duration",
    "x-go-decode": GoDecoder.Duration,
  });
}

/** A `resource.Quantity` (`500m`, `1Gi`, `2`). */
export function quantity(description?: string) {
  return UnionType([IntegerType(), StringType()], {
    ...describe(description),
    "x-go-type": "resource.Quantity",
    "x-go-decode": GoDecoder.Quantity,
    "x-kubernetes-int-or-string": true,
  });
}

/** An `intstr.IntOrString` (a port number or name). */
export function intOrString(description?: string) {
  return UnionType([IntegerType(), StringType()], {
    ...describe(description),
    "x-go-type": "intstr.IntOrString",
    "x-go-decode": GoDecoder.IntOrString,
    "x-kubernetes-int-or-string": true,
  });
}

/**
 * Fields that exist only in some API versions. Typed as always present: the TypeScript types are
 * derived from the storage version's schemas, where the caller passes `true`.
 */
export function onlyIn<T extends TProperties>(present: boolean, properties: T): T {
  return (present ? properties : {}) as T;
}
