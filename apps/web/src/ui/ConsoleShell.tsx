"use client";

import type { ReactNode } from "react";
import Link from "next/link";
import { RequireSession } from "../auth/session";
import { UserMenu } from "../auth/UserMenu";
import { Logo } from "./Logo";

export function ConsoleShell({ children }: { children: ReactNode }) {
  return (
    <RequireSession>
      <header className="app-header">
        <Link href="/datasets" className="app-header__brand" aria-label="gridfill datasets">
          <Logo />
        </Link>
        <nav className="app-header__nav" aria-label="Main">
          <Link href="/datasets">Datasets</Link>
          <Link href="/devices">Devices</Link>
          <Link href="/models">Models</Link>
        </nav>
        <UserMenu />
      </header>
      {children}
    </RequireSession>
  );
}
