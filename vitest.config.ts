import { mkdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { defineConfig, type Plugin } from "vitest/config";
import { trustTestCa } from "./test/audit/siem/tls.mjs";

// wrangler.toml serves web/dist as static assets; the runtime refuses to start without the folder.
mkdirSync("./web/dist", { recursive: true });

/** `*.unit.test.ts`: pure logic, run in Node; everything else under test/ runs in workerd. */
const UNIT = "test/**/*.unit.test.ts";

/** wrangler.toml's `Text` rule for `**\/*.yaml` (the default rule packs), for code loaded in Node. */
const yamlAsText: Plugin = {
  name: "audittrail:yaml-as-text",
  enforce: "pre",
  load(id) {
    if (id.endsWith(".yaml")) return `export default ${JSON.stringify(readFileSync(id, "utf8"))};`;
  },
};

export default defineConfig(async () => {
  // The SIEM tests deliver to a local HTTPS receiver (test/audit/siem/receiver.ts). Miniflare takes
  // workerd's extra trusted CAs from NODE_EXTRA_CA_CERTS when it is first imported, so the test CA
  // is set up first and the plugin (which imports miniflare) is loaded after it.
  trustTestCa();
  const { cloudflareTest, readD1Migrations } = await import("@cloudflare/vitest-plugin");
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      // A Workers file spends much of its time waiting on its workerd (start-up, storage, queues,
      // timers), so two run side by side even on two cores; Vitest's default is cores − 1.
      maxWorkers: Math.max(2, availableParallelism() - 1),
      projects: [
        {
          plugins: [yamlAsText],
          test: { name: "unit", environment: "node", include: [UNIT] },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  OUTBOUND_ALLOW_PRIVATE: "true",
                  // Both data databases exist and are migrated, but only DB takes new tenants, so
                  // tests that read D1 directly find their tenant there; test/helpers' signupOn
                  // places one on DB2 (test/scale/shards.test.ts runs the core paths on each).
                  DATA_DBS: "DB:1,DB2:0",
                  SECRETS_KEY: "dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzLiE=",
                  // test/fuzz: cases per operation (0 = all of them) and the seed; `npm run fuzz` sets both.
                  FUZZ_CASES: process.env.FUZZ_CASES ?? "",
                  FUZZ_SEED: process.env.FUZZ_SEED ?? "",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: ["test/e2e/**", UNIT],
            setupFiles: ["./test/apply-migrations.ts"],
            globalSetup: ["./test/audit/siem/receiver.ts"],
          },
        },
      ],
    },
  };
});
