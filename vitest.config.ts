import { mkdirSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { trustTestCa } from "./test/audit/siem/tls.mjs";

// wrangler.toml serves web/dist as static assets; the runtime refuses to start without the folder.
mkdirSync("./web/dist", { recursive: true });

export default defineConfig(async () => {
  // The SIEM tests deliver to a local HTTPS receiver (test/audit/siem/receiver.ts). Miniflare takes
  // workerd's extra trusted CAs from NODE_EXTRA_CA_CERTS when it is first imported, so the test CA
  // is set up first and the plugin (which imports miniflare) is loaded after it.
  trustTestCa();
  const { cloudflareTest, readD1Migrations } = await import("@cloudflare/vitest-plugin");
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            OUTBOUND_ALLOW_PRIVATE: "true",
            SECRETS_KEY: "dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzLiE=",
            // test/fuzz: cases per operation (0 = all of them) and the seed; `npm run fuzz` sets both.
            FUZZ_CASES: process.env.FUZZ_CASES ?? "",
            FUZZ_SEED: process.env.FUZZ_SEED ?? "",
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      exclude: ["test/e2e/**"],
      setupFiles: ["./test/apply-migrations.ts"],
      globalSetup: ["./test/audit/siem/receiver.ts"],
    },
  };
});
