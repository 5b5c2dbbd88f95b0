import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { alphaFeatureFlags, defaultConfigDefaults, defaultFeatureFlags } from "../../config/features.js";
import type { FeatureFlags } from "../../config/features.js";
import { applyDefaults } from "../defaults.js";
import type { KubeObject } from "../types.js";
import { validateResource } from "./index.js";

const stable: FeatureFlags = { ...defaultFeatureFlags(), enableApiFields: "stable" };
const beta = defaultFeatureFlags();
const alpha = alphaFeatureFlags();

const run = (taskSpec: Record<string, unknown>, params?: unknown[]): KubeObject => ({
  apiVersion: "tekton.dev/v1",
  kind: "TaskRun",
  metadata: { name: "tr" },
  spec: params === undefined ? { taskSpec } : { taskSpec, params },
});

const task = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "tekton.dev/v1",
  kind: "Task",
  metadata: { name: "t" },
  spec,
});

const step = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  image: "busybox",
  ...extra,
});

function check(obj: KubeObject, features: FeatureFlags = beta): string {
  return (
    validateResource(
      applyDefaults(obj, defaultConfigDefaults()),
      features,
      defaultConfigDefaults(),
    )?.error() ?? ""
  );
}

type Case = [string, KubeObject, string, FeatureFlags?];

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const [name, obj, want, features] of cases)
      it(name, () => assert.equal(check(obj, features ?? beta), want));
  });
}

const P = "spec.taskSpec";

table("TaskSpec structure", [
  ["requires steps", run({}), `missing field(s): ${P}.steps`],
  [
    "rejects duplicate volume names",
    run({
      steps: [step()],
      volumes: [
        { name: "v", emptyDir: {} },
        { name: "v", emptyDir: {} },
      ],
    }),
    `multiple volumes with same name "v": ${P}.volumes[1].name`,
  ],
  [
    "rejects duplicate workspace declarations and mount paths",
    run({ steps: [step()], workspaces: [{ name: "w" }, { name: "w" }] }),
    `workspace mount path "/workspace/w" must be unique: ${P}.workspaces[1].mountpath\nworkspace name "w" must be unique: ${P}.workspaces[1].name`,
  ],
  [
    "rejects a workspace mount path used by a step volumeMount",
    run({
      steps: [step({ volumeMounts: [{ name: "v", mountPath: "/data/" }] })],
      workspaces: [{ name: "w", mountPath: "/data" }],
    }),
    `workspace mount path "/data" must be unique: ${P}.workspaces[0].mountpath`,
  ],
  [
    "gates step workspaces behind beta",
    run({ steps: [step({ workspaces: [{ name: "w" }] })], workspaces: [{ name: "w" }] }),
    'step workspaces requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": ',
    stable,
  ],
  [
    "rejects undeclared step and sidecar workspaces",
    run({
      steps: [step({ workspaces: [{ name: "x" }] })],
      sidecars: [{ image: "i", workspaces: [{ name: "y" }] }],
    }),
    `undefined workspace "x": ${P}.steps[0].workspaces[0].name\nundefined workspace "y": ${P}.sidecars[0].workspaces[0].name`,
  ],
  [
    "rejects duplicate step names",
    run({ steps: [step({ name: "a" }), step({ name: "a" })] }),
    `expected exactly one, got both: ${P}.steps[1].name`,
  ],
]);

