// An out-of-process custom-task controller: it watches CustomRuns over the Kubernetes API and
// writes their status, exactly as a controller on a Tekton cluster does. It works unchanged
// against `tektite serve` (point KUBECONFIG at `tektite kubeconfig`) and against a cluster.
//
//   npm install @kubernetes/client-node
//   KUBECONFIG=$(mktemp) && tektite kubeconfig > $KUBECONFIG && node controller.mjs
//
// It handles CustomRuns whose customRef is `example.dev/v1alpha1`, kind `Echo`: the run succeeds
// with reason `Echoed` and a result `echoed` holding the `message` param.
import * as k8s from "@kubernetes/client-node";

const GROUP = "tekton.dev";
const VERSION = "v1beta1";
const PLURAL = "customruns";

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const api = kc.makeApiClient(k8s.CustomObjectsApi);

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
const mine = (run) => run.spec?.customRef?.apiVersion === "example.dev/v1alpha1" && run.spec?.customRef?.kind === "Echo";
const condition = (run) => run.status?.conditions?.find((c) => c.type === "Succeeded");

async function writeStatus(run, status) {
  const { namespace, name } = run.metadata;
  await api.replaceNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name, body: { ...run, status } });
}

async function reconcile(run) {
  if (!mine(run) || (condition(run) && condition(run).status !== "Unknown")) return;
  const message = run.spec.params?.find((p) => p.name === "message")?.value;
  const t = now();
  if (run.spec.status === "RunCancelled") {
    const done = { type: "Succeeded", status: "False", reason: "CustomRunCancelled", message: run.spec.statusMessage ?? "cancelled", lastTransitionTime: t };
    return writeStatus(run, { ...run.status, startTime: run.status?.startTime ?? t, completionTime: t, conditions: [done] });
  }
  if (typeof message !== "string") {
    const failed = { type: "Succeeded", status: "False", reason: "MissingMessage", message: "param message is required", lastTransitionTime: t };
    return writeStatus(run, { startTime: t, completionTime: t, conditions: [failed] });
  }
  const succeeded = { type: "Succeeded", status: "True", reason: "Echoed", message: `echoed ${message.length} characters`, lastTransitionTime: t };
  await writeStatus(run, { startTime: t, completionTime: t, conditions: [succeeded], results: [{ name: "echoed", value: message }] });
  console.log(`echoed ${run.metadata.namespace}/${run.metadata.name}`);
}

const informer = k8s.makeInformer(kc, `/apis/${GROUP}/${VERSION}/${PLURAL}`, () =>
  api.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }),
);
const handle = (run) => reconcile(run).catch((err) => console.error(`reconcile ${run.metadata.name}: ${err.message ?? err}`));
informer.on("add", handle);
informer.on("update", handle);
informer.on("error", (err) => {
  console.error(`watch error: ${err?.message ?? err}; restarting`);
  setTimeout(() => informer.start(), 1000);
});
await informer.start();
console.log("watching CustomRuns for example.dev/v1alpha1 Echo");
