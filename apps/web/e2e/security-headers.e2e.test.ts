// The console's response headers, as Chromium enforces them: a nonce-based Content-Security-Policy
// under which the console still signs in and renders with no violation, no framing by other
// origins (clickjacking), no MIME sniffing, and no full URLs in the Referer sent elsewhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { BASE_URL, inConsole, signIn, skipReason } from "./browser.ts";

const skip = skipReason();

test("every console page carries a strict CSP and the anti-framing headers", { skip }, async () => {
  for (const path of ["/login", "/datasets"]) {
    const response = await fetch(`${BASE_URL}${path}`, { redirect: "manual" });
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/, `${path}: ${csp}`);
    assert.doesNotMatch(csp, /script-src [^;]*'unsafe-inline'/, path);
    assert.doesNotMatch(csp, /script-src [^;]*'unsafe-eval'/, path);
    assert.match(csp, /object-src 'none'/, path);
    assert.match(csp, /base-uri 'self'/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.equal(response.headers.get("x-frame-options"), "DENY", path);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    assert.equal(response.headers.get("referrer-policy"), "strict-origin-when-cross-origin", path);
  }
  const again = await fetch(`${BASE_URL}/login`);
  assert.notEqual(
    again.headers.get("content-security-policy"),
    (await fetch(`${BASE_URL}/login`)).headers.get("content-security-policy"),
    "a fresh nonce per response",
  );
});

test("under the CSP the console signs in and renders with no violation", { skip }, async () => {
  await inConsole("csp", async ({ page, pageErrors }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text());
    });
    await page.goto(`${BASE_URL}/login`);
    await signIn(page);
    await page.getByTestId("current-user").waitFor();
    assert.deepEqual(violations, []);
    assert.deepEqual(pageErrors, []);
  });
});

test("a page on another origin cannot frame the console", { skip }, async () => {
  const framer = createServer((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<!doctype html><iframe id="target" src="${BASE_URL}/login"></iframe>`);
  });
  await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
  try {
    await inConsole("framed", async ({ page }) => {
      const blocked: string[] = [];
      page.on("console", (message) => {
        if (/frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(message.text()))
          blocked.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
      await page.waitForTimeout(2000);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      const loginInFrame = frame
        ? await frame
            .locator("[data-testid=login-email]")
            .count()
            .catch(() => 0)
        : 0;
      assert.equal(loginInFrame, 0, "the console did not render inside the foreign page");
      assert.ok(blocked.length > 0, "Chromium reports the refused frame");
    });
  } finally {
    framer.close();
  }
});