table("Step rules", [
  [
    "requires an image (capital I)",
    run({ steps: [{ script: "x" }] }),
    `missing field(s): ${P}.steps[0].Image`,
  ],
  [
    "takes the image from the stepTemplate",
    run({ stepTemplate: { image: "busybox" }, steps: [{ script: "x" }] }),
    "",
  ],
  [
    "rejects script with command",
    run({ steps: [step({ script: "x", command: ["sh"] })] }),
    `script cannot be used with command: ${P}.steps[0].script`,
  ],
  [
    "rejects fields combined with ref",
    run({
      steps: [
        {
          ref: { name: "sa" },
          image: "i",
          command: ["c"],
          args: ["a"],
          script: "s",
          workingDir: "/w",
          env: [],
          volumeMounts: [{ name: "v", mountPath: "/v" }],
          results: [{ name: "r" }],
        },
      ],
    }),
    [
      `args cannot be used with Ref: ${P}.steps[0].args`,
      `command cannot be used with Ref: ${P}.steps[0].command`,
      `env cannot be used with Ref: ${P}.steps[0].env`,
      `image cannot be used with Ref: ${P}.steps[0].image`,
      `results cannot be used with Ref: ${P}.steps[0].results`,
      `script cannot be used with Ref: ${P}.steps[0].script`,
      `volumeMounts cannot be used with Ref: ${P}.steps[0].volumeMounts`,
      `working dir cannot be used with Ref: ${P}.steps[0].workingDir`,
    ].join("\n"),
  ],
  [
    "rejects params without ref",
    run({ steps: [step({ params: [{ name: "a", value: "b" }] })] }),
    `params cannot be used without Ref: ${P}.steps[0].params`,
  ],
  ["requires a step ref name", run({ steps: [{ ref: {} }] }), `missing field(s): ${P}.steps[0].name`],
  [
    "rejects a step name that is not a DNS label",
    run({ steps: [step({ name: "Bad_Name" })] }),
    `invalid value "Bad_Name": ${P}.steps[0].name\nTask step name must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names`,
  ],
  [
    "returns only the negative-timeout error for that step",
    run({ steps: [{ name: "Bad", timeout: "-1s" }] }),
    `invalid value: -1s: ${P}.steps[0].negative timeout`,
  ],
  [
    "reports a malformed step timeout alone",
    run({ steps: [step({ timeout: "soon" })] }),
    `time: invalid duration "soon": ${P}.steps[0].timeout`,
  ],
  [
    "rejects volumeMounts under /tekton/ and reserved names",
    run({
      steps: [
        step({
          volumeMounts: [
            { name: "tekton-internal-x", mountPath: "/tekton/run" },
            { name: "h", mountPath: "/tekton/home" },
          ],
        }),
      ],
    }),
    `volumeMount cannot be mounted under /tekton/ (volumeMount "tekton-internal-x" mounted at "/tekton/run"): ${P}.steps[0].volumeMounts[0].mountPath\nvolumeMount name "tekton-internal-x" cannot start with "tekton-internal-": ${P}.steps[0].volumeMounts[0].name`,
  ],
  [
    "rejects an unknown onError",
    run({ steps: [step({ onError: "ignore" })] }),
    `invalid value: "ignore": ${P}.steps[0].onError\nTask step onError must be either "continue" or "stopAndFail"`,
  ],
  [
    "accepts onError from a param",
    run({ params: [{ name: "e" }], steps: [step({ onError: "$(params.e)" })] }),
    "",
  ],
  [
    "gates windows scripts behind alpha",
    run({ steps: [step({ script: "  #!win pwsh" })] }),
    'windows script support requires "enable-api-fields" feature gate to be "alpha" but it is "beta": ',
  ],
  [
    "gates stdout/stderr streams behind alpha",
    run({ steps: [step({ stdoutConfig: { path: "/o" }, stderrConfig: { path: "/e" } })] }),
    'step stderr stream support requires "enable-api-fields" feature gate to be "alpha" but it is "beta": \nstep stdout stream support requires "enable-api-fields" feature gate to be "alpha" but it is "beta": ',
  ],
  [
    "allows step results only in env, command and args",
    run({
      steps: [
        step({
          name: "a",
          args: ["$(steps.x.results.r)"],
          workingDir: "$(steps.x.results.r)",
          script: "echo $(steps.x.results.r)",
        }),
      ],
    }),
    `stepResult substitutions are only allowed in env, command and args. Found usage in: ${P}.steps[0].script, ${P}.steps[0].workingDir`,
  ],
  [
    "allows step artifacts in script but not in workingDir",
    run({ steps: [step({ script: "$(steps.x.outputs.a)", workingDir: "$(steps.x.outputs.a)" })] }),
    `stepArtifact substitutions are only allowed in env, command, args and script. Found usage in: ${P}.steps[0].workingDir`,
    alpha,
  ],
  [
    "requires enable-artifacts for artifact references",
    run({ steps: [step({ script: "cat $(step.artifacts.path)", name: "Bad" })] }),
    `feature flag enable-artifacts should be set to true to use artifacts feature.: ${P}.steps[0]`,
  ],
  [
    "rejects when expressions with a bad operator or no values",
    run({
      steps: [
        step({
          when: [
            { input: "a", operator: "is", values: ["b"] },
            { input: "a", operator: "in" },
          ],
        }),
      ],
    }),
    `invalid value: expecting non-empty values field: ${P}.steps[0].when[1]\ninvalid value: operator "is" is not recognized. valid operators: in,notin: ${P}.steps[0].when[0]`,
  ],
  [
    "requires the CEL flag for cel when expressions",
    run({ steps: [step({ when: [{ cel: "1 == 1" }] })] }),
    `feature flag enable-cel-in-whenexpression should be set to true to use CEL: 1 == 1 in WhenExpression: ${P}.steps[0].when[0]`,
  ],
  [
    "validates step results",
    run({
      steps: [
        step({
          script: "echo > $(step.results.nope.path)",
          results: [{ name: "-bad" }, { name: "o", type: "object" }, { name: "t", type: "int" }],
        }),
      ],
    }),
    [
      `invalid key name "-bad": ${P}.steps.results[0][0].name`,
      "Name must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$')",
      `invalid value: int: ${P}.steps.results[0][2].type`,
      "invalid type int",
      `missing field(s): ${P}.steps.results[0][1].o.properties`,
      `non-existent variable in "echo > $(step.results.nope.path)": ${P}.steps[0].script`,
    ].join("\n"),
  ],
]);

