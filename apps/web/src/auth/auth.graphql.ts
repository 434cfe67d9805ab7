import { operation } from "../graphql/client";

export type Role = "VIEWER" | "CURATOR" | "ADMIN";

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
}

const USER_FIELDS = `id email name role`;

export const ME = operation<{ me: User | null }>(`
  query Me { me { ${USER_FIELDS} } }
`);

export const LOGIN = operation<
  { login: { user: User; expiresAt: string } },
  { email: string; password: string }
>(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { user { ${USER_FIELDS} } expiresAt }
  }
`);

export const LOGOUT = operation<{ logout: boolean }>(`
  mutation Logout { logout }
`);

const RANK: Record<Role, number> = { VIEWER: 0, CURATOR: 1, ADMIN: 2 };

/** Whether the user may do what the API reserves for `required` (the UI hides, the API decides). */
export function hasRole(user: User | null | undefined, required: Role): boolean {
  return !!user && RANK[user.role] >= RANK[required];
}
