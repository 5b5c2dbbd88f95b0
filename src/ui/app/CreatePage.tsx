/**
 * Create from YAML, and edit-and-run (the YAML of a run's rerun copy, edited before it is
 * created). Admission errors are listed with the fields they name, and each field's line in
 * the editor is marked.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { parseAllDocuments, stringify } from "yaml";
import type { KubeObject } from "../../api/types.js";
import { fieldProblems, lineOfField, type FieldProblem } from "../model/admission.js";
import { collectionPath, kindOf, objectPath, type UiKind } from "../model/kinds.js";
import { rerunOf } from "../model/rerun.js";
import { ApiFailure } from "./api.js";
import { navigate } from "./route.js";
import { ALL_NAMESPACES, useSession } from "./session.js";

const EXAMPLE = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  generateName: hello-
spec:
  taskSpec:
    steps:
      - name: hello
        image: busybox
        script: echo hello
`;

interface Problem extends FieldProblem {
  /** The editor line of each field (same order), when found. */
  lines: Array<number | undefined>;
}

/** The create page; with `from`, the edit-and-run page of that run. */
export function CreatePage(props: { from?: { kind: UiKind; namespace: string; name: string } }) {
  const { api, namespace } = useSession();
  const [text, setText] = useState(props.from ? "" : EXAMPLE);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const from = props.from;

  useEffect(() => {
    if (from === undefined) return;
    api
      .request<KubeObject>("GET", objectPath(from.kind, from.namespace, from.name))
      .then((o) => setText(stringify(rerunOf(o))))
      .catch((err: unknown) => setProblems([{ message: String(err), fields: [], lines: [] }]));
  }, [api, from?.kind, from?.namespace, from?.name]);

  const marked = useMemo(() => new Set(problems.flatMap((p) => p.lines)), [problems]);

  const submit = async (): Promise<void> => {
    setBusy(true);
    setProblems([]);
    let created: KubeObject | undefined;
    try {
      const docs = parseAllDocuments(text);
      const objects: KubeObject[] = [];
      for (const d of Array.isArray(docs) ? docs : [docs]) {
        if (d.errors.length > 0) throw new Error(`YAML: ${d.errors[0]?.message ?? "invalid"}`);
        const o = d.toJS() as KubeObject | null;
        if (o !== null) objects.push(o);
      }
      if (objects.length === 0) throw new Error("nothing to create");
      for (const o of objects) {
        const kind = kindOf(o.kind);
        if (kind === undefined) throw new Error(`kind ${String(o.kind)} cannot be created here`);
        const ns = o.metadata?.namespace ?? (namespace === ALL_NAMESPACES ? "default" : namespace);
        created = await api.request<KubeObject>("POST", collectionPath(kind, ns), { body: o });
      }
      if (created !== undefined) {
        const kind = kindOf(created.kind);
        if (kind)
          navigate({
            page: kind.isRun ? "run" : "list",
            plural: kind.plural,
            namespace: created.metadata.namespace ?? "default",
            name: created.metadata.name ?? "",
          });
      }
    } catch (err) {
      const message = err instanceof ApiFailure || err instanceof Error ? err.message : String(err);
      const found = err instanceof ApiFailure ? fieldProblems(message) : [{ message, fields: [] }];
      setProblems(
        found.map((p) => ({
          ...p,
          lines: p.fields.map((f) => lineOfField(text, f)),
        })),
      );
    } finally {
      setBusy(false);
    }
  };

  const lines = text.split("\n");
  return (
    <section class="create-page">
      <h1>{from ? `Edit and run ${from.name}` : "Create from YAML"}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div class="editor">
          <div class="gutter" aria-hidden="true">
            {lines.map((_, i) => (
              <div key={i} class={marked.has(i + 1) ? "marked" : ""}>
                {i + 1}
              </div>
            ))}
          </div>
          <label class="sr-only" for="yaml">
            YAML
          </label>
          <textarea
            id="yaml"
            name="yaml"
            spellcheck={false}
            rows={Math.max(16, lines.length + 1)}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </div>
        {problems.length > 0 ? (
          <ul class="problems" role="alert" data-testid="problems">
            {problems.map((p, i) => (
              <li key={i}>
                {p.message}
                {p.fields.map((f, j) => (
                  <span key={f} class="field">
                    {" "}
                    <code>{f}</code>
                    {p.lines[j] !== undefined ? ` (line ${p.lines[j]})` : ""}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        ) : null}
        <button type="submit" disabled={busy}>
          {from ? "Run" : "Create"}
        </button>
      </form>
    </section>
  );
}
