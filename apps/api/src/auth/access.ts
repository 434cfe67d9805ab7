// Central access control: every root field declares @auth(requires: ROLE) or @public in the SDL,
// and an operation is checked against those declarations before anything executes. A root field
// without a declaration is refused (fail closed).
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from "graphql";
import type { Caller, Role } from "../context.ts";
import { hasRole } from "../context.ts";
import { requestError } from "../errors.ts";

export type AccessRule =
  { kind: "public" } | { kind: "role"; role: Role } | { kind: "missing" } | { kind: "conflicting" };

/** The access rule each root field declares, read from the SDL directives. */
export function accessRules(schema: GraphQLSchema): Map<string, AccessRule> {
  const rules = new Map<string, AccessRule>();
  for (const root of [
    schema.getQueryType(),
    schema.getMutationType(),
    schema.getSubscriptionType(),
  ]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const directives = field.astNode?.directives ?? [];
      const isPublic = directives.filter((d) => d.name.value === "public");
      const auth = directives.filter((d) => d.name.value === "auth");
      let rule: AccessRule;
      if (isPublic.length + auth.length === 0) rule = { kind: "missing" };
      else if (isPublic.length + auth.length > 1) rule = { kind: "conflicting" };
      else if (isPublic.length) rule = { kind: "public" };
      else {
        const arg = auth[0]!.arguments?.find((a) => a.name.value === "requires");
        const role = (arg ? valueFromASTUntyped(arg.value) : "VIEWER") as Role;
        rule = { kind: "role", role };
      }
      rules.set(`${root.name}.${field.name}`, rule);
    }
  }
  return rules;
}

/** Root field names an operation selects, through fragments (directives like @skip are ignored: checked anyway). */
export function rootFieldNames(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return [...names];
}

function rootTypeName(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): string | undefined {
  const root: GraphQLObjectType | null | undefined = schema.getRootType(operation.operation);
  return root?.name;
}

/**
 * Throws UNAUTHENTICATED or FORBIDDEN when the caller may not run every root field of the operation.
 * Introspection fields (`__schema`, `__typename`) are open.
 */
export function assertOperationAllowed(
  schema: GraphQLSchema,
  rules: Map<string, AccessRule>,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  caller: Caller | null,
): void {
  const root = rootTypeName(schema, operation);
  if (!root) return;
  let needsSignIn = false;
  const denied: string[] = [];
  for (const name of rootFieldNames(document, operation)) {
    if (name.startsWith("__")) continue;
    const rule = rules.get(`${root}.${name}`) ?? { kind: "missing" };
    if (rule.kind === "public") continue;
    if (rule.kind !== "role") {
      denied.push(name);
      continue;
    }
    if (!caller) needsSignIn = true;
    else if (!hasRole(caller.role, rule.role)) denied.push(name);
  }
  if (needsSignIn) throw requestError("UNAUTHENTICATED", "sign in first");
  if (denied.length)
    throw requestError("FORBIDDEN", `your role may not call: ${denied.join(", ")}`);
}
