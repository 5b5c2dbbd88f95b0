import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import { parseFile } from "../parse-documents.js";
import { kindSchemas, schemaFor } from "./kinds.js";
import { toOpenApi } from "./openapi.js";
import { tektonExamples } from "../../../test/helpers/examples.js";

const EXAMPLES = tektonExamples();

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : /\.ya?ml$/.test(n) ? [p] : [];
    });
}

const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map(
  kindSchemas().map((k) => [`${k.apiVersion}/${k.kind}`, ajv.compile(toOpenApi(k.schema))] as const),
);

void describe("OpenAPI schemas", () => {
  void it("are valid JSON Schema that every Tekton example satisfies", () => {
    let checked = 0;
    for (const file of files(EXAMPLES)) {
      for (const doc of parseFile(readFileSync(file, "utf8"), file).documents) {
        const validate = validators.get(`${doc.object.apiVersion}/${doc.object.kind}`);
        if (validate === undefined) continue;
        const json: unknown = JSON.parse(
          JSON.stringify(doc.object, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)),
        );
        assert.ok(validate(json), `${file} ${doc.object.kind}: ${ajv.errorsText(validate.errors)}`);
        checked++;
      }
    }
    assert.ok(checked > 200, `${checked} objects checked`);
  });

  void it("tell a client-side validator the types of leaf fields", () => {
    const validate = validators.get("tekton.dev/v1/TaskRun");
    assert.ok(validate);
    const bad = {
      apiVersion: "tekton.dev/v1",
      kind: "TaskRun",
      metadata: { name: "x" },
      spec: { taskSpec: { steps: [{ image: 42 }] } },
    };
    assert.equal(validate(bad), false);
    assert.equal(validate.errors?.[0]?.instancePath, "/spec/taskSpec/steps/0/image");
  });

  void it("carry no decoder bookkeeping and describe every field", () => {
    const doc = toOpenApi(schemaFor("tekton.dev/v1", "TaskRun")!.schema);
    const text = JSON.stringify(doc);
    assert.doesNotMatch(text, /x-go-|"required"|"\$id"/);
    const undescribed: string[] = [];
    const walk = (node: Record<string, unknown>, path: string): void => {
      for (const [k, v] of Object.entries(
        (node["properties"] ?? {}) as Record<string, Record<string, unknown>>,
      )) {
        if (typeof v["description"] !== "string" && path.split(".").length < 4)
          undescribed.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
        if (v["items"]) walk(v["items"] as Record<string, unknown>, `${path}.${k}`);
      }
    };
    walk(doc, "taskrun");
    assert.deepEqual(undescribed, []);
  });
});
