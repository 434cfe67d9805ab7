"use client";

import { createContext, useContext, useEffect, type ReactNode } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useQuery } from "../graphql/useQuery";
import { ME, type User } from "./auth.graphql";
import { LoadError, Spinner } from "../ui/states";

const SessionContext = createContext<User | null>(null);

/** The signed-in user; only rendered inside <RequireSession>, so never null there. */
export function useSessionUser(): User {
  const user = useContext(SessionContext);
  if (!user) throw new Error("useSessionUser outside <RequireSession>");
  return user;
}

/**
 * Guards the console: asks the API who the caller is (`me`) and sends anyone signed out to the
 * login page, remembering where they were going.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { data, error, loading, refetch } = useQuery(ME, {});
  const router = useRouter();
  const pathname = usePathname();
  const signedOut = data !== undefined && data.me === null;

  useEffect(() => {
    if (!signedOut) return;
    const next = pathname + window.location.search;
    router.replace(`/login?next=${encodeURIComponent(next)}`);
  }, [signedOut, pathname, router]);

  if (error && !data) {
    return (
      <main className="page">
        <LoadError error={error} onRetry={() => void refetch()} />
      </main>
    );
  }
  if (loading && !data) return <Spinner label="Checking your session…" />;
  if (!data?.me) return <Spinner label="Redirecting to sign in…" />;
  return <SessionContext.Provider value={data.me}>{children}</SessionContext.Provider>;
}
