// `gridfill review`: accepts or rejects every pending image of a fill request, in batches of the
// API's review limit, so scripts can take a fill into the balance without the console.
import { ApiError, type ApiClient } from "../api-client.ts";

export type ReviewOptions = {
  request: string;
  acceptAll?: boolean;
  rejectAll?: boolean;
  json?: boolean;
};

/** Images one reviewImages call takes at most (MAX_REVIEW_BATCH). */
const BATCH = 500;

export async function runReview(
  client: ApiClient,
  opts: ReviewOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<{ requestId: string; decision: string; changed: number }> {
  if (Boolean(opts.acceptAll) === Boolean(opts.rejectAll))
    throw new ApiError("give either --accept-all or --reject-all", "BAD_USER_INPUT");
  const decision = opts.acceptAll ? "ACCEPT" : "REJECT";
  let changed = 0;
  for (;;) {
    const found = await client.request<{ fillRequest: { images: { id: string }[] } | null }>(
      `query CliPending($id: ID!, $first: Int) { fillRequest(id: $id) { images(first: $first, reviewState: PENDING) { id } } }`,
      { id: opts.request, first: BATCH },
    );
    if (!found.fillRequest)
      throw new ApiError(`no fill request with id "${opts.request}"`, "NOT_FOUND");
    const ids = found.fillRequest.images.map((i) => i.id);
    if (ids.length === 0) break;
    const reviewed = await client.request<{ reviewImages: { changed: number } }>(
      `mutation CliReview($ids: [ID!]!, $decision: ReviewDecision!) { reviewImages(imageIds: $ids, decision: $decision) { changed } }`,
      { ids, decision },
    );
    changed += reviewed.reviewImages.changed;
    if (reviewed.reviewImages.changed === 0) break;
  }
  const result = { requestId: opts.request, decision, changed };
  out.write(
    opts.json
      ? JSON.stringify(result, null, 2) + "\n"
      : `${changed} image(s) ${decision === "ACCEPT" ? "accepted" : "rejected"}\n`,
  );
  return result;
}
