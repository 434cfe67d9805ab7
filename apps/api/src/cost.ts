// Query cost: an object field costs its @cost weight (1 by default) plus the cost of its selection;
// a scalar field costs its @cost weight if it has one (URLs, counts), else nothing. A paginated
// field multiplies its selection's cost by the page size it asks for (`first`), computed with the
// request's variables so `first: $n` is priced at the real n; other lists count as LIST_SIZE items.
import {
  Kind,
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** Assumed length of a list without `first` (an image's boxes, a dataset's classes). */
export const LIST_SIZE = 10;

function weightOf(field: GraphQLField<unknown, unknown>): number {
  const cost = field.astNode?.directives?.find((d) => d.name.value === "cost");
  const weight = cost?.arguments?.find((a) => a.name.value === "weight");
  if (weight && weight.value.kind === Kind.INT) return Number(weight.value.value);
  return isLeafType(getNamedType(field.type)) ? 0 : 1;
}

function isListField(field: GraphQLField<unknown, unknown>): boolean {
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  return isListType(type);
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  maxPageSize: number,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  const costOf = (set: SelectionSetNode, parent: GraphQLNamedType): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        if (on) total += costOf(selection.selectionSet, on);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && on) total += costOf(fragment.selectionSet, on);
        continue;
      }
      if (selection.name.value.startsWith("__")) continue;
      // Abstract types: price the selection against the type itself (fields common to all).
      if (!isObjectType(parent) && !isAbstractType(parent)) continue;
      const field =
        "getFields" in parent
          ? (parent.getFields() as Record<string, GraphQLField<unknown, unknown>>)[
              selection.name.value
            ]
          : undefined;
      if (!field) continue;
      let multiplier = 1;
      const firstArg = field.args.find((a) => a.name === "first");
      if (firstArg) {
        const node = selection.arguments?.find((a) => a.name.value === "first");
        const value = node
          ? valueFromAST(node.value, firstArg.type, variables)
          : firstArg.defaultValue;
        multiplier = typeof value === "number" && value > 0 ? Math.min(value, maxPageSize) : 1;
      } else if (isListField(field) && !parent.name.endsWith("Connection")) {
        // A connection's edges are already priced by its `first`.
        multiplier = LIST_SIZE;
      }
      const child = selection.selectionSet
        ? costOf(selection.selectionSet, getNamedType(field.type))
        : 0;
      total += weightOf(field) + multiplier * child;
    }
    return total;
  };

  const root = schema.getRootType(operation.operation);
  return root ? costOf(operation.selectionSet, root) : 0;
}
