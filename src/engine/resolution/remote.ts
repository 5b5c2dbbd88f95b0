/**
 * Remote resolution as Tekton's controller and resolvers do it together: a ResolutionRequest
 * (`resolution.tekton.dev/v1beta1`) per ref in the store, the resolver's params check and
 * fetch under its own and the global time limit, the cache, and the decoded, validated object.
 * Failures carry Tekton's messages (`error requesting remote resource: …`).
 */
import { formatGoDuration, msToDuration } from "../../api/duration.js";
import type { KubeObject } from "../../api/types.js";
import type { ConfigDefaults, FeatureFlags } from "../../config/features.js";
import type { ResolverSettings } from "../../config/resolvers.js";
import { ResourceTypes, type Store } from "../../store/index.js";
import type { Clock } from "../clock.js";
import { bundlesResolver } from "./bundles.js";
import { isImmutableRef, ResolutionCache } from "./cache.js";
import { clusterResolver } from "./cluster.js";
import { decodeResolved, type ResolvableKind } from "./decode.js";
import { ResolutionError } from "./errors.js";
import { gitResolver } from "./git.js";
import { httpResolver } from "./http.js";
import { hubResolver } from "./hub.js";
import { paramMap, messageOf } from "./params.js";
import { resolutionRequestName } from "./request-name.js";
import { ResolutionRequests, type ResolutionRequest } from "./requests.js";
import type {
  ObjectReader,
  RefOwner,
  RefSource,
  RemoteRef,
  ResolvedResource,
  Resolver,
  ResolverContext,
} from "./resolver.js";
import { join } from "node:path";

/** The built-in resolvers. */
export const BUILTIN_RESOLVERS: readonly Resolver[] = [
  gitResolver,
  httpResolver,
  bundlesResolver,
  hubResolver,
  clusterResolver,
];

export interface ResolvedRef {
  object: KubeObject;
  refSource: RefSource;
}

export interface RemoteResolverOptions {
  store: Store;
  clock: Clock;
  features: FeatureFlags;
  defaults: ConfigDefaults;
  settings: ResolverSettings;
  /** The data directory: the cache lives in `resolution/` under it. */
  dataDir: string;
  resolvers?: readonly Resolver[];
}

class ResolverTimedOut extends Error {}

/**
 * What Tekton's resolver framework writes on a request whose resolver's own `fetch-timeout`
 * passed first. The run's reconciler takes an error with this text as transient: the run keeps
 * waiting (until its own timeout) instead of failing.
 */
const OWN_DEADLINE_MESSAGE = "context deadline exceeded";

class TransientResolutionError extends Error {}

const isTransient = (message: string): boolean => message.includes(OWN_DEADLINE_MESSAGE);

