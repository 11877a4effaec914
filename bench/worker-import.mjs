// Imports the worker's TypeScript modules into Node (which strips the types itself). The worker
// writes relative imports without extensions, as its bundler resolves them; Node does not, so a
// resolve hook retries them with ".ts". Static imports are linked before any hook could run, hence
// a dynamic import.
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (err) {
      if (err?.code !== "ERR_MODULE_NOT_FOUND" || !specifier.startsWith(".")) throw err;
      return next(`${specifier}.ts`, context);
    }
  },
});

/** A worker module by its path under worker/, e.g. "ingest/service/store.ts". */
export const importWorker = (path) => import(new URL(`../worker/${path}`, import.meta.url).href);
