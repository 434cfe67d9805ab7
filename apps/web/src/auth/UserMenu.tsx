"use client";

import { useState } from "react";
import { gql } from "../graphql/client";
import { LOGOUT } from "./auth.graphql";
import { useSessionUser } from "./session";
import { titleCase } from "../ui/format";

export function UserMenu() {
  const user = useSessionUser();
  const [busy, setBusy] = useState(false);

  async function logout() {
    setBusy(true);
    try {
      await gql(LOGOUT, {});
    } finally {
      // A full navigation drops every cached query along with the session.
      window.location.assign("/login");
    }
  }

  return (
    <div className="user-menu" data-testid="current-user">
      <span className="user-menu__name" title={user.email}>
        {user.name || user.email}
      </span>
      <span className="role-badge">{titleCase(user.role)}</span>
      <button
        type="button"
        className="button button--ghost"
        onClick={logout}
        disabled={busy}
        data-testid="logout-button"
      >
        Sign out
      </button>
    </div>
  );
}
