import { test } from "node:test";
import assert from "node:assert/strict";
import type { TaskSpec } from "../../api/types.js";
import { resolveParams } from "./params.js";
import { substituteCredentialsPath, substituteTaskSpec, type SubstitutionContext } from "./taskspec.js";

function ctx(over: Partial<SubstitutionContext> = {}): SubstitutionContext {
  return {
    params: new Map(),
    taskRun: { name: "run-1", namespace: "ns", uid: "uid-1" },
    taskName: "my-task",
    retryCount: 0,
    ...over,
  };
}

function step0(spec: TaskSpec) {
  const s = spec.steps?.[0];
  assert.ok(s);
  return s;
}

void test("expands in phase 2 a context variable that a param value brought in phase 1", () => {
  const spec: TaskSpec = { steps: [{ image: "i", script: "echo $(params.p)" }] };
  const out = substituteTaskSpec(spec, ctx({ params: new Map([["p", "$(context.taskRun.name)"]]) }));
  assert.equal(step0(out).script, "echo run-1");
});

void test("does not re-expand a param reference inside a param value", () => {
  const spec: TaskSpec = { steps: [{ image: "i", args: ["$(params.p)"] }] };
  const out = substituteTaskSpec(
    spec,
    ctx({
      params: new Map([
        ["p", "$(params.other)"],
        ["other", "no"],
      ]),
    }),
  );
  assert.deepEqual(step0(out).args, ["$(params.other)"]);
});

void test("leaves unknown variables literally", () => {
  const spec: TaskSpec = {
    steps: [{ image: "i", script: "$(foo) $(params.nope) $(workspaces.x.path) $(credentials.path)" }],
  };
  assert.equal(
    step0(substituteTaskSpec(spec, ctx())).script,
    "$(foo) $(params.nope) $(workspaces.x.path) $(credentials.path)",
  );
});

void test("substitutes every param spelling, array indexes and object keys", () => {
  const params = new Map<string, string | string[] | Record<string, string>>([
    ["s", "S"],
    ["arr", ["a0", "a1"]],
    ["o", { url: "U" }],
  ]);
  const script = [
    "$(params.s)",
    '$(params["s"])',
    "$(params['s'])",
    "$(inputs.params.s)",
    "$(params.arr[1])",
    '$(params["arr"][0])',
    "$(params.o.url)",
  ].join(" ");
  const out = substituteTaskSpec({ steps: [{ image: "i", script }] }, ctx({ params }));
  assert.equal(step0(out).script, "S S S S a1 a0 U");
});

void test("splices a whole array into args and command only when the element is isolated", () => {
  const params = new Map([["arr", ["x", "y"]]]);
  const spec: TaskSpec = {
    steps: [
      {
        image: "i",
        command: ["$(params.arr)"],
        args: ["a", "$(params.arr[*])", '$(params["arr"][*])', "pre-$(params.arr[*])", "$(params.arr[0])"],
      },
    ],
  };
  const s = step0(substituteTaskSpec(spec, ctx({ params })));
  assert.deepEqual(s.command, ["x", "y"]);
  assert.deepEqual(s.args, ["a", "x", "y", "x", "y", "pre-$(params.arr[*])", "x"]);
});

void test("splices arrays into when values only for the [*] form and renders an array input as JSON", () => {
  const params = new Map([["arr", ["x", "y"]]]);
  const spec: TaskSpec = {
    steps: [
      {
        image: "i",
        when: [
          { input: "$(params.arr[*])", operator: "in", values: ["$(params.arr[*])", "$(params.arr)", "z"] },
        ],
      },
    ],
  };
  const w = step0(substituteTaskSpec(spec, ctx({ params }))).when?.[0];
  assert.deepEqual(w, { input: '["x","y"]', operator: "in", values: ["x", "y", "$(params.arr)", "z"] });
});

void test("substitutes only the listed container fields", () => {
  const params = new Map([["p", "V"]]);
  const spec: TaskSpec = {
    steps: [
      {
        name: "n-$(params.p)",
        image: "img:$(params.p)",
        workingDir: "/w/$(params.p)",
        env: [{ name: "E_$(params.p)", value: "$(params.p)" }],
        securityContext: { runAsUser: 1, procMount: "$(params.p)" },
        timeout: "$(params.p)",
        onError: "$(params.p)",
        stdoutConfig: { path: "/o/$(params.p)" },
        volumeMounts: [{ name: "v-$(params.p)", mountPath: "/m/$(params.p)" }],
      },
    ],
    sidecars: [
      {
        name: "sc",
        image: "$(params.p)",
        script: "$(params.p)",
        readinessProbe: { exec: { command: ["$(params.p)"] } },
      },
    ],
    volumes: [
      {
        name: "vol-$(params.p)",
        configMap: { name: "cm-$(params.p)", items: [{ key: "$(params.p)", path: "p" }] },
      },
    ],
    workspaces: [{ name: "w", mountPath: "/ws/$(params.p)" }],
    stepTemplate: { image: "t-$(params.p)", env: [{ name: "X", value: "$(params.p)" }] },
  };
  const out = substituteTaskSpec(spec, ctx({ params }));
  assert.deepEqual(step0(out), {
    name: "n-V",
    image: "img:V",
    workingDir: "/w/V",
    env: [{ name: "E_$(params.p)", value: "V" }],
    securityContext: { runAsUser: 1, procMount: "$(params.p)" },
    timeout: "$(params.p)",
    onError: "V",
    stdoutConfig: { path: "/o/V" },
    volumeMounts: [{ name: "v-V", mountPath: "/m/V" }],
  });
  assert.deepEqual(out.sidecars?.[0], {
    name: "sc",
    image: "V",
    script: "V",
    readinessProbe: { exec: { command: ["$(params.p)"] } },
  });
  assert.deepEqual(out.volumes?.[0], {
    name: "vol-V",
    configMap: { name: "cm-V", items: [{ key: "V", path: "p" }] },
  });
  assert.equal(out.workspaces?.[0]?.mountPath, "/ws/V");
  assert.deepEqual(out.stepTemplate, { image: "t-V", env: [{ name: "X", value: "V" }] });
});

