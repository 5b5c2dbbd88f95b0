import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { featureFlagsFromMap } from "./config-maps.js";
import { defaultFeatureFlags } from "./features.js";
import { provenanceFeatureFlags, provenanceInStatus } from "./provenance-flags.js";

void describe("provenance feature flags", () => {
  void it("serialises Tekton's defaults as its FeatureFlags struct does (omitempty, field order)", () => {
    const json = provenanceFeatureFlags(defaultFeatureFlags());
    assert.deepEqual(Object.entries(json), [
      ["runningInEnvWithInjectedSidecars", true],
      ["enableAPIFields", "beta"],
      ["sendCloudEventsForRuns", true],
      ["awaitSidecarReadiness", true],
      ["enforceNonfalsifiability", "none"],
      ["verificationNoMatchPolicy", "ignore"],
      ["enableProvenanceInStatus", true],
      ["resultExtractionMethod", "termination-message"],
      ["maxResultSize", 4096],
      ["coschedule", "workspaces"],
    ]);
    assert.equal(provenanceInStatus(defaultFeatureFlags()), true);
  });

  void it("records configured values, those tektite acts on and those it only records", () => {
    const flags = featureFlagsFromMap({
      "enable-api-fields": "alpha",
      "enable-param-enum": "true",
      "disable-inline-spec": "taskrun,pipelinerun",
      "disable-creds-init": "true",
      coschedule: "PipelineRuns",
      "send-cloudevents-for-runs": "false",
    });
    const json = provenanceFeatureFlags(flags);
    assert.equal(json["enableAPIFields"], "alpha");
    assert.equal(json["enableParamEnum"], true);
    assert.equal(json["disableInlineSpec"], "taskrun,pipelinerun");
    assert.equal(json["disableCredsInit"], true);
    assert.equal(json["coschedule"], "pipelineruns");
    assert.equal("sendCloudEventsForRuns" in json, false);
    assert.equal(provenanceInStatus(featureFlagsFromMap({ "enable-provenance-in-status": "false" })), false);
  });
});
