import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadConfigFile, parseConfig } from "./config-file.js";
import { configDefaultsFromMap, featureFlagsFromMap, withFeatureGate } from "./config-maps.js";
import { defaultConfigDefaults, defaultFeatureFlags } from "./features.js";

void describe("featureFlagsFromMap", () => {
  void it("starts from Tekton's defaults and reads the ConfigMap keys", () => {
    const flags = featureFlagsFromMap({
      "enable-api-fields": "Alpha",
      "enable-param-enum": "true",
      "enable-artifacts": "1",
      "results-from": "sidecar-logs",
      "max-result-size": "8192",
      "disable-inline-spec": "taskrun, pipelinerun",
      "keep-pod-on-cancel": "F",
    });
    assert.deepEqual(flags, {
      ...defaultFeatureFlags(),
      enableApiFields: "alpha",
      enableParamEnum: true,
      enableArtifacts: true,
      resultsFrom: "sidecar-logs",
      maxResultSize: 8192,
      disableInlineSpec: ["taskrun", "pipelinerun"],
      keepPodOnCancel: false,
    });
  });

  void it("accepts Tekton keys tektite does not act on, keeping those provenance records", () => {
    assert.deepEqual(
      featureFlagsFromMap({ coschedule: "workspaces", "disable-creds-init": "true", _example: "x" }),
      { ...defaultFeatureFlags(), recorded: { coschedule: "workspaces", "disable-creds-init": "true" } },
    );
    assert.throws(() => featureFlagsFromMap({ "set-security-context": "yes" }), {
      message: 'failed parsing feature flags config "yes": strconv.ParseBool: parsing "yes": invalid syntax',
    });
  });

  void it("names an unknown key", () => {
    assert.throws(() => featureFlagsFromMap({ "enable-magic": "true" }), {
      name: "ConfigError",
      message: 'unknown feature flag "enable-magic"',
    });
  });

  void it("rejects values as Tekton does, with Tekton's messages", () => {
    assert.throws(() => featureFlagsFromMap({ "enable-api-fields": "gamma" }), {
      message: 'invalid value for feature flag "enable-api-fields": "gamma"',
    });
    assert.throws(() => featureFlagsFromMap({ "enable-param-enum": "yes" }), {
      message:
        'failed parsing feature flags config "yes": strconv.ParseBool: parsing "yes": invalid syntax for feature enable-param-enum',
    });
  });
});

void describe("configDefaultsFromMap", () => {
  void it("reads timeout, service account and forbidden env", () => {
    assert.deepEqual(
      configDefaultsFromMap({
        "default-timeout-minutes": "30",
        "default-service-account": "builder",
        "default-forbidden-env": "B, A,B",
        "default-resolver-type": "git",
        "default-maximum-resolution-timeout": "90s",
      }),
      {
        ...defaultConfigDefaults(),
        defaultTimeoutMinutes: 30,
        defaultServiceAccount: "builder",
        defaultForbiddenEnv: ["A", "B"],
        defaultResolverType: "git",
        defaultMaximumResolutionTimeoutMs: 90_000,
      },
    );
  });

  void it("rejects a non-integer timeout and unknown keys", () => {
    assert.throws(() => configDefaultsFromMap({ "default-timeout-minutes": "1h" }), {
      message: 'failed parsing default config "default-timeout-minutes"',
    });
    assert.throws(() => configDefaultsFromMap({ "default-timeout": "1" }), {
      message: 'unknown config-defaults key "default-timeout"',
    });
  });
});

