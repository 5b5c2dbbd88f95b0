/**
 * The dashboard: the login page until a token is accepted, then the navigation, the namespace
 * selector and the routed page.
 */
import { useMemo, useState } from "preact/hooks";
import type { Namespace } from "../../api/types.js";
import { ALL_KINDS, kindByPlural } from "../model/kinds.js";
import { ApiClient } from "./api.js";
import { CreatePage } from "./CreatePage.js";
import { useLiveList } from "./hooks.js";
import { ListPage } from "./ListPage.js";
import { Login } from "./Login.js";
import { RunPage } from "./RunPage.js";
import { hrefOf, useRoute } from "./route.js";
import {
  ALL_NAMESPACES,
  SessionContext,
  logOut,
  saveNamespace,
  savedNamespace,
  savedToken,
  useSession,
} from "./session.js";

function NamespaceSelect() {
  const { api, namespace, setNamespace } = useSession();
  const list = useLiveList<Namespace>(api, "/api/v1/namespaces");
  const names = list.items.map((n) => n.metadata.name ?? "").sort();
  if (namespace !== ALL_NAMESPACES && !names.includes(namespace)) names.unshift(namespace);
  return (
    <label class="ns">
      <span class="sr-only">Namespace</span>
      <select name="namespace" value={namespace} onChange={(e) => setNamespace(e.currentTarget.value)}>
        <option value={ALL_NAMESPACES}>All namespaces</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

function Page() {
  const route = useRoute();
  switch (route.page) {
    case "create":
      return <CreatePage />;
    case "list":
    case "run":
    case "edit": {
      const kind = kindByPlural(route.plural);
      if (kind === undefined) return <p class="error">Unknown page “{route.plural}”.</p>;
      if (route.page === "list") return <ListPage key={kind.plural} kind={kind} />;
      if (route.page === "edit")
        return (
          <CreatePage
            key={`${route.namespace}/${route.name}`}
            from={{ kind, namespace: route.namespace, name: route.name }}
          />
        );
      return (
        <RunPage
          key={`${kind.plural}/${route.namespace}/${route.name}`}
          kind={kind}
          namespace={route.namespace}
          name={route.name}
        />
      );
    }
    case "login":
      return <ListPage kind={ALL_KINDS[1]!} />;
  }
}

function Nav() {
  const route = useRoute();
  const current = route.page === "create" || route.page === "login" ? undefined : route.plural;
  return (
    <nav aria-label="Kinds">
      <ul>
        {ALL_KINDS.map((k) => (
          <li key={k.plural}>
            <a
              href={hrefOf({ page: "list", plural: k.plural })}
              aria-current={current === k.plural ? "page" : undefined}
            >
              {k.title}
            </a>
          </li>
        ))}
        <li>
          <a href={hrefOf({ page: "create" })} aria-current={route.page === "create" ? "page" : undefined}>
            Create
          </a>
        </li>
      </ul>
    </nav>
  );
}

/** The whole application. */
export function App() {
  const [token, setToken] = useState(savedToken);
  const [namespace, setNs] = useState(savedNamespace);
  const session = useMemo(
    () =>
      token === undefined
        ? undefined
        : {
            api: new ApiClient(token),
            namespace,
            setNamespace: (ns: string) => {
              saveNamespace(ns);
              setNs(ns);
            },
          },
    [token, namespace],
  );
  if (session === undefined) return <Login onLoggedIn={setToken} />;
  return (
    <SessionContext.Provider value={session}>
      <header class="top">
        <a class="brand" href="#/taskruns">
          tektite
        </a>
        <Nav />
        <NamespaceSelect />
        <button
          type="button"
          class="link"
          onClick={() => {
            logOut();
            setToken(undefined);
          }}
        >
          Log out
        </button>
      </header>
      <main class="content">
        <Page />
      </main>
    </SessionContext.Provider>
  );
}
