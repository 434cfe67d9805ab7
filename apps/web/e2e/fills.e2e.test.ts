/**
 * Synthetic fills end to end, in a real browser against a running platform with the demo dataset
 * and an active model: on "demo-insulators", preview 4 composites of the rarest class that can be
 * filled from its Fill button, then request 8 → watch the request reach 8/8 on the fills page → in the review queue
 * accept 5 and reject 3 with the keyboard (after undoing a first rejection with U) → the class's
 * balance count grew by exactly 5, and an accepted image's lineage panel shows its 3 references;
 * then 2 more with seed 42, rejected at once (Space to select, Shift+R).
 *
 *   GRIDFILL_E2E_URL=http://127.0.0.1:3000 GRIDFILL_E2E_EMAIL=… GRIDFILL_E2E_PASSWORD=… \
 *     node --import tsx --test apps/web/e2e/fills.e2e.test.ts
 *
 * A platform started without the demo seed (as `npm test -- e2e` does) gets a small dataset of its
 * own and, when no model is active, the demo generator (fill-fixture.ts). Skips (with the reason)
 * when Chromium or GRIDFILL_E2E_URL is missing. Screenshots go to test-results/ at the repository root; with GRIDFILL_E2E_DOCS=1 the
 * review queue is also written to docs/review.png.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { BASE_URL, RESULTS, inConsole, pageGql, signIn, skipReason } from "./browser.ts";
import { createFillDataset, ensureActiveModel } from "./fill-fixture.ts";

const DEMO = "demo-insulators";
const COUNT = 8;
const ACCEPT = 5;
const REJECT = COUNT - ACCEPT;
const DOCS_REVIEW = path.resolve(import.meta.dirname, "../../../docs/review.png");
/** Generation runs on the CPU, sample by sample. */
const FILL_TIMEOUT = 180_000;

async function attribute(page: Page, selector: string, name: string): Promise<string | null> {
  return page.locator(selector).first().getAttribute(name);
}

/** Waits until the review queue shows `pending` items and has no decision in flight. */
async function waitForQueue(page: Page, pending: number): Promise<void> {
  await page.waitForFunction((expected) => {
    const queue = document.querySelector<HTMLElement>('[data-testid="review-queue"]');
    return (
      queue?.dataset.loaded === "true" &&
      queue.dataset.pending === String(expected) &&
      queue.dataset.saving === "0"
    );
  }, pending);
}