table("Sidecar rules (paths without index)", [
  [
    "rejects the reserved name, a missing image and script with command",
    run({ steps: [step()], sidecars: [{ name: "tekton-log-results", script: "x", command: ["sh"] }] }),
    `Invalid: cannot use reserved sidecar name tekton-log-results : ${P}.sidecars.name\nmissing field(s): ${P}.sidecars.image\nscript cannot be used with command: ${P}.sidecars.script`,
  ],
]);

table("Param declarations", [
  [
    "rejects an unknown type",
    run({ params: [{ name: "p", type: "int" }], steps: [step()] }),
    `invalid value: int: spec.p.type, ${P}.params.p.type`,
  ],
  [
    "rejects a default of another type",
    run({ params: [{ name: "p", type: "array", default: "x" }], steps: [step()] }),
    `"array" type does not match default value's type: "string": spec.p.default.type, spec.p.type, ${P}.params.p.default.type, ${P}.params.p.type`,
  ],
  [
    "rejects non-string object properties",
    run({ params: [{ name: "o", properties: { a: { type: "array" } } }], steps: [step()] }),
    `The value type specified for these keys [a] is invalid: spec.o.properties, ${P}.params.o.properties`,
  ],
  [
    "rejects duplicate declarations (case-sensitive)",
    run({ params: [{ name: "p" }, { name: "p" }, { name: "P" }], steps: [step()] }),
    `parameter appears more than once: ${P}.params[p]`,
  ],
  [
    "rejects bad string/array names",
    run({ params: [{ name: "1p" }], steps: [step()] }),
    `The format of following array and string variable names is invalid: [1p]: spec.params, ${P}.params\nString/Array Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_), and dots (.)\nMust begin with a letter or an underscore (_)`,
  ],
  [
    "rejects bad object names and keys",
    run({ params: [{ name: "o.x", properties: { "k.y": {}, ok: {} } }], steps: [step()] }),
    `Object param name and key name format is invalid: map[o.x:[k.y]]: spec.params, ${P}.params\nObject Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_) \nMust begin with a letter or an underscore (_)`,
  ],
  [
    "requires the enum flag",
    run({ params: [{ name: "e", enum: ["a"] }], steps: [step()] }),
    `feature flag \`enable-param-enum\` should be set to true to use Enum: spec.params[e], ${P}.params[e]`,
  ],
  [
    "checks enum type, duplicates and default",
    run({
      params: [
        { name: "e", type: "string", enum: ["a", "a"], default: "b" },
        { name: "f", type: "array", enum: ["x"] },
      ],
      steps: [step()],
    }),
    `enum can only be set with string type param: spec.params[f], ${P}.params[f]\nparam default value b not in the enum list: spec.params[e], ${P}.params[e]\nparameter enum value a appears more than once: spec.params[e], ${P}.params[e]`,
    alpha,
  ],
  [
    "requires properties on an inline object param provided by the TaskRun",
    run({ params: [{ name: "o", type: "object" }], steps: [step()] }, [{ name: "o", value: { a: "b" } }]),
    "missing field(s): spec.o.properties",
  ],
]);

