/**
 * The registry of the kinds tektite knows: one entry per kind with its API facts (group, versions,
 * plural, scope, short names, printer columns) and how tektite treats it (read from files,
 * admitted through Tekton's webhooks, run by a reconciler). Store, server, CLI client, admission
 * and `run` all read this table; adding a kind is adding one entry.
 *
 * @module
 */

/** API groups. */
export const ApiGroup = { Core: "", Tekton: "tekton.dev", Resolution: "resolution.tekton.dev" } as const;
/** One of {@link ApiGroup}'s values. */
export type ApiGroup = (typeof ApiGroup)[keyof typeof ApiGroup];

/** The served versions of each non-core group, preferred first (discovery's order). */
export const GROUP_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  [ApiGroup.Tekton]: ["v1", "v1beta1", "v1alpha1"],
  [ApiGroup.Resolution]: ["v1beta1"],
};

/** How a document of a kind found in an input file is treated. */
export const DocumentHandling = {
  /** A resource tektite stores and acts on. */
  Supported: "supported",
  /** A Tekton kind tektite accepts in input but cannot run yet. */
  Unsupported: "unsupported",
  /** A Kubernetes kind that has no meaning without a cluster (LimitRange); skipped with a note. */
  Ignored: "ignored",
} as const;
/** One of {@link DocumentHandling}'s values. */
export type DocumentHandling = (typeof DocumentHandling)[keyof typeof DocumentHandling];

/**
 * A column of `kubectl get`, as a CRD's `additionalPrinterColumns` declares it. `jsonPath`
 * supports `.a.b` and `[?(@.field=="value")]` segments.
 */
export interface PrinterColumn {
  readonly name: string;
  readonly type: "string" | "integer" | "date";
  readonly jsonPath: string;
}

/** Everything tektite knows about one kind. */
export interface KindInfo {
  readonly kind: string;
  readonly group: ApiGroup;
  /** The version objects are stored in (and converted to at admission). */
  readonly storageVersion: string;
  /** The versions accepted in files and served by the API, preferred first. */
  readonly versions: readonly string[];
  /** Plural: `taskruns`. */
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  /** Whether `status` is a subresource (main updates keep it, status updates change only it). */
  readonly statusSubresource: boolean;
  /** Short names discovery lists (kubectl accepts them). */
  readonly shortNames: readonly string[];
  /** Further words tektite's own commands accept (tkn's aliases). */
  readonly cliAliases: readonly string[];
  readonly categories: readonly string[];
  /** Fields a field selector may name besides `metadata.name` and `metadata.namespace`. */
  readonly selectableFields?: readonly string[];
  /** CRD printer columns after Name (Age is shown when there are none). Core kinds: see server/table. */
  readonly printerColumns?: readonly PrinterColumn[];
  /** How a document of this kind in an input file is treated; undefined: not accepted in files. */
  readonly files?: DocumentHandling;
  /** Why documents of this kind are unsupported or ignored. */
  readonly note?: string;
  /** Goes through admission (conversion, defaulting, Tekton validation) before it is stored. */
  readonly admitted: boolean;
  /** A run: it has a Succeeded condition, can be cancelled, and is watched to completion. */
  readonly isRun: boolean;
  /** Served by the API (and so kept in the store). */
  readonly served: boolean;
  /** Not stored: objects are synthesized for reads (pods), so the API serves it read-only. */
  readonly synthesized?: boolean;
}

const TEKTON_CATEGORIES = ["tekton", "tekton-pipelines"] as const;

/** Tekton's run CRDs' printer columns (TaskRun, CustomRun, Run, PipelineRun). */
export const RUN_PRINTER_COLUMNS: readonly PrinterColumn[] = [
  { name: "Succeeded", type: "string", jsonPath: '.status.conditions[?(@.type=="Succeeded")].status' },
  { name: "Reason", type: "string", jsonPath: '.status.conditions[?(@.type=="Succeeded")].reason' },
  { name: "StartTime", type: "date", jsonPath: ".status.startTime" },
  { name: "CompletionTime", type: "date", jsonPath: ".status.completionTime" },
];

type TektonOptions = Partial<Omit<KindInfo, "kind" | "group" | "storageVersion" | "versions">>;

function tekton(kind: string, versions: readonly string[], opts: TektonOptions = {}): KindInfo {
  const singular = kind.toLowerCase();
  return {
    kind,
    group: ApiGroup.Tekton,
    storageVersion: versions[0]!,
    versions,
    plural: `${singular}s`,
    singular,
    namespaced: true,
    statusSubresource: true,
    shortNames: [],
    cliAliases: [],
    categories: TEKTON_CATEGORIES,
    files: DocumentHandling.Supported,
    admitted: true,
    isRun: false,
    served: true,
    ...opts,
  };
}

function core(kind: string, opts: Partial<Omit<KindInfo, "kind" | "group">> = {}): KindInfo {
  const singular = kind.toLowerCase();
  return {
    kind,
    group: ApiGroup.Core,
    storageVersion: "v1",
    versions: ["v1"],
    plural: `${singular}s`,
    singular,
    namespaced: true,
    statusSubresource: false,
    shortNames: [],
    cliAliases: [],
    categories: [],
    files: DocumentHandling.Supported,
    admitted: false,
    isRun: false,
    served: true,
    ...opts,
  };
}

