// Sign-in, sessions, API tokens and the first administrator, over HTTP against a real database.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startTestApi, errorCode, TEST_PASSWORD, type TestApi } from "../testing/harness.ts";
import { createUser, ensureAdmin } from "@gridfill/core/auth/service.ts";
import { sha256Hex } from "@gridfill/core/auth/credentials.ts";

let t: TestApi;
before(async () => {
  t = await startTestApi();
});
after(async () => {
  await t.close();
});

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { sessionToken expiresAt user { email role } } }`;

async function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${t.api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

test("login sets an httpOnly SameSite=Lax session cookie, stores only its hash, and logout ends it", async () => {
  const response = await post({
    query: LOGIN,
    variables: { e: "Curator@Test.Gridfill.Local ", p: TEST_PASSWORD },
  });
  const body = (await response.json()) as {
    data: { login: { sessionToken: string; user: { role: string } } };
  };
  assert.equal(body.data.login.user.role, "CURATOR");
  const token = body.data.login.sessionToken;
  const cookie = response.headers.get("set-cookie") ?? "";
  assert.match(cookie, /^gridfill_session=/);
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  assert.doesNotMatch(cookie, /Secure/i);
  assert.ok(cookie.includes(token));

  const stored = await t.db.prisma.session.findMany({
    where: { user: { email: "curator@test.gridfill.local" } },
  });
  assert.equal(stored.length, 1);
  assert.equal(stored[0]!.tokenHash, sha256Hex(token));
  assert.ok(!JSON.stringify(stored).includes(token), "the token itself is never stored");

  const sessionCookie = cookie.split(";")[0]!;
  const me = await (await post({ query: `{ me { email } }` }, { cookie: sessionCookie })).json();
  assert.deepEqual(me, { data: { me: { email: "curator@test.gridfill.local" } } });
  // Scripts that logged in send the same token as a bearer token.
  assert.equal(
    (await t.gql<{ me: { email: string } }>(`{ me { email } }`, {}, token)).data!.me.email,
    "curator@test.gridfill.local",
  );

  const out = await post({ query: `mutation { logout }` }, { cookie: sessionCookie });
  assert.deepEqual(await out.json(), { data: { logout: true } });
  assert.match(out.headers.get("set-cookie") ?? "", /gridfill_session=;/);
  assert.equal(await t.db.prisma.session.count({ where: { tokenHash: sha256Hex(token) } }), 0);
  const after = await (await post({ query: `{ me { email } }` }, { cookie: sessionCookie })).json();
  assert.deepEqual(after, { data: { me: null } });
});

test("unknown email and wrong password fail with the same message", async () => {
  const wrong = await t.gql(LOGIN, { e: "viewer@test.gridfill.local", p: "not the password" });
  const unknown = await t.gql(LOGIN, { e: "nobody@test.gridfill.local", p: "not the password" });
  assert.equal(errorCode(wrong), "UNAUTHENTICATED");
  assert.equal(wrong.errors![0]!.message, "invalid email or password");
  assert.equal(unknown.errors![0]!.message, wrong.errors![0]!.message);
});

test("repeated failures for one email are rate limited, even with the right password", async () => {
  const email = "limited@test.gridfill.local";
  await createUser(
    t.db.prisma,
    { email, name: "L", password: TEST_PASSWORD, role: "VIEWER" },
    null,
  );
  for (let i = 0; i < 10; i++)
    assert.equal(errorCode(await t.gql(LOGIN, { e: email, p: `wrong ${i}` })), "UNAUTHENTICATED");
  const blocked = await t.gql(LOGIN, { e: email, p: TEST_PASSWORD });
  assert.equal(errorCode(blocked), "RATE_LIMITED");
});

test("API tokens: gf_ prefix, hash stored, bearer accepted; revoked and expired ones refused", async () => {
  const created = await t.gql<{
    createApiToken: { token: string; apiToken: { id: string; prefix: string } };
  }>(
    `mutation { createApiToken(name: "ci", expiresInDays: 30) { token apiToken { id prefix } } }`,
    {},
    t.users.VIEWER,
  );
  const { token, apiToken } = created.data!.createApiToken;
  assert.match(token, /^gf_[A-Za-z0-9_-]{43}$/);
  assert.ok(token.startsWith(apiToken.prefix));
  const row = await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
  assert.equal(row.tokenHash, sha256Hex(token));

  const datasets = `{ datasets { edges { node { id } } } }`;
  assert.equal((await t.gql(datasets, {}, token)).errors, undefined);

  await t.db.prisma.apiToken.update({
    where: { id: apiToken.id },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });
  assert.equal(errorCode(await t.gql(datasets, {}, token)), "UNAUTHENTICATED");
  await t.db.prisma.apiToken.update({ where: { id: apiToken.id }, data: { expiresAt: null } });
  assert.equal((await t.gql(datasets, {}, token)).errors, undefined);

  const revoked = await t.gql<{ revokeApiToken: { revokedAt: string } }>(
    `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`,
    { id: apiToken.id },
    token,
  );
  assert.ok(revoked.data!.revokeApiToken.revokedAt);
  assert.equal(errorCode(await t.gql(datasets, {}, token)), "UNAUTHENTICATED");
  assert.equal(errorCode(await t.gql(datasets, {}, "gf_forged")), "UNAUTHENTICATED");
  // Someone else's token is invisible to a non-admin.
  const other = await t.gql(
    `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`,
    { id: apiToken.id },
    t.users.CURATOR,
  );
  assert.equal(errorCode(other), "NOT_FOUND");
});

test("ensureAdmin creates the first administrator once and never changes an existing user", async () => {
  const first = await ensureAdmin(t.db.prisma, "Boss@Example.com", "first password", "Boss");
  assert.equal(first.created, true);
  assert.equal(first.user.role, "ADMIN");
  const again = await ensureAdmin(t.db.prisma, "boss@example.com", "another password");
  assert.equal(again.created, false);
  assert.equal(again.user.passwordHash, first.user.passwordHash);
  assert.match(first.user.passwordHash, /^\$argon2id\$/);
  const viewer = await ensureAdmin(t.db.prisma, "viewer@test.gridfill.local", "whatever password");
  assert.equal(viewer.created, false);
  assert.equal(viewer.user.role, "VIEWER");
});

test("createUser refuses a taken email and a short password", async () => {
  await assert.rejects(
    createUser(
      t.db.prisma,
      { email: "viewer@test.gridfill.local", name: "x", password: "long enough pw" },
      null,
    ),
    { code: "CONFLICT" },
  );
  await assert.rejects(
    createUser(
      t.db.prisma,
      { email: "new@test.gridfill.local", name: "x", password: "short" },
      null,
    ),
    { code: "BAD_USER_INPUT" },
  );
  const made = await t.gql<{ createUser: { role: string } }>(
    `mutation { createUser(input: { email: "made@test.gridfill.local", name: "Made", password: "long enough pw", role: CURATOR }) { role } }`,
    {},
    t.users.ADMIN,
  );
  assert.equal(made.data!.createUser.role, "CURATOR");
});

test("createUser refuses common, repetitive and self-describing passwords, and writes nothing", async () => {
  const CREATE = `mutation($email: String!, $password: String!) { createUser(input: { email: $email, name: "Weak", password: $password, role: VIEWER }) { id } }`;
  for (const password of [
    "aaaaaaaaaaaa",
    "password1234",
    "qwertyuiop12",
    "abcdefghijkl",
    "123412341234",
    "weak@test.gridfill.local",
  ]) {
    const result = await t.gql(
      CREATE,
      { email: "weak@test.gridfill.local", password },
      t.users.ADMIN,
    );
    assert.equal(errorCode(result), "BAD_USER_INPUT", password);
    assert.match(result.errors![0]!.message, /too easy to guess/, password);
  }
  assert.equal(await t.db.prisma.user.count({ where: { email: "weak@test.gridfill.local" } }), 0);
  assert.equal(
    await t.db.prisma.auditEvent.count({
      where: {
        action: "user.create",
        details: { path: ["email"], equals: "weak@test.gridfill.local" },
      },
    }),
    0,
  );
});

test("the last administrator cannot be demoted", async () => {
  const admins = await t.db.prisma.user.findMany({ where: { role: "ADMIN" } });
  for (const admin of admins.filter((a) => a.id !== t.users.ADMIN.id)) {
    await t.db.prisma.user.update({ where: { id: admin.id }, data: { role: "VIEWER" } });
  }
  const result = await t.gql(
    `mutation($id: ID!) { setUserRole(userId: $id, role: VIEWER) { id } }`,
    { id: t.users.ADMIN.id },
    t.users.ADMIN,
  );
  assert.equal(errorCode(result), "CONFLICT");
});
