/** The login page: the server's bearer token in a password field, checked against the API. */
import { useState } from "preact/hooks";
import { logIn } from "./session.js";

export function Login(props: { onLoggedIn: (token: string) => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <main class="login">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          try {
            const trimmed = token.trim();
            if (await logIn(trimmed)) props.onLoggedIn(trimmed);
            else setError("The server did not accept this token.");
          } catch (err) {
            setError(`Cannot reach the server: ${err instanceof Error ? err.message : String(err)}`);
          } finally {
            setBusy(false);
          }
        }}
      >
        <h1>tektite</h1>
        <p>
          Paste the server's token: <code>tektite dashboard --print-token</code> prints it, and it is kept in
          the <code>token</code> file in the data directory.
        </p>
        <label>
          Token
          <input
            type="password"
            name="token"
            autoComplete="current-password"
            autoFocus
            required
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        {error !== undefined ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
