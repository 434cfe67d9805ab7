import type { ReactNode } from "react";
import { EmptyState, LoadError, Spinner } from "./states";

interface QueryViewProps<T> {
  /** The last load's error; null or undefined when it did not fail. */
  error: unknown;
  /** What was loaded; undefined until the first answer. */
  data: T | undefined;
  /** Offered with the error ("Try again"). */
  onRetry?: () => unknown;
  /** The spinner's words while the first load runs. */
  loading?: string;
  /** A failed refresh leaves the data already on screen (and says nothing) instead of the error. */
  keepDataOnError?: boolean;
  /** When the data is there but has nothing to show… */
  isEmpty?: (data: T) => boolean;
  /** …this is shown instead (usually an EmptyState saying what to do). */
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/**
 * The four states of anything loaded, in one place (like a RedwoodJS Cell): the error with a
 * retry, a spinner until the first answer, the empty state, then the data. By default a failed
 * refresh shows its error even over data already on screen, so nobody reads stale numbers unawares.
 */
export function QueryView<T>({
  error,
  data,
  onRetry,
  loading = "Loading…",
  keepDataOnError,
  isEmpty,
  empty,
  children,
}: QueryViewProps<T>) {
  if (error != null && !(keepDataOnError && data !== undefined))
    return <LoadError error={error} onRetry={onRetry && (() => void onRetry())} />;
  if (data === undefined) return <Spinner label={loading} />;
  if (isEmpty?.(data)) return <>{empty ?? <EmptyState title="Nothing here yet" />}</>;
  return <>{children(data)}</>;
}
