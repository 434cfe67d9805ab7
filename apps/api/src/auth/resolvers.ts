import type { ApiContext, Role } from "../context.ts";
import { actorOf } from "../context.ts";
import { callerOf } from "../resolver-kit.ts";
import {
  SESSION_COOKIE,
  createApiToken,
  createUser,
  listApiTokens,
  listUsers,
  login,
  logout,
  revokeApiToken,
  setUserRole,
} from "@gridfill/core/auth/service.ts";

export const authResolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: ApiContext) =>
      ctx.caller ? ctx.loaders.user.load(ctx.caller.id) : null,
    users: (_: unknown, __: unknown, ctx: ApiContext) => listUsers(ctx.prisma),
    apiTokens: (_: unknown, __: unknown, ctx: ApiContext) =>
      listApiTokens(ctx.prisma, callerOf(ctx)),
  },
  Mutation: {
    async login(_: unknown, args: { email: string; password: string }, ctx: ApiContext) {
      const result = await login(
        ctx.prisma,
        {
          email: args.email,
          password: args.password,
          sessionTtlHours: ctx.config.sessionTtlHours,
          clientAddress: ctx.clientAddress,
        },
        ctx.loginLimiter,
      );
      ctx.res?.cookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: "lax",
        secure: ctx.config.cookieSecure,
        path: "/",
        expires: result.expiresAt,
      });
      return { user: result.user, sessionToken: result.token, expiresAt: result.expiresAt };
    },
    async logout(_: unknown, __: unknown, ctx: ApiContext) {
      const ended = await logout(ctx.prisma, ctx.caller);
      ctx.res?.clearCookie(SESSION_COOKIE, {
        httpOnly: true,
        sameSite: "lax",
        secure: ctx.config.cookieSecure,
        path: "/",
      });
      return ended;
    },
    createApiToken: (
      _: unknown,
      args: { name: string; expiresInDays?: number | null },
      ctx: ApiContext,
    ) => createApiToken(ctx.prisma, callerOf(ctx), args),
    revokeApiToken: (_: unknown, args: { id: string }, ctx: ApiContext) =>
      revokeApiToken(ctx.prisma, callerOf(ctx), args.id),
    createUser: (
      _: unknown,
      args: { input: { email: string; name: string; password: string; role: Role } },
      ctx: ApiContext,
    ) => createUser(ctx.prisma, args.input, actorOf(ctx.caller)),
    setUserRole: (_: unknown, args: { userId: string; role: Role }, ctx: ApiContext) =>
      setUserRole(ctx.prisma, callerOf(ctx), args.userId, args.role),
  },
};
