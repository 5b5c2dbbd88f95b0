/** Shared pieces of a run's page: name/value tables, the condition, and the YAML. */
import { stringify } from "yaml";
import type { ComponentChildren } from "preact";
import type { Condition, KubeObject, Param, WorkspaceBinding } from "../../api/types.js";

function valueText(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** A section with a heading. */
export function Section(props: { title: string; children: ComponentChildren; testId?: string }) {
  return (
    <section class="card" data-testid={props.testId}>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A name → value table; nothing when empty. */
export function NameValues(props: {
  title: string;
  items: Array<{ name: string; value: unknown }> | undefined;
}) {
  if (props.items === undefined || props.items.length === 0) return null;
  return (
    <Section title={props.title} testId={props.title.toLowerCase()}>
      <table class="kv">
        <tbody>
          {props.items.map((p) => (
            <tr key={p.name}>
              <th scope="row">{p.name}</th>
              <td>
                <code>{valueText(p.value)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

/** Params of a run. */
export function Params(props: { params: Param[] | undefined }) {
  return <NameValues title="Params" items={props.params} />;
}

/** Workspaces bound to a run, with what backs each. */
export function Workspaces(props: { workspaces: WorkspaceBinding[] | undefined }) {
  const items = props.workspaces?.map((w) => {
    const { name, ...source } = w;
    const kind = Object.keys(source).filter((k) => k !== "subPath");
    return {
      name,
      value: kind.length > 0 ? `${kind.join(", ")}${w.subPath ? ` (subPath ${w.subPath})` : ""}` : "",
    };
  });
  return <NameValues title="Workspaces" items={items} />;
}

/** The `Succeeded` condition: reason and message. */
export function ConditionView(props: { condition: Condition | undefined }) {
  const c = props.condition;
  if (c === undefined) return <p class="muted">Not started yet.</p>;
  return (
    <p class="condition" data-testid="condition">
      <strong data-testid="reason">{c.reason ?? c.status}</strong>
      {c.message ? <span class="message">: {c.message}</span> : null}
    </p>
  );
}

/** The object as YAML (without managedFields), collapsed until opened. */
export function YamlView(props: { object: KubeObject }) {
  const { managedFields: _m, ...metadata } = props.object.metadata;
  return (
    <details class="card yaml">
      <summary>YAML</summary>
      <pre>{stringify({ ...props.object, metadata })}</pre>
    </details>
  );
}
