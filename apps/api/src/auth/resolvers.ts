import type { Resolvers } from "../generated/graphql.ts";
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
    me: (_, __, ctx) => (ctx.caller ? ctx.loaders.user.load(ctx.caller.id) : null),
    users: (_, __, ctx) => listUsers(ctx.prisma),
    apiTokens: (_, __, ctx) => listApiTokens(ctx.prisma, callerOf(ctx)),
  },
  Mutation: {
    async login(_, args, ctx) {
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
    async logout(_, __, ctx) {
      const ended = await logout(ctx.prisma, ctx.caller);
      ctx.res?.clearCookie(SESSION_COOKIE, {
        httpOnly: true,
        sameSite: "lax",
        secure: ctx.config.cookieSecure,
        path: "/",
      });
      return ended;
    },
    createApiToken: (_, args, ctx) => createApiToken(ctx.prisma, callerOf(ctx), args),
    revokeApiToken: (_, args, ctx) => revokeApiToken(ctx.prisma, callerOf(ctx), args.id),
    createUser: (_, args, ctx) => createUser(ctx.prisma, args.input, actorOf(ctx.caller)),
    setUserRole: (_, args, ctx) => setUserRole(ctx.prisma, callerOf(ctx), args.userId, args.role),
  },
} satisfies Resolvers;
