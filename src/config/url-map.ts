/**
 * URL rewrites for remote resolution, in the manner of git's `url.<base>.insteadOf`: a request
 * for a URL starting with a mapped prefix is sent to the replacement base instead, so an
 * air-gapped site can serve `https://raw.githubusercontent.com/…` or `https://github.com/…` from
 * a mirror without editing the runs. Provenance still records the URL the run asked for.
 */

/** One rewrite: URLs starting with `prefix` are fetched from `base` + the rest. */
export interface UrlRewrite {
  prefix: string;
  base: string;
}

export class UrlMapError extends Error {
  override readonly name = "UrlMapError";
}

/**
 * Parses `PREFIX=BASE` (the `--url-map` form).
 * @throws UrlMapError when either side is missing.
 */
export function parseUrlRewrite(text: string): UrlRewrite {
  const eq = text.indexOf("=");
  const prefix = eq < 0 ? "" : text.slice(0, eq);
  const base = eq < 0 ? "" : text.slice(eq + 1);
  if (prefix === "" || base === "") {
    throw new UrlMapError(`invalid URL mapping ${JSON.stringify(text)}: expected PREFIX=BASE`);
  }
  return { prefix, base };
}

/** The URL to fetch for `url`: the longest matching prefix wins, as with git's insteadOf. */
export function mapUrl(url: string, rewrites: readonly UrlRewrite[]): string {
  let best: UrlRewrite | undefined;
  for (const r of rewrites) {
    if (url.startsWith(r.prefix) && (best === undefined || r.prefix.length > best.prefix.length)) best = r;
  }
  return best === undefined ? url : best.base + url.slice(best.prefix.length);
}