/** The kinds tektite knows, keyed by kind. Discovery lists them in this order. */
export const Kinds = {
  Task: tekton("Task", ["v1", "v1beta1"], { cliAliases: ["t"] }),
  TaskRun: tekton("TaskRun", ["v1", "v1beta1"], {
    shortNames: ["tr", "trs"],
    printerColumns: RUN_PRINTER_COLUMNS,
    isRun: true,
  }),
  Pipeline: tekton("Pipeline", ["v1", "v1beta1"], {
    cliAliases: ["p"],
  }),
  PipelineRun: tekton("PipelineRun", ["v1", "v1beta1"], {
    shortNames: ["pr", "prs"],
    printerColumns: RUN_PRINTER_COLUMNS,
    isRun: true,
  }),
  CustomRun: tekton("CustomRun", ["v1beta1"], {
    cliAliases: ["cr", "crs"],
    printerColumns: RUN_PRINTER_COLUMNS,
    isRun: true,
  }),
  StepAction: tekton("StepAction", ["v1beta1", "v1alpha1"]),
  Run: tekton("Run", ["v1alpha1"], { printerColumns: RUN_PRINTER_COLUMNS, isRun: true }),
  /** Written by the engine for each remote ref; served so kubectl shows what was fetched. */
  ResolutionRequest: {
    ...tekton("ResolutionRequest", ["v1beta1"], {
      files: undefined,
      admitted: false,
      printerColumns: [
        { name: "OwnerKind", type: "string", jsonPath: ".metadata.ownerReferences[0].kind" },
        { name: "Owner", type: "string", jsonPath: ".metadata.ownerReferences[0].name" },
        { name: "Succeeded", type: "string", jsonPath: '.status.conditions[?(@.type=="Succeeded")].status' },
        { name: "Reason", type: "string", jsonPath: '.status.conditions[?(@.type=="Succeeded")].reason' },
        { name: "StartTime", type: "date", jsonPath: ".metadata.creationTimestamp" },
        {
          name: "EndTime",
          type: "date",
          jsonPath: '.status.conditions[?(@.type=="Succeeded")].lastTransitionTime',
        },
      ],
    }),
    group: ApiGroup.Resolution,
    categories: ["tekton", "tekton-pipelines"],
  },
  Namespace: core("Namespace", {
    shortNames: ["ns"],
    namespaced: false,
    statusSubresource: true,
    selectableFields: ["status.phase"],
  }),
  ConfigMap: core("ConfigMap", { shortNames: ["cm"] }),
  Secret: core("Secret", { selectableFields: ["type"] }),
  ServiceAccount: core("ServiceAccount", { shortNames: ["sa"] }),
  PersistentVolumeClaim: core("PersistentVolumeClaim", { shortNames: ["pvc"], statusSubresource: true }),
  Event: core("Event", {
    shortNames: ["ev"],
    files: undefined,
    selectableFields: [
      "involvedObject.kind",
      "involvedObject.namespace",
      "involvedObject.name",
      "involvedObject.uid",
      "involvedObject.apiVersion",
      "involvedObject.resourceVersion",
      "involvedObject.fieldPath",
      "reason",
      "reportingComponent",
      "source",
      "type",
    ],
  }),
  Pod: core("Pod", {
    shortNames: ["po"],
    statusSubresource: true,
    files: undefined,
    synthesized: true,
    selectableFields: [
      "spec.nodeName",
      "spec.restartPolicy",
      "spec.schedulerName",
      "spec.serviceAccountName",
      "status.phase",
      "status.podIP",
    ],
  }),
  LimitRange: core("LimitRange", {
    files: DocumentHandling.Ignored,
    served: false,
    note: "LimitRange is ignored: tektite does not apply resource limits",
  }),
} as const satisfies Record<string, KindInfo>;

/** A kind's name in {@link Kinds}. */
export type KnownKind = keyof typeof Kinds;

/** All entries, in registry order. */
export const ALL_KINDS: readonly KindInfo[] = Object.values(Kinds);

/** The entry of a kind, or undefined. */
export function kindInfo(kind: string): KindInfo | undefined {
  return Object.hasOwn(Kinds, kind) ? Kinds[kind as KnownKind] : undefined;
}

/** Whether objects of this kind go through admission. */
export function isAdmitted(kind: string): boolean {
  return kindInfo(kind)?.admitted === true;
}

/** Whether this kind is a run (TaskRun, CustomRun, Run). */
export function isRunKind(kind: string): boolean {
  return kindInfo(kind)?.isRun === true;
}

/** Whether the API serves this kind. */
export function isServed(k: KindInfo): boolean {
  return k.served;
}

/** `tekton.dev/v1`, or `v1` for the core group. */
export function apiVersionString(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

/** The entry for `apiVersion`/`kind` as written in a file, or undefined when that pair is not known. */
export function kindForApiVersion(apiVersion: string, kind: string): KindInfo | undefined {
  const k = kindInfo(kind);
  if (k === undefined) return undefined;
  return k.versions.some((v) => apiVersionString(k.group, v) === apiVersion) ? k : undefined;
}

/** The apiVersions a kind is known in (`tekton.dev/v1`, `tekton.dev/v1beta1`). */
export function apiVersionsOf(k: KindInfo): string[] {
  return k.versions.map((v) => apiVersionString(k.group, v));
}
