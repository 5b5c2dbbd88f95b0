/**
 * Time as Kubernetes writes it for machines (`metav1.Time`) and for people
 * (`duration.HumanDuration`, the ages `kubectl get` shows).
 *
 * @module
 */

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