void test("substitutes context variables including retry-count and the task name", () => {
  const script =
    "$(context.taskRun.name) $(context.taskRun.namespace) $(context.taskRun.uid) $(context.task.name) $(context.task.retry-count)";
  const out = substituteTaskSpec({ steps: [{ image: "i", script }] }, ctx({ retryCount: 2 }));
  assert.equal(step0(out).script, "run-1 ns uid-1 my-task 2");
});

void test("substitutes task result, step result, artifact and exitCode paths with unnamed steps counted by index", () => {
  const spec: TaskSpec = {
    results: [{ name: "r1" }],
    steps: [
      {
        name: "first",
        image: "i",
        results: [{ name: "sr" }],
        script: "$(step.results.sr.path) $(step.results['sr'].path) $(results.r1.path)",
      },
      {
        image: "i",
        results: [{ name: "sr" }],
        script:
          '$(step.results["sr"].path) $(steps.step-first.exitCode.path) $(steps.step-unnamed-1.exitCode.path)',
      },
      {
        name: "third",
        image: "i",
        script: "$(step.artifacts.path) $(artifacts.path) $(step.results.sr.path)",
      },
    ],
  };
  const out = substituteTaskSpec(spec, ctx());
  assert.equal(
    out.steps?.[0]?.script,
    "/tekton/steps/step-first/results/sr /tekton/steps/step-first/results/sr /tekton/results/r1",
  );
  assert.equal(
    out.steps?.[1]?.script,
    "/tekton/steps/step-unnamed-1/results/sr /tekton/steps/step-first/exitCode /tekton/steps/step-unnamed-1/exitCode",
  );
  assert.equal(
    out.steps?.[2]?.script,
    "/tekton/steps/step-third/artifacts/provenance.json /tekton/artifacts/provenance.json $(step.results.sr.path)",
  );
});

void test("uses the given path roots instead of Tekton's", () => {
  const spec: TaskSpec = {
    results: [{ name: "r" }],
    steps: [
      {
        name: "s",
        image: "i",
        script: "$(results.r.path) $(steps.step-s.exitCode.path) $(workspaces.w.path)",
      },
    ],
    workspaces: [{ name: "w" }],
  };
  const out = substituteTaskSpec(
    spec,
    ctx({
      workspaces: [{ name: "w", emptyDir: {} }],
      paths: { results: "/h/results", steps: "/h/steps", workspace: "/h/ws" },
    }),
  );
  assert.equal(step0(out).script, "/h/results/r /h/steps/step-s/exitCode /h/ws/w");
  assert.equal(
    step0(substituteCredentialsPath(out, { creds: "/h/creds" })).script,
    "/h/results/r /h/steps/step-s/exitCode /h/ws/w",
  );
});

void test("keeps credentials.path literal until the separate phase 7", () => {
  const spec: TaskSpec = { steps: [{ image: "i", script: "$(credentials.path)" }] };
  const out = substituteTaskSpec(spec, ctx());
  assert.equal(step0(out).script, "$(credentials.path)");
  assert.equal(step0(substituteCredentialsPath(out)).script, "/tekton/creds");
});

void test("substitutes workspace path, bound, claim and volume, with per-step mountPath overrides", () => {
  const spec: TaskSpec = {
    workspaces: [
      { name: "custom" },
      { name: "other", mountPath: "/my/other" },
      { name: "opt", optional: true },
    ],
    steps: [
      {
        name: "a",
        image: "i",
        script:
          "$(workspaces.custom.path) $(workspaces.other.path) $(workspaces.opt.path)| $(workspaces.opt.bound) $(workspaces.custom.bound)",
      },
      {
        name: "b",
        image: "i",
        workspaces: [{ name: "custom", mountPath: "/override" }],
        script: "$(workspaces.custom.path)",
      },
      {
        name: "c",
        image: "i",
        script:
          "$(workspaces.custom.claim) [$(workspaces.other.claim)] $(workspaces.custom.volume) $(workspaces.other.volume) $(workspaces.opt.volume)",
      },
    ],
    sidecars: [
      {
        name: "sc",
        image: "i",
        workspaces: [{ name: "other", mountPath: "/sc" }],
        script: "$(workspaces.other.path)",
      },
    ],
  };
  const out = substituteTaskSpec(
    spec,
    ctx({
      workspaces: [
        { name: "custom", persistentVolumeClaim: { claimName: "mypvc" } },
        { name: "other", emptyDir: {} },
      ],
    }),
  );
  assert.equal(out.steps?.[0]?.script, "/workspace/custom /my/other | false true");
  assert.equal(out.steps?.[1]?.script, "/override");
  assert.equal(out.steps?.[2]?.script, "mypvc [] ws-20573 ws-c87d8 $(workspaces.opt.volume)");
  assert.equal(out.sidecars?.[0]?.script, "/sc");
});

