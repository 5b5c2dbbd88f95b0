import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { UnknownFields, decodeObject, type DecodeResult } from "./decode.js";
import { schemaFor } from "./schema/kinds.js";

function decode(obj: Record<string, unknown>, unknown: UnknownFields = UnknownFields.Reject): DecodeResult {
  const kind = schemaFor(obj["apiVersion"] as string, obj["kind"] as string);
  assert.ok(kind, "schema exists");
  return decodeObject(obj, kind, unknown);
}

function failure(obj: Record<string, unknown>): { message: string; path: string } {
  const r = decode(obj);
  if (r.ok) return assert.fail("expected a decoding failure");
  return r.failure;
}

const taskRun = (taskSpec: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: "tekton.dev/v1",
  kind: "TaskRun",
  metadata: { name: "r" },
  spec: { taskSpec, ...spec },
});

const task = (spec: Record<string, unknown>, apiVersion = "tekton.dev/v1") => ({
  apiVersion,
  kind: "Task",
  metadata: { name: "t" },
  spec,
});

void describe("decodeObject", () => {
  void it("words a wrongly typed field as Go does: innermost struct, dotted path, Go type", () => {
    assert.deepEqual(failure(taskRun({ steps: [{ name: "s", image: 42 }] })), {
      message:
        "json: cannot unmarshal number into Go struct field Step.spec.taskSpec.steps.image of type string",
      path: "spec.taskSpec.steps[0].image",
    });
  });

  void it("refuses an unknown field with Go's text and records where it is", () => {
    assert.deepEqual(failure(taskRun({ steps: [{ name: "s", image: "alpine", scirpt: "echo" }] })), {
      message: 'json: unknown field "scirpt"',
      path: "spec.taskSpec.steps[0].scirpt",
    });
    assert.equal(failure(taskRun({ steps: [] }, { tiemout: "1h" })).message, 'json: unknown field "tiemout"');
  });

  void it("names Go's slice and map types", () => {
    assert.equal(
      failure(task({ steps: [{ name: "s", image: "a", env: { A: "b" } }] })).message,
      "json: cannot unmarshal object into Go struct field Step.spec.steps.env of type []v1.EnvVar",
    );
    assert.equal(
      failure(task({ steps: {} })).message,
      "json: cannot unmarshal object into Go struct field TaskSpec.spec.steps of type []v1.Step",
    );
    assert.equal(
      failure(task({ steps: {} }, "tekton.dev/v1beta1")).message,
      "json: cannot unmarshal object into Go struct field TaskSpec.spec.steps of type []v1beta1.Step",
    );
    assert.equal(
      failure(task({ params: [{ name: true }] })).message,
      "json: cannot unmarshal bool into Go struct field ParamSpec.spec.params.name of type string",
    );
  });

  void it("fails a non-string duration and a malformed one at once, as metav1.Duration does", () => {
    assert.deepEqual(failure(taskRun({ steps: [] }, { timeout: 5 })), {
      message: "json: cannot unmarshal number into Go struct field TaskRunSpec.spec.timeout of type string",
      path: "spec.timeout",
    });
    assert.deepEqual(failure(taskRun({ steps: [{ name: "s", image: "a", timeout: "soon" }] })), {
      message: 'time: invalid duration "soon"',
      path: "spec.taskSpec.steps[0].timeout",
    });
  });

  void it("reports the first saved error in key order, unless a self-decoding type fails later", () => {
    const saved = failure(taskRun({ steps: [{ name: "s", image: 1, args: "x" }] }));
    assert.equal(saved.path, "spec.taskSpec.steps[0].args");
    const fatal = failure(taskRun({ steps: [{ name: "s", args: "x", timeout: "soon" }] }));
    assert.equal(fatal.message, 'time: invalid duration "soon"');
  });

  void it("quotes the number that does not fit an int", () => {
    assert.equal(
      failure(taskRun({ steps: [] }, { retries: 1.5 })).message,
      "json: cannot unmarshal number 1.5 into Go struct field TaskRunSpec.spec.retries of type int",
    );
  });

  void it("keeps Tekton's leniency for param values: a bool or number becomes its JSON text", () => {
    const r = decode(
      taskRun(
        { steps: [], params: [{ name: "p", default: false }] },
        {
          params: [
            { name: "a", value: true },
            { name: "b", value: 1.5 },
            { name: "c", value: [1, "x"] },
            { name: "d", value: 9007199254740993n },
            { name: "e", value: { k: "v" } },
          ],
        },
      ),
    );
    assert.ok(r.ok);
    const spec = r.value["spec"] as { params: unknown[]; taskSpec: { params: unknown[] } };
    assert.deepEqual(spec.params, [
      { name: "a", value: "true" },
      { name: "b", value: "1.5" },
      { name: "c", value: '[1,"x"]' },
      { name: "d", value: "9007199254740993" },
      { name: "e", value: { k: "v" } },
    ]);
    assert.deepEqual(spec.taskSpec.params, [{ name: "p", default: "false" }]);
  });

  void it("checks quantities and int-or-string ports", () => {
    const limits = (v: unknown) =>
      task({ steps: [{ name: "s", image: "a", computeResources: { limits: { memory: v } } }] });
    assert.ok(decode(limits("1Gi")).ok);
    assert.ok(decode(limits(2)).ok);
    assert.equal(
      failure(limits("lots")).message,
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    assert.equal(failure(limits("1iG")).message, "unable to parse quantity's suffix");
    const probe = (port: unknown) =>
      task({ steps: [], sidecars: [{ name: "s", readinessProbe: { tcpSocket: { port } } }] });
    assert.ok(decode(probe(8080)).ok);
    assert.ok(decode(probe("http")).ok);
    assert.equal(
      failure(probe(true)).message,
      "json: cannot unmarshal bool into Go struct field TCPSocketAction.spec.sidecars.readinessProbe.tcpSocket.port of type int32",
    );
  });

  void it("leaves out nulls, matches field names case-insensitively and gives a null item its zero value", () => {
    const r = decode(
      task({ description: null, Steps: [{ Name: "s", image: "a", args: ["x", null] }, null] }),
    );
    assert.ok(r.ok);
    assert.deepEqual(r.value["spec"], { steps: [{ name: "s", image: "a", args: ["x", ""] }, {}] });
  });

  void it("drops unknown metadata fields (the API server's part) and type-checks labels", () => {
    const r = decode({ ...task({ steps: [] }), metadata: { name: "t", colour: "red" } });
    assert.ok(r.ok);
    assert.deepEqual(r.droppedFields, ["metadata.colour"]);
    assert.deepEqual(r.value["metadata"], { name: "t" });
    assert.equal(
      failure({ ...task({ steps: [] }), metadata: { name: "t", labels: { a: 1 } } }).message,
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
    );
  });

  void it("drops unknown fields everywhere when asked, as the API server does for core kinds", () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "b" }, dta: {} };
    const r = decode(cm, UnknownFields.Drop);
    assert.ok(r.ok);
    assert.deepEqual(r.droppedFields, ["dta"]);
    assert.equal(
      failure({ ...cm, dta: undefined, data: { a: 1 } }).message,
      "json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
    );
  });

  void it("accepts any JSON in a custom task's embedded spec", () => {
    const run = {
      apiVersion: "tekton.dev/v1beta1",
      kind: "CustomRun",
      metadata: { name: "c" },
      spec: { customSpec: { apiVersion: "x.dev/v1", kind: "Wait", spec: { anything: [1, { deep: true }] } } },
    };
    assert.ok(decode(run).ok);
  });
});
