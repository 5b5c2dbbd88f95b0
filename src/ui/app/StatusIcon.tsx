/** A run's status icon with its state name (visible to screen readers and as a tooltip). */
import { RUN_STATE_ICON, type RunState } from "../model/status.js";

export function StatusIcon(props: { state: RunState; reason?: string }) {
  const label = props.reason ? `${props.state}: ${props.reason}` : props.state;
  return (
    <span class={`status status-${props.state}`} title={label} aria-label={label} data-state={props.state}>
      {RUN_STATE_ICON[props.state]}
    </span>
  );
}