void test("shares one volume between two bindings of the same claim and appends propagated declarations", () => {
  const spec: TaskSpec = {
    steps: [
      {
        image: "i",
        script: "$(workspaces.custom.volume) $(workspaces.custom2.volume) $(workspaces.custom2.path)",
      },
    ],
  };
  const out = substituteTaskSpec(
    spec,
    ctx({
      workspaces: [
        { name: "custom", persistentVolumeClaim: { claimName: "mypvc" } },
        { name: "custom2", persistentVolumeClaim: { claimName: "mypvc" } },
      ],
    }),
  );
  assert.equal(step0(out).script, "ws-20573 ws-20573 /workspace/custom2");
  assert.deepEqual(out.workspaces, [{ name: "custom" }, { name: "custom2" }]);
});

void test("names the claim of a volumeClaimTemplate binding from the TaskRun uid", () => {
  const spec: TaskSpec = {
    workspaces: [{ name: "w" }],
    steps: [{ image: "i", script: "$(workspaces.w.claim)" }],
  };
  const out = substituteTaskSpec(
    spec,
    ctx({ workspaces: [{ name: "w", volumeClaimTemplate: { spec: {} } }] }),
  );
  assert.match(step0(out).script ?? "", /^pvc-[0-9a-f]{10}$/);
});

void test("works with resolved params for a param_array_indexing-style spec", () => {
  const specParams = [{ name: "array-to-echo", type: "array" as const, default: ["foo", "bar"] }];
  const params = resolveParams(specParams, [{ name: "array-to-echo", value: ["foo", "bar", "baz"] }], {
    propagate: true,
  });
  const spec: TaskSpec = {
    params: specParams,
    steps: [
      { image: "i", args: ["$(params.array-to-echo[2])"], script: "echo $(params['array-to-echo'][1])" },
    ],
  };
  const s = step0(substituteTaskSpec(spec, ctx({ params })));
  assert.deepEqual(s.args, ["baz"]);
  assert.equal(s.script, "echo bar");
});

void test("splices an array param given by the TaskRun over its default (5080-entrypoint-init-regression.yaml)", () => {
  const specParams = [{ name: "ARGS", type: "array" as const, default: ["--help"] }];
  const params = resolveParams(specParams, [{ name: "ARGS", value: ["init", "foo", "bar"] }], {
    propagate: true,
  });
  const spec: TaskSpec = {
    params: specParams,
    steps: [{ name: "echo-cli", image: "i", command: ["echo"], args: ["$(params.ARGS)"] }],
  };
  assert.deepEqual(step0(substituteTaskSpec(spec, ctx({ params }))).args, ["init", "foo", "bar"]);
});

void test("reads object keys merged from default and TaskRun value (object-param-result.yaml)", () => {
  const specParams = [
    {
      name: "gitrepo",
      type: "object" as const,
      properties: { url: {}, commit: {} },
      default: { url: "github.example.com" },
    },
  ];
  const params = resolveParams(specParams, [{ name: "gitrepo", value: { commit: "sha123" } }], {
    propagate: true,
  });
  const spec: TaskSpec = {
    params: specParams,
    results: [{ name: "object-results", type: "object" }],
    steps: [
      { name: "v", image: "i", args: ["$(params.gitrepo.url)", "$(params.gitrepo.commit)"] },
      { name: "w", image: "i", script: "echo > $(results.object-results.path)" },
    ],
  };
  const out = substituteTaskSpec(spec, ctx({ params }));
  assert.deepEqual(out.steps?.[0]?.args, ["github.example.com", "sha123"]);
  assert.equal(out.steps?.[1]?.script, "echo > /tekton/results/object-results");
});

void test("substitutes propagated string and object params of an inline spec (propagating_params_implicit.yaml)", () => {
  const params = resolveParams(
    undefined,
    [
      { name: "message", value: "hello world!" },
      { name: "gitrepo", value: { url: "xyz.com", commit: "sha123" } },
    ],
    { propagate: true },
  );
  const spec: TaskSpec = {
    steps: [
      {
        name: "default",
        image: "i",
        script: "echo $(params.message)",
        args: ["--url=$(params.gitrepo.url)"],
      },
    ],
  };
  const s = step0(substituteTaskSpec(spec, ctx({ params })));
  assert.equal(s.script, "echo hello world!");
  assert.deepEqual(s.args, ["--url=xyz.com"]);
});
