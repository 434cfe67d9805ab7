// DateTime travels as an ISO-8601 string; JSON as any JSON value.
import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from "graphql";

function toDate(value: unknown): Date {
  if (typeof value !== "string") throw new GraphQLError("DateTime must be an ISO-8601 string");
  // Date-only or full timestamps with an offset; a bare local time would be ambiguous.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(value)) {
    throw new GraphQLError(
      `DateTime must be ISO-8601 with a time zone, e.g. 2025-05-01T08:30:00Z; got "${value}"`,
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new GraphQLError(`invalid DateTime "${value}"`);
  return date;
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An instant, as an ISO-8601 string in UTC.",
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new GraphQLError("invalid DateTime value");
    return date.toISOString();
  },
  parseValue: toDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError("DateTime must be a string");
    return toDate(ast.value);
  },
});

export const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  description: "Any JSON value.",
  serialize: (value) => (typeof value === "bigint" ? value.toString() : value),
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
