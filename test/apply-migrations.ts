import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Every data database gets every migration, as `npm start` and `npm run deploy` do.
await Promise.all([env.DB, env.DB2].map((db) => applyD1Migrations(db, env.TEST_MIGRATIONS)));
