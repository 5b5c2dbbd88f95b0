/**
 * A TaskRun's page body: its attempts (the current one and `retriesStatus`), the steps of the
 * chosen attempt with state and duration, the chosen step's log, results, params, workspaces,
 * and how to open a shell when the run is halted at a breakpoint.
 */
import { useState } from "preact/hooks";
import type { StepState, TaskRun, TaskRunStatus } from "../../api/types.js";
import { isFinished, runDuration, runState, stepState } from "../model/status.js";
import { Params, NameValues, Section, Workspaces } from "./Details.js";
import { useNow } from "./hooks.js";
import { LogViewer } from "./LogViewer.js";
import { StatusIcon } from "./StatusIcon.js";

function containerOf(s: StepState): string {
  return s.container ?? `step-${s.name}`;
}

/**
 * How to open a shell in a step halted at a breakpoint, and the debug scripts that let it go on.
 * A halted step is shown running (as in Tekton); its log says that the breakpoint took effect.
 */
function BreakpointHelp(props: { run: TaskRun; status: TaskRunStatus }) {
  const bp = props.run.spec.debug?.breakpoints;
  if (bp === undefined || isFinished(props.run)) return null;
  const step = (props.status.steps ?? []).find((s) => s.running !== undefined);
  if (step === undefined || props.status.podName === undefined) return null;
  const before = (bp.beforeSteps ?? []).includes(step.name);
  const onFailure = bp.onFailure === "enabled";
  if (!before && !onFailure) return null;
  const ns = props.run.metadata.namespace ?? "default";
  const exec = `kubectl exec -it -n ${ns} ${props.status.podName} -c ${containerOf(step)} -- sh`;
  const [go, fail] = before
    ? ["debug-beforestep-continue", "debug-beforestep-fail-continue"]
    : ["debug-continue", "debug-fail-continue"];
  return (
    <Section title="Debugging" testId="breakpoint">
      <p>
        {before ? (
          <>
            Step <strong>{step.name}</strong> has a breakpoint before it runs.
          </>
        ) : (
          <>
            Step <strong>{step.name}</strong> halts here if it fails (<code>onFailure</code> breakpoint).
          </>
        )}{" "}
        When its log says the breakpoint has taken effect, open a shell in it (with the kubeconfig from{" "}
        <code>tektite kubeconfig</code>):
      </p>
      <pre>{exec}</pre>
      <p>
        Then continue with <code>/tekton/debug/scripts/{go}</code>, or mark the step failed and go on with{" "}
        <code>/tekton/debug/scripts/{fail}</code>.
      </p>
    </Section>
  );
}

/** The body of a TaskRun's page. */
export function TaskRunView(props: { run: TaskRun }) {
  const { run } = props;
  const now = useNow();
  const retries = run.status?.retriesStatus ?? [];
  const attempts: TaskRunStatus[] = [...retries, run.status ?? {}];
  const [attemptIndex, setAttempt] = useState<number | undefined>();
  const current = attemptIndex ?? attempts.length - 1;
  const status = attempts[current] ?? {};
  const steps = status.steps ?? [];
  const [chosen, setChosen] = useState<string | undefined>();
  const running = steps.find((s) => s.running !== undefined);
  const selected =
    steps.find((s) => s.name === chosen) ??
    running ??
    steps.find((s) => stepState(s) === "failed") ??
    steps[steps.length - 1];
  const ns = run.metadata.namespace ?? "default";

  return (
    <>
      <BreakpointHelp run={run} status={status} />
      {attempts.length > 1 ? (
        <div class="attempts" role="tablist" aria-label="Attempts">
          {attempts.map((a, i) => (
            <button
              key={i}
              type="button"
              role="tab"
              aria-selected={i === current}
              onClick={() => {
                setAttempt(i);
                setChosen(undefined);
              }}
            >
              <StatusIcon state={runState({ status: a })} />{" "}
              {i === attempts.length - 1 ? `Attempt ${i + 1} (latest)` : `Attempt ${i + 1}`}
            </button>
          ))}
        </div>
      ) : null}
      <div class="run-body">
        <Section title="Steps" testId="steps">
          {steps.length === 0 ? <p class="muted">No steps have started.</p> : null}
          <ul class="steps">
            {steps.map((s) => {
              const st = stepState(s);
              return (
                <li key={s.name}>
                  <button
                    type="button"
                    class="step"
                    aria-pressed={selected?.name === s.name}
                    data-step={s.name}
                    onClick={() => setChosen(s.name)}
                  >
                    <StatusIcon state={st} reason={s.terminationReason ?? s.terminated?.reason} />
                    <span class="step-name">{s.name}</span>
                    <span class="muted">
                      {runDuration(
                        s.terminated?.startedAt ?? s.running?.startedAt,
                        s.terminated?.finishedAt,
                        now,
                      ) ?? ""}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </Section>
        <section class="card log-card">
          <h2>{selected ? `Log: ${selected.name}` : "Log"}</h2>
          {selected !== undefined && status.podName !== undefined ? (
            <LogViewer
              key={`${status.podName}/${containerOf(selected)}`}
              namespace={ns}
              pod={status.podName}
              container={containerOf(selected)}
              waiting={selected.running === undefined && selected.terminated === undefined}
            />
          ) : (
            <p class="muted">No log yet.</p>
          )}
        </section>
      </div>
      <NameValues title="Results" items={status.results} />
      <Params params={run.spec.params} />
      <Workspaces workspaces={run.spec.workspaces} />
    </>
  );
}