void describe("loadConfigFile", () => {
  void it("reads featureFlags and defaults, accepting YAML scalars for ConfigMap strings", () => {
    const dir = mkdtempSync(join(tmpdir(), "tektite-config-"));
    const file = join(dir, "config.yaml");
    writeFileSync(
      file,
      "featureFlags:\n  enable-api-fields: stable\n  enable-param-enum: true\ndefaults:\n  default-timeout-minutes: 5\n  default-task-run-workspace-binding: |\n    emptyDir: {}\n",
    );
    const cfg = loadConfigFile(file);
    assert.equal(cfg.features.enableApiFields, "stable");
    assert.equal(cfg.features.enableParamEnum, true);
    assert.equal(cfg.defaults.defaultTimeoutMinutes, 5);
    assert.equal(cfg.defaults.defaultTaskRunWorkspaceBinding, "emptyDir: {}\n");
  });

  void it("overlays each resolver's ConfigMap keys on Tekton's shipped ones", () => {
    const cfg = parseConfig(
      "featureFlags:\n  enable-hub-resolver: false\nresolvers:\n  git-resolver-config:\n    default-revision: trunk\n",
      "c.yaml",
    );
    assert.equal(cfg.features.enableHubResolver, false);
    assert.equal(cfg.features.enableGitResolver, true);
    assert.equal(cfg.resolvers.configMaps["git-resolver-config"]["default-revision"], "trunk");
    assert.equal(cfg.resolvers.configMaps["git-resolver-config"]["fetch-timeout"], "1m");
    assert.equal(cfg.resolvers.configMaps["bundleresolver-config"]["default-kind"], "task");
  });

  void it("reads the retention policy: keep, or keepSince in minutes or as a duration, not both", () => {
    assert.deepEqual(parseConfig("retention:\n  keep: 100\n", "c.yaml").retention, { keep: 100 });
    assert.deepEqual(parseConfig("retention:\n  keepSince: 24h\n", "c.yaml").retention, {
      keepSinceMs: 86_400_000,
    });
    assert.deepEqual(parseConfig("retention:\n  keepSince: 30\n", "c.yaml").retention, {
      keepSinceMs: 1_800_000,
    });
    assert.deepEqual(parseConfig("{}", "c.yaml").retention, {});
    assert.throws(() => parseConfig("retention:\n  keep: 3\n  keepSince: 1h\n", "c.yaml"), {
      message: "c.yaml: expected exactly one, got both: retention.keep, retention.keepSince",
    });
    assert.throws(() => parseConfig("retention:\n  keep: -1\n", "c.yaml"), {
      message: "c.yaml: retention.keep must be a non-negative integer",
    });
    assert.throws(() => parseConfig("retention:\n  keepsince: 1h\n", "c.yaml"), {
      message: 'c.yaml: unknown key "retention.keepsince" (expected keep, keepSince)',
    });
  });

  void it("reads resolution's URL map and local-git switch", () => {
    const cfg = parseConfig(
      "resolution:\n  urlMap:\n    https://raw.githubusercontent.com/: http://127.0.0.1:9/raw/\n  allowLocalGit: false\n",
      "c.yaml",
    );
    assert.deepEqual(cfg.resolvers.urlMap, [
      { prefix: "https://raw.githubusercontent.com/", base: "http://127.0.0.1:9/raw/" },
    ]);
    assert.equal(cfg.resolvers.allowLocalGit, false);
    assert.equal(parseConfig("", "c.yaml").resolvers.allowLocalGit, undefined);
  });

  void it("reads plugin paths relative to the config file", () => {
    assert.deepEqual(parseConfig("plugins: [tasks/greeter.mjs]\n", "/etc/tektite/config.yaml").plugins, [
      "/etc/tektite/tasks/greeter.mjs",
    ]);
  });

  void it("names the file and the unknown key", () => {
    assert.throws(() => parseConfig("featureFlags: {}\nfeatures: {}\n", "c.yaml"), {
      message:
        'c.yaml: unknown key "features" (expected featureFlags, defaults, plugins, resolvers, resolution, retention, tektonVersion)',
    });
    assert.throws(() => parseConfig("resolution:\n  allowLocalGit: yes please\n", "c.yaml"), {
      message: "c.yaml: resolution.allowLocalGit must be true or false",
    });
    assert.throws(() => parseConfig("resolution:\n  urlmap: {}\n", "c.yaml"), {
      message: 'c.yaml: unknown key "resolution.urlmap" (expected urlMap, allowLocalGit)',
    });
    assert.throws(() => parseConfig("resolvers:\n  git-config: {}\n", "c.yaml"), {
      message:
        'c.yaml: unknown resolver ConfigMap "git-config" under resolvers (expected git-resolver-config, http-resolver-config, bundleresolver-config, hubresolver-config, cluster-resolver-config)',
    });
    assert.throws(() => parseConfig("plugins: my-task.js\n", "c.yaml"), {
      message: "c.yaml: plugins must be a list of module paths",
    });
    assert.throws(() => parseConfig("defaults:\n  default-sa: x\n", "c.yaml"), {
      message: 'c.yaml: unknown config-defaults key "default-sa"',
    });
    assert.throws(() => loadConfigFile("/nonexistent/c.yaml"), {
      message: "/nonexistent/c.yaml: no such file or directory",
    });
  });
});

void describe("tektonVersion", () => {
  void it("emulates current Tekton unless the file names an older release", () => {
    assert.equal(parseConfig("featureFlags: {}\n", "c.yaml").features.tektonVersion, "v1.15");
    assert.equal(parseConfig("tektonVersion: v1.11\n", "c.yaml").features.tektonVersion, "v1.11");
    assert.equal(parseConfig("tektonVersion: v1.11.1\n", "c.yaml").features.tektonVersion, "v1.11");
    assert.equal(parseConfig("tektonVersion: 1.15.0\n", "c.yaml").features.tektonVersion, "v1.15");
  });

  void it("refuses a release tektite does not emulate, naming the accepted ones", () => {
    assert.throws(() => parseConfig("tektonVersion: v0.50\n", "c.yaml"), {
      message: 'c.yaml: tektonVersion: unknown Tekton version "v0.50": expected one of v1.15, v1.11',
    });
    assert.throws(() => parseConfig("tektonVersion: [v1.11]\n", "c.yaml"), {
      message: 'c.yaml: tektonVersion: unknown Tekton version "[\\"v1.11\\"]": expected one of v1.15, v1.11',
    });
  });
});

void describe("withFeatureGate", () => {
  void it("sets enable-api-fields; alpha also enables the alpha CI job's per-feature flags", () => {
    assert.equal(withFeatureGate(defaultFeatureFlags(), "stable").enableParamEnum, false);
    const alpha = withFeatureGate(defaultFeatureFlags(), "alpha");
    assert.equal(alpha.enableApiFields, "alpha");
    assert.equal(alpha.enableParamEnum && alpha.enableArtifacts && alpha.enableConciseResolverSyntax, true);
  });
});
