/** commander parsers for the CLI's integer flags, with the messages a bad value gets. */
import { InvalidArgumentError } from "commander";

/** A flag that takes 1, 2, … */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

/** A flag that takes 0, 1, … */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a non-negative integer");
  return n;
}