/** Settles only by rejecting with the signal's reason, when the run no longer waits. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

export class RemoteResolver {
  private readonly resolvers: ReadonlyMap<string, Resolver>;
  private readonly cache: ResolutionCache;
  private readonly requests: ResolutionRequests;

  constructor(private readonly opts: RemoteResolverOptions) {
    this.resolvers = new Map((opts.resolvers ?? BUILTIN_RESOLVERS).map((r) => [r.type, r]));
    this.cache = new ResolutionCache(join(opts.dataDir, "resolution", "cache"));
    this.requests = new ResolutionRequests(opts.store, opts.clock);
  }

  private objects: ObjectReader = (kind, namespace, name) =>
    this.opts.store.get(ResourceTypes[kind], namespace, name);

  /**
   * Resolves `ref` for `owner` into an object of kind `expected`.
   * @throws ResolutionError or ResolvedResourceInvalidError with Tekton's message.
   */
  async resolve(
    ref: RemoteRef,
    owner: RefOwner,
    expected: ResolvableKind,
    signal: AbortSignal,
  ): Promise<ResolvedRef> {
    const params = ref.params ?? [];
    const name = resolutionRequestName(
      ref.resolver,
      `${owner.namespace}/${owner.name}`,
      params,
      ref.url ?? "",
    );
    const key = `${owner.namespace}/${name}`;
    const existing = this.requests.ensure(name, ref, owner);
    let resource: ResolvedResource;
    if (existing.done !== undefined) {
      if ("error" in existing.done) {
        if (isTransient(existing.done.error)) await untilAborted(signal);
        throw new ResolutionError(`error requesting remote resource: ${existing.done.error}`);
      }
      resource = existing.done.resource;
    } else {
      try {
        resource = await this.fetch(ref, owner, key, existing.request, signal);
      } catch (err) {
        if (signal.aborted) throw err;
        const message =
          err instanceof ResolutionError || err instanceof TransientResolutionError
            ? err.message
            : messageOf(err);
        this.requests.fail(owner.namespace, name, message);
        if (err instanceof TransientResolutionError) await untilAborted(signal);
        throw new ResolutionError(`error requesting remote resource: ${message}`);
      }
      this.requests.succeed(owner.namespace, name, resource);
    }
    const object = decodeResolved(resource.data, expected, `${ref.resolver} resolver`, this.opts);
    return { object, refSource: resource.refSource };
  }

  /** The resolver's answer, or the failure text Tekton's ResolutionRequest would hold. */
  private async fetch(
    ref: RemoteRef,
    owner: RefOwner,
    key: string,
    request: ResolutionRequest,
    signal: AbortSignal,
  ): Promise<ResolvedResource> {
    const started = Date.parse(request.metadata.creationTimestamp ?? "") || this.opts.clock.now().getTime();
    const globalMs = this.opts.defaults.defaultMaximumResolutionTimeoutMs;
    const deadline = started + globalMs;
    const timedOut = `resolution took longer than global timeout of ${formatGoDuration(msToDuration(globalMs))}`;
    const resolver = this.resolvers.get(ref.resolver);
    if (resolver === undefined) {
      // No resolver picks the request up: it waits for the global timeout, as in Tekton.
      await this.sleepUntil(deadline, signal);
      throw new ResolutionError(timedOut);
    }
    const config = this.opts.settings.configMaps[resolver.configMap];
    if (!resolver.enabled(this.opts.features)) {
      throw new ResolutionError(`invalid resource request "${key}": ${resolver.disabledMessage}`);
    }
    let params;
    try {
      params = resolver.validate(paramMap(ref.params), config, this.opts.settings);
    } catch (err) {
      throw new ResolutionError(`invalid resource request "${key}": ${messageOf(err)}`);
    }
    const immutable = isImmutableRef(resolver.type, params);
    const cached = this.cache.get(resolver.type, params);
    if (cached !== undefined && (immutable || this.opts.settings.offline)) return cached;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    const ownMs = resolver.timeoutMs?.(config) ?? globalMs;
    const globalLeft = deadline - this.opts.clock.now().getTime();
    const ownFirst = ownMs < globalLeft;
    const left = Math.max(0, Math.min(ownMs, globalLeft));
    const cancelTimer = this.opts.clock.setTimer(left, () => controller.abort(new ResolverTimedOut()));
    const ctx: ResolverContext = {
      namespace: owner.namespace,
      config,
      settings: this.opts.settings,
      objects: this.objects,
      cacheDir: join(this.opts.dataDir, "resolution"),
      signal: controller.signal,
    };
    try {
      const out = await resolver.resolve(params, ctx);
      this.cache.put(resolver.type, params, out);
      return out;
    } catch (err) {
      if (controller.signal.reason instanceof ResolverTimedOut && !signal.aborted) {
        if (ownFirst) throw new TransientResolutionError(OWN_DEADLINE_MESSAGE);
        // The global deadline came first: Tekton's ResolutionRequest reconciler fails the request.
        await this.sleepUntil(deadline, signal);
        throw new ResolutionError(timedOut);
      }
      if (signal.aborted) throw err;
      throw new ResolutionError(`error getting "${resolver.displayName}" "${key}": ${messageOf(err)}`);
    } finally {
      cancelTimer();
      signal.removeEventListener("abort", onAbort);
    }
  }

  private sleepUntil(at: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        cancel();
        reject(signal.reason);
      };
      const cancel = this.opts.clock.setTimer(Math.max(0, at - this.opts.clock.now().getTime()), () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
