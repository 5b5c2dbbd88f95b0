/**
 * Hash routes (`#/taskruns`, `#/taskruns/<ns>/<name>`, `#/create`): the page is chosen in the
 * browser, so the server serves one `index.html`, and no token or query ever reaches its logs.
 *
 * @module
 */

import { useEffect, useState } from "preact/hooks";

/** A page of the dashboard. */
export type Route =
  | { page: "login" }
  | { page: "list"; plural: string }
  | { page: "run"; plural: string; namespace: string; name: string }
  | { page: "edit"; plural: string; namespace: string; name: string }
  | { page: "create" };

/** Parses `location.hash`. */
export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter((p) => p !== "")
    .map((p) => decodeURIComponent(p));
  const [first, namespace, name, extra] = parts;
  if (first === undefined) return { page: "list", plural: "taskruns" };
  if (first === "login") return { page: "login" };
  if (first === "create") return { page: "create" };
  if (namespace !== undefined && name !== undefined)
    return extra === "edit"
      ? { page: "edit", plural: first, namespace, name }
      : { page: "run", plural: first, namespace, name };
  return { page: "list", plural: first };
}

/** The hash of a route. */
export function hrefOf(route: Route): string {
  const e = encodeURIComponent;
  switch (route.page) {
    case "login":
      return "#/login";
    case "create":
      return "#/create";
    case "list":
      return `#/${route.plural}`;
    case "run":
      return `#/${route.plural}/${e(route.namespace)}/${e(route.name)}`;
    case "edit":
      return `#/${route.plural}/${e(route.namespace)}/${e(route.name)}/edit`;
  }
}

/** Goes to a route. */
export function navigate(route: Route): void {
  location.hash = hrefOf(route);
}

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}
