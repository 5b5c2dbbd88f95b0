/**
 * The grammar of a Kubernetes `resource.Quantity` (`500m`, `1Gi`, `2e3`), with the errors
 * `resource.ParseQuantity` returns.
 *
 * @module
 */

const FORMAT = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIXES = new Set([
  "",
  "Ki",
  "Mi",
  "Gi",
  "Ti",
  "Pi",
  "Ei",
  "n",
  "u",
  "m",
  "k",
  "M",
  "G",
  "T",
  "P",
  "E",
]);

/** Why `text` is not a quantity (Kubernetes' message), or undefined when it is one. */
export function quantityError(text: string): string | undefined {
  const m = FORMAT.exec(text);
  if (text === "" || !m) return FORMAT_WRONG;
  const numeric = m[1] ?? "";
  const suffix = m[2] ?? "";
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(numeric)) return "unable to parse numeric part of quantity";
  if (!SUFFIXES.has(suffix) && !/^[eE][-+]?\d+$/.test(suffix)) return "unable to parse quantity's suffix";
  return undefined;
}