test(
  "fills: request from the overview, live progress, keyboard review, balance and lineage",
  { skip: skipReason(), timeout: 420_000 },
  async (t) => {
    await mkdir(RESULTS, { recursive: true });
    await inConsole("fills", async (opened) => {
      const { page, pageErrors } = opened;

      await page.goto(`${BASE_URL}/login`);
      await signIn(page);

      // The demo dataset when the platform was seeded; otherwise a small one made here, with the
      // demo generator registered as the active model when none is.
      const { datasets } = await pageGql<{
        datasets: { edges: { node: { id: string; name: string } }[] };
      }>(page, `query { datasets(first: 100) { edges { node { id name } } } }`);
      let datasetName = DEMO;
      if (!datasets.edges.some((edge) => edge.node.name === DEMO)) {
        t.diagnostic(`no "${DEMO}" dataset: filling a dataset imported here instead`);
        await ensureActiveModel(page);
        datasetName = await createFillDataset(page);
        await page.reload();
      }

      // The overview: the rarest class the fill plan does not block and whose synthetic share
      // cap leaves room for 8 (the plan "to the largest class" says how many each may take).
      await page
        .locator(`[data-testid="dataset-card"][data-dataset-name="${datasetName}"]`)
        .click();
      await page.waitForURL(/\/datasets\/[^/]+$/);
      const overviewUrl = page.url();
      await page.locator('[data-testid="balance-row"]').first().waitFor();
      await page.locator('[data-testid="fill-plan-row"]').first().waitFor();
      assert.equal(await page.getByTestId("fill-strategy").inputValue(), "TO_MAX");

      // With 10 shots some class has too few real train images: its row says why, Fill is off.
      await page.getByTestId("fill-shots").fill("10");
      const blocked = page.locator('[data-testid="fill-plan-row"][data-blocked="true"]');
      await blocked.first().waitFor();
      for (const row of await blocked.all()) {
        assert.ok(await row.getByTestId("fill-class-blocked").isDisabled());
        assert.match(await row.getByTestId("fill-blocked-reason").innerText(), /Blocked: \S/);
        assert.equal(await row.getByTestId("fill-class").count(), 0);
      }
      await page.getByTestId("fill-shots").fill("3");
      await page.waitForFunction(
        () => !document.querySelector('[data-testid="fill-plan-row"][data-blocked="true"]'),
      );
      const counted = new Map<string, number>();
      for (const row of await page.locator('[data-testid="balance-row"]').all())
        counted.set(
          (await row.getAttribute("data-class"))!,
          Number(await row.getAttribute("data-counted")),
        );
      const plan: { name: string; toGenerate: number; limitedBy: string }[] = [];
      for (const row of await page
        .locator('[data-testid="fill-plan-row"][data-blocked="false"]')
        .all())
        plan.push({
          name: (await row.getAttribute("data-class"))!,
          toGenerate: Number(await row.getAttribute("data-to-generate")),
          limitedBy: (await row.getAttribute("data-limited-by")) ?? "",
        });
      const rarestFirst = plan.sort(
        (a, b) =>
          (counted.get(a.name) ?? 0) - (counted.get(b.name) ?? 0) || a.name.localeCompare(b.name),
      );
      const target = rarestFirst.find((entry) => entry.toGenerate >= COUNT)?.name;
      assert.ok(target, `a class can take ${COUNT} synthetic images: ${JSON.stringify(plan)}`);
      const before = counted.get(target);
      assert.ok(before !== undefined, `${target} has a balance row`);

      const dialog = page.getByTestId("fill-dialog");
      const view: Page = page;
      const openFill = async (name: string) => {
        await view
          .locator(`[data-testid="fill-plan-row"][data-class="${name}"] [data-testid="fill-class"]`)
          .click();
        // The model picker is in the page (hidden while copy-paste is chosen) once models load.
        await dialog.getByTestId("fill-dialog-model").waitFor({ state: "attached" });
      };

      // A rarer class the share cap keeps under 8: the API's refusal shows in the dialog and
      // nothing is queued.
      const capped = rarestFirst[0]!;
      if (capped.name !== target && capped.limitedBy === "SYNTHETIC_SHARE_CAP") {
        await openFill(capped.name);
        assert.equal(
          await dialog.getByTestId("fill-dialog-count").inputValue(),
          String(capped.toGenerate),
        );
        await dialog.getByTestId("fill-dialog-count").fill(String(COUNT));
        await dialog.getByTestId("fill-dialog-submit").click();
        await dialog.getByTestId("error-banner").waitFor();
        assert.match(await dialog.getByTestId("error-banner").innerText(), /cap/i);
        assert.ok(page.url().startsWith(overviewUrl) && !page.url().includes("/fills"));
        await dialog.getByRole("button", { name: "Cancel" }).click();
        await dialog.waitFor({ state: "hidden" });
      }

      // Fill 8 from the class's button. When the active model's card carries detector-utility
      // numbers they are shown beside the method, which they preselect; this fill uses the model.
      await openFill(target);
      const evidence = dialog.getByTestId("fill-method-evidence");
      if ((await evidence.count()) > 0) {
        assert.match(await evidence.innerText(), /rare-class AP50/);
        assert.equal(
          await dialog.getByTestId("fill-dialog-method").inputValue(),
          await evidence.getAttribute("data-suggested"),
        );
      } else t.diagnostic("the active model's card has no detector-utility numbers");
      await dialog.getByTestId("fill-dialog-method").selectOption("MODEL");
      await dialog.getByTestId("fill-dialog-model").waitFor();
      assert.match(
        await dialog.getByTestId("fill-dialog-model").locator("option:checked").innerText(),
        /\(active\)/,
      );
      assert.equal(await dialog.getByTestId("fill-dialog-output").inputValue(), "COMPOSITE");
      // Four preview samples, rendered by the worker before anything is queued: full-size
      // scenes with the new box outlined. The fill keeps the preview's seed.
      await dialog.getByTestId("fill-preview-button").click();
      await dialog.getByTestId("fill-preview-sample").nth(3).waitFor({ timeout: 120_000 });
      await page.waitForFunction(() =>
        [
          ...document.querySelectorAll<HTMLImageElement>('[data-testid="fill-preview-sample"] img'),
        ].every((image) => image.complete && image.naturalWidth > 64),
      );
      assert.notEqual(await dialog.getByTestId("fill-dialog-seed").inputValue(), "");
      await dialog.screenshot({ path: path.join(RESULTS, "fill-preview.png") });
      await dialog.getByTestId("fill-dialog-count").fill(String(COUNT));
      await dialog.getByTestId("fill-dialog-submit").click();
      await page.waitForURL(/\/fills\?created=/);
      const requestId = new URL(page.url()).searchParams.get("created")!;
      const row = `[data-testid="fill-request-row"][data-id="${requestId}"]`;
      await page.locator(row).waitFor();
      assert.equal(await attribute(page, row, "data-class"), target);
      assert.equal(await attribute(page, row, "data-count"), String(COUNT));
      // The console's proxy carries the graphql-ws upgrade: progress is pushed.
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLElement>('[data-testid="fills-live-mode"]')?.dataset.mode ===
          "live",
      );

      // Progress reaches 8/8 on the page (pushed or polled), and the request succeeds.
      await page.waitForFunction(
        (selector) => {
          const element = document.querySelector<HTMLElement>(selector);
          return ["SUCCEEDED", "FAILED", "CANCELLED"].includes(element?.dataset.status ?? "");
        },
        row,
        { timeout: FILL_TIMEOUT },
      );
      const failure = await page.locator(`${row} [data-testid="fill-error"]`).count();
      assert.equal(
        await attribute(page, row, "data-status"),
        "SUCCEEDED",
        failure > 0 ? await page.locator(`${row} [data-testid="fill-error"]`).innerText() : "",
      );
      assert.equal(await attribute(page, row, "data-completed"), String(COUNT));
      assert.equal(
        (await page.locator(`${row} [data-testid="fill-progress"]`).innerText()).trim(),
        `${COUNT}/${COUNT}`,
      );
      await page.waitForTimeout(300); // the progress bar's transition
      await page.screenshot({ path: path.join(RESULTS, "fills.png") });

      // The review queue of this request: 8 pending, each beside its references.
      await page.locator(`${row} [data-testid="fill-review"]`).click();
      await page.waitForURL(/\/review\?request=/);
      await waitForQueue(page, COUNT);
      await page.locator('[data-testid="review-references"] img').first().waitFor();
      await page.waitForFunction(() =>
        [
          ...document.querySelectorAll<HTMLImageElement>('[data-testid="review-references"] img'),
        ].every((image) => image.complete),
      );
      // A composite: the new box stands out, a zoomed inset shows it, the host is named.
      await page.getByTestId("review-new-box").waitFor();
      await page.getByTestId("review-inset").waitFor();
      await page.getByTestId("review-host").waitFor();
      await page.screenshot({ path: path.join(RESULTS, "review.png") });
      if (process.env.GRIDFILL_E2E_DOCS === "1")
        await copyFile(path.join(RESULTS, "review.png"), DOCS_REVIEW);

      // U undoes: the first image, rejected by mistake, comes back as the current one.
      const first = (await page.getByTestId("review-current").getAttribute("data-id"))!;
      await page.keyboard.press("r");
      await waitForQueue(page, COUNT - 1);
      assert.notEqual(await page.getByTestId("review-current").getAttribute("data-id"), first);
      await page.keyboard.press("u");
      await waitForQueue(page, COUNT);
      assert.equal(await page.getByTestId("review-current").getAttribute("data-id"), first);

      // A five times, R three times; each decision moves on to the next image.
      const accepted: string[] = [];
      for (let i = 0; i < COUNT; i++) {
        const current = (await page.getByTestId("review-current").getAttribute("data-id"))!;
        const accept = i < ACCEPT;
        if (accept) accepted.push(current);
        await page.keyboard.press(accept ? "a" : "r");
        await waitForQueue(page, COUNT - i - 1);
      }
      await page.getByTestId("review-empty").waitFor();
      assert.match(await page.getByTestId("review-empty").innerText(), /Nothing to review/);

      // The API agrees: 5 accepted, 3 rejected, none pending.
      const reviewed = await pageGql<{
        fillRequest: { images: { id: string; reviewState: string }[] };
      }>(page, `query($id: ID!) { fillRequest(id: $id) { images { id reviewState } } }`, {
        id: requestId,
      });
      const states = reviewed.fillRequest.images.map((image) => image.reviewState);
      assert.equal(states.filter((state) => state === "ACCEPTED").length, ACCEPT);
      assert.equal(states.filter((state) => state === "REJECTED").length, REJECT);
      assert.deepEqual(
        reviewed.fillRequest.images
          .filter((image) => image.reviewState === "ACCEPTED")
          .map((image) => image.id)
          .sort(),
        [...accepted].sort(),
      );

      // An accepted image's lineage: three references, each a link to a real image.
      await page.goto(`${BASE_URL}/images/${accepted[0]}`);
      const lineage = page.getByTestId("lineage-panel");
      await lineage.getByTestId("lineage-references").waitFor();
      assert.equal(await lineage.getByTestId("reference-thumb").count(), 3);
      assert.equal(
        await lineage.locator('[data-testid="reference-thumb"][data-base="true"]').count(),
        1,
      );
      assert.equal(await lineage.locator('[data-testid="reference-thumb"] a').count(), 3);
      assert.match(await lineage.getByTestId("lineage-review").innerText(), /Accepted/);
      assert.match(await lineage.getByTestId("lineage-host").innerText(), /scale/);
      // Made again from its lineage, the image comes out byte for byte the same.
      await lineage.getByTestId("lineage-regenerate").click();
      const regenerated = lineage.getByTestId("lineage-regenerated");
      await regenerated.waitFor({ timeout: 60_000 });
      assert.equal(
        await regenerated.getAttribute("data-identical"),
        "true",
        await regenerated.innerText(),
      );
      await lineage.screenshot({ path: path.join(RESULTS, "lineage.png") });

      // Back on the overview, the class counts exactly the five accepted images more.
      await page.goto(overviewUrl);
      const balanceRow = page.locator(`[data-testid="balance-row"][data-class="${target}"]`);
      await balanceRow.waitFor();
      assert.equal(Number(await balanceRow.getAttribute("data-counted")), before + ACCEPT);
      assert.equal(
        (await balanceRow.getByTestId("balance-count").innerText()).trim(),
        String(before + ACCEPT),
      );

      // Two more with a chosen seed, followed without a socket (the page polls), then rejected
      // together: Space selects, Shift+R decides the lot.
      await page.routeWebSocket(/\/graphql$/, (socket) => socket.close());
      await openFill(target);
      await dialog.getByTestId("fill-dialog-count").fill("2");
      await dialog.getByTestId("fill-dialog-seed").fill("42");
      await dialog.getByTestId("fill-dialog-submit").click();
      await page.waitForURL(/\/fills\?created=/);
      const secondId = new URL(page.url()).searchParams.get("created")!;
      const second = `[data-testid="fill-request-row"][data-id="${secondId}"]`;
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLElement>('[data-testid="fills-live-mode"]')?.dataset.mode ===
          "polling",
      );
      await page.waitForFunction(
        (selector) => document.querySelector<HTMLElement>(selector)?.dataset.status === "SUCCEEDED",
        second,
        { timeout: FILL_TIMEOUT },
      );
      assert.match(await page.locator(second).innerText(), /seed 42\b/);
      await page.locator(`${second} [data-testid="fill-review"]`).click();
      await waitForQueue(page, 2);
      await page.keyboard.press("Space");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("Space");
      assert.equal(
        (await page.getByTestId("review-selected-count").innerText()).trim(),
        "2 selected",
      );
      await page.keyboard.press("Shift+R");
      await waitForQueue(page, 0);
      const bulk = await pageGql<{
        fillRequest: { seed: string; images: { reviewState: string }[] };
      }>(page, `query($id: ID!) { fillRequest(id: $id) { seed images { reviewState } } }`, {
        id: secondId,
      });
      assert.equal(bulk.fillRequest.seed, "42");
      assert.deepEqual(
        bulk.fillRequest.images.map((image) => image.reviewState),
        ["REJECTED", "REJECTED"],
      );

      assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
    });
  },
);