table("Param and variable usage (inline specs: paths without taskSpec)", [
  [
    "rejects an undeclared param",
    run({ steps: [step({ script: "echo $(params.nope)" })] }),
    'non-existent variable in "echo $(params.nope)": spec.steps[0].script',
  ],
  [
    "accepts a propagated TaskRun param",
    run({ steps: [step({ script: "echo $(params.p)" })] }, [{ name: "p", value: "v" }]),
    "",
  ],
  [
    "rejects a whole array in a string field",
    run({
      params: [{ name: "a", type: "array" }],
      steps: [step({ image: "$(params.a)", args: ["$(params.a[0])"] })],
    }),
    `variable type invalid in "$(params.a)": spec.steps[0].image, ${P}.steps[0].image`,
  ],
  [
    "rejects an array reference that is not isolated",
    run({
      params: [{ name: "a", type: "array" }],
      steps: [step({ args: ["x $(params.a[*])", "$(params.a[*])"] })],
    }),
    `variable is not properly isolated in "x $(params.a[*])": spec.steps[0].args[0], ${P}.steps[0].args[0]`,
  ],
  [
    "prefixes the accumulated array errors with every later step index (Tekton quirk)",
    run({ params: [{ name: "a", type: "array" }], steps: [step({ image: "$(params.a)" }), step()] }),
    `variable type invalid in "$(params.a)": spec.steps[1].steps[0].image, ${P}.steps[1].steps[0].image`,
  ],
  [
    "rejects a whole object and unknown keys",
    run({
      params: [{ name: "o", properties: { k: {} } }],
      steps: [step({ script: "$(params.o.nokey)", image: "$(params.o)", workingDir: "$(params.o.k)" })],
    }),
    `non-existent variable in "$(params.o.nokey)": spec.steps[0].script\nvariable type invalid in "$(params.o)": spec.steps[0].image`,
  ],
  [
    "rejects more than two dot components",
    run({ steps: [step({ script: "$(params.a.b.c)" })] }, [{ name: "a", value: "x" }]),
    'Invalid referencing of parameters in "$(params.a.b.c)"! Only two dot-separated components after the prefix "params" are allowed.: spec.steps[0].script, spec.taskSpec.steps[0].script',
  ],
  [
    "rejects unknown context keys",
    run({
      steps: [
        step({
          args: ["$(context.taskRun.name)", "$(context.taskRun.pod)"],
          env: [{ name: "E", value: "$(context.task.nope)" }],
        }),
      ],
    }),
    `non-existent variable in "$(context.task.nope)": ${P}.steps[0].env[E]\nnon-existent variable in "$(context.taskRun.pod)": ${P}.steps[0].args[1]`,
  ],
  [
    "rejects undeclared results in scripts only",
    run({
      results: [{ name: "r" }],
      steps: [step({ script: "echo > $(results.r.path) $(results.x.path)", args: ["$(results.y.path)"] })],
    }),
    `non-existent variable in "echo > $(results.r.path) $(results.x.path)": ${P}.steps[0].script`,
  ],
  [
    "leaves unknown workspaces literal",
    run({ steps: [step({ script: "$(workspaces.nope.path) $(foo)" })] }),
    "",
  ],
]);

table("Task resource", [
  ["accepts a valid Task", task({ params: [{ name: "p" }], steps: [step({ args: ["$(params.p)"] })] }), ""],
  [
    "rejects undeclared params with spec.steps paths",
    task({ steps: [step({ args: ["$(params.nope)"] })] }),
    'non-existent variable in "$(params.nope)": spec.steps[0].args[0]',
  ],
  ["requires steps", task({}), "missing field(s): spec.steps"],
  [
    "rejects an object param without properties",
    task({ params: [{ name: "o", type: "object" }], steps: [step()] }),
    "missing field(s): spec.o.properties",
  ],
]);

table("Task results", [
  [
    "rejects a bad type, object without properties and bad keys",
    task({
      steps: [step()],
      results: [
        { name: "a", type: "int" },
        { name: "o", type: "object" },
        { name: "p", properties: { k: { type: "array" } } },
      ],
    }),
    "The value type specified for these keys [k] is invalid, the type must be string: spec.results[2].p.properties\ninvalid value: int: spec.results[0].type\ntype must be string\nmissing field(s): spec.results[1].o.properties",
  ],
  [
    "checks result values from step results",
    task({
      steps: [step({ name: "s" })],
      results: [
        { name: "a", value: ["x"] },
        { name: "b", value: "nope" },
        { name: "c", value: "$(steps.Bad_.results.-r)" },
        { name: "d", value: "$(steps.s.results.r)" },
      ],
    }),
    [
      'Could not extract step name and result name. Expected value to look like $(steps.<stepName>.results.<resultName>) but got "nope": spec.results[1].b.value',
      'Invalid Type. Wanted string but got: "array": spec.results[0].a.type',
      'invalid extracted result name "-r": spec.results[2].c.value',
      "resultName in $(steps.<stepName>.results.<resultName>) must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$')",
      'invalid extracted step name "Bad_": spec.results[2].c.value',
      "stepName in $(steps.<stepName>.results.<resultName>) must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names",
    ].join("\n"),
  ],
]);
