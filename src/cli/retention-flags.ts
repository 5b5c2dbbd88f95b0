/** `--keep N` / `--keep-since DURATION`, shared by `tektite serve` and `tektite delete`. */
import { RetentionError, parseKeepSince, retentionPolicy, type RetentionPolicy } from "../api/retention.js";
import { UserInputError } from "./errors.js";

/** The parsed flags. */
export interface RetentionFlags {
  keep?: number;
  keepSince?: string;
}

/** The retention policy the flags ask for; a bad value is an input error naming the flag. */
export function retentionFromFlags(opts: RetentionFlags): RetentionPolicy {
  try {
    const since = opts.keepSince !== undefined ? parseKeepSince(opts.keepSince, "--keep-since") : undefined;
    return retentionPolicy(opts.keep, since, { keep: "--keep", keepSince: "--keep-since" });
  } catch (err) {
    if (err instanceof RetentionError) throw new UserInputError(err.message);
    throw err;
  }
}