const DEMO_MODEL = path.resolve(import.meta.dirname, "../../../packages/mvsa-gan/models/demo");

test(
  "models: register a generator and critic from the console; a broken file is refused",
  { skip: skipReason(), timeout: 180_000 },
  async () => {
    await mkdir(RESULTS, { recursive: true });
    const version = `e2e-${Date.now()}`;
    await inConsole("models", async (opened) => {
      const { page } = opened;
      await page.goto(`${BASE_URL}/login`);
      await signIn(page);
      await page.getByRole("link", { name: "Models", exact: true }).click();
      await page.waitForURL(/\/models$/);
      const form = page.getByTestId("register-model");
      await form.waitFor();
      await page
        .locator('[data-testid="models-table"], [data-testid="models-empty"]')
        .first()
        .waitFor();

      // Not an ONNX generator: the API refuses, the form says why, nothing is listed.
      await form.getByTestId("model-name").fill("e2e-broken");
      await form.getByTestId("model-version").fill(version);
      await form.getByTestId("model-generator").setInputFiles({
        name: "generator.onnx",
        mimeType: "application/octet-stream",
        buffer: Buffer.from("this is not an ONNX model"),
      });
      await form.getByTestId("model-register").click();
      await form.getByTestId("error-banner").waitFor({ timeout: 60_000 });
      assert.ok((await form.getByTestId("error-banner").innerText()).trim().length > 0);
      assert.equal(
        await page.locator('[data-testid="model-row"][data-name="e2e-broken"]').count(),
        0,
      );

      // The demo export, with its critic and a metric, registered without activating it.
      await form.getByTestId("model-name").fill("e2e-model");
      await form
        .getByTestId("model-generator")
        .setInputFiles(path.join(DEMO_MODEL, "generator.onnx"));
      await form.getByTestId("model-critic").setInputFiles(path.join(DEMO_MODEL, "critic.onnx"));
      await form.getByTestId("model-metrics-input").fill('{"fid": 41.25, "epochs": 12}');
      await form.getByTestId("model-register").click();
      await form.getByTestId("model-registered").waitFor({ timeout: 120_000 });
      const row = page.locator(
        `[data-testid="model-row"][data-name="e2e-model"][data-version="${version}"]`,
      );
      await row.waitFor();
      assert.equal(await row.getAttribute("data-status"), "ARCHIVED");
      const metrics = await row.getByTestId("model-metrics").innerText();
      assert.match(metrics, /fid\s+41\.25/);
      assert.match(metrics, /epochs\s+12/);
      assert.match(await row.innerText(), /with critic/);
      await page.screenshot({ path: path.join(RESULTS, "models.png"), fullPage: true });
    });
  },
);
