"use client";

import { useState, type FormEvent } from "react";
import { useRouter, useSearchParams } from "next/navigation";
import { errorCode, errorMessage, gql } from "../graphql/client";
import { LOGIN } from "./auth.graphql";
import { ErrorBanner } from "../ui/Dialog";
import { Field } from "../ui/Field";

/** Only same-origin paths: `next` comes from the URL, so never follow it off-site. */
function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/login"))
    return "/datasets";
  return raw;
}

export function LoginForm() {
  const router = useRouter();
  const searchParams = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await gql(LOGIN, { email: email.trim(), password }, { redirectOnUnauthenticated: false });
      router.replace(safeNext(searchParams.get("next")));
    } catch (caught) {
      const code = errorCode(caught);
      setError(
        code === "UNAUTHENTICATED" || code === "BAD_USER_INPUT"
          ? "Wrong email or password."
          : errorMessage(caught),
      );
      setBusy(false);
    }
  }

  return (
    <form className="login-form" onSubmit={submit} data-testid="login-form" aria-label="Sign in">
      <Field label="Email">
        <input
          type="email"
          name="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          data-testid="login-email"
        />
      </Field>
      <Field label="Password">
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          data-testid="login-password"
        />
      </Field>
      {error && <ErrorBanner message={error} />}
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={busy}
        data-testid="login-submit"
      >
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
