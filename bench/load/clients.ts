// Closed-loop clients: each sends its next request when the previous one has answered, alternating
// `balance` and a 50-image page of `images` (as the console's dataset overview and grid ask them).
export interface LoadOptions {
  url: string;
  cookie: string;
  datasetId: string;
  clients: number;
  seconds: number;
  /** Ask for each image's presigned thumbnail URL, as the grid does. */
  thumbnails: boolean;
}

export interface LoadResult {
  clients: number;
  seconds: number;
  requests: number;
  perSecond: number;
  errors: number;
  firstError: string | undefined;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

const BALANCE = `query Balance($datasetId: ID!) {
  balance(datasetId: $datasetId) {
    unit total imbalanceRatio normalizedEntropy
    classes { defectClass { id name title color } counted share images boxes real syntheticAccepted syntheticPending }
  }
}`;

const imagesQuery = (thumbnails: boolean) => `query Images($datasetId: ID!, $first: Int) {
  images(datasetId: $datasetId, first: $first) {
    edges { cursor node { id filename width height split origin reviewState tags capturedAt ${thumbnails ? "thumbnailUrl" : ""} annotations { id defectClass { id } } } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runClients(options: LoadOptions): Promise<LoadResult> {
  const bodies = [
    JSON.stringify({ query: BALANCE, variables: { datasetId: options.datasetId } }),
    JSON.stringify({
      query: imagesQuery(options.thumbnails),
      variables: { datasetId: options.datasetId, first: 50 },
    }),
  ];
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;

  const client = async (index: number) => {
    for (let turn = index; performance.now() < deadline; turn++) {
      const sent = performance.now();
      try {
        const response = await fetch(options.url, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: options.cookie },
          body: bodies[turn % 2],
        });
        const body = (await response.json()) as { errors?: { message: string }[] };
        if (response.status !== 200 || body.errors?.length) {
          errors++;
          firstError ??= `${response.status} ${body.errors?.[0]?.message ?? ""}`;
        }
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    clients: options.clients,
    seconds: elapsed,
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    errors,
    firstError,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
  };
}

export type Operation = "balance" | "images" | "images-no-thumbnails";

/** One client, one operation after another: where a single request's time goes. */
export async function sequentialLatency(
  url: string,
  cookie: string,
  datasetId: string,
  operation: Operation,
  calls: number,
): Promise<{ p50Ms: number; p95Ms: number; meanMs: number }> {
  const body =
    operation === "balance"
      ? JSON.stringify({ query: BALANCE, variables: { datasetId } })
      : JSON.stringify({
          query: imagesQuery(operation === "images"),
          variables: { datasetId, first: 50 },
        });
  const latencies: number[] = [];
  for (let i = 0; i < calls; i++) {
    const sent = performance.now();
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body,
    });
    const result = (await response.json()) as { errors?: unknown[] };
    if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
    latencies.push(performance.now() - sent);
  }
  const sorted = latencies.sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}
