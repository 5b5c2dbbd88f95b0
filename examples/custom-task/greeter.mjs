// A tektite custom task written with the SDK: greets someone after an optional pause.
//   tektite run --plugin examples/custom-task/greeter.mjs -f examples/custom-task/greeter-customrun.yaml
// Plain ESM JavaScript, so it runs without a build step; a TypeScript plugin is the same code, compiled.
import { CustomTaskError, defineCustomTask } from "tektite/sdk";

export default defineCustomTask({
  apiVersion: "greeter.example.dev/v1alpha1",
  kind: "Greeter",
  params: {
    name: { default: "world" },
    greeting: { default: "Hello", enum: ["Hello", "Hi", "Bonjour"] },
    // A pause in milliseconds, to try `spec.timeout` and cancel (`spec.status: RunCancelled`).
    pauseMs: { default: "0" },
  },
  async run({ params, log, signal, target }) {
    const pause = Number(params.pauseMs);
    if (!Number.isInteger(pause) || pause < 0) {
      throw new CustomTaskError("InvalidPause", `pauseMs must be a non-negative integer, got "${params.pauseMs}"`);
    }
    if (pause > 0) {
      log.info(`pausing ${pause} ms`);
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, pause);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new Error(`stopped: ${String(signal.reason)}`));
        });
      });
    }
    const text = `${params.greeting}, ${params.name}!`;
    log.info(text);
    return {
      reason: "Greeted",
      message: `greeted ${params.name}`,
      results: { greeting: text, target: target.name ?? "(unnamed)" },
      extraFields: { greetedAt: new Date().toISOString() },
    };
  },
});
