/** Why loading resources failed, and where. */
/** Why loading failed. */
export const LoadErrorReason = {
  Read: "Read",
  Syntax: "Syntax",
  NotAMapping: "NotAMapping",
  MissingField: "MissingField",
  UnknownKind: "UnknownKind",
  TooLarge: "TooLarge",
} as const;
export type LoadErrorReason = (typeof LoadErrorReason)[keyof typeof LoadErrorReason];

/** A file that cannot be read, parsed, or does not hold resources tektite knows. */
export class LoadError extends Error {
  override readonly name = "LoadError";
  readonly reason: LoadErrorReason;
  readonly file: string;
  readonly line: number | undefined;
  readonly index: number | undefined;
  /** The message without the `file:line: ` prefix. */
  readonly detail: string;

  constructor(opts: {
    reason: LoadErrorReason;
    file: string;
    line?: number;
    index?: number;
    detail: string;
  }) {
    const where = opts.line === undefined ? opts.file : `${opts.file}:${opts.line}`;
    super(`${where}: ${opts.detail}`);
    this.reason = opts.reason;
    this.file = opts.file;
    this.line = opts.line;
    this.index = opts.index;
    this.detail = opts.detail;
  }
}

/** The file name used for documents read from stdin. */
export const STDIN_NAME = "<stdin>";
