// `npm start`: build the web app, apply D1 migrations locally, serve API + web on one port.
import { spawnSync } from "node:child_process";
import { startLocalServer } from "./local-server.mjs";

const port = Number(process.env.PORT ?? 8787);
const build = spawnSync("npm", ["run", "build:web"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const server = await startLocalServer({
  port,
  host: process.env.HOST ?? "127.0.0.1",
  inherit: true,
  cron: true,
});
console.log(`\nAuditTrail is running at ${server.url}  (API reference: ${server.url}/api/docs)\n`);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.stop();
    process.exit(0);
  });
}
server.child.on("exit", (code) => process.exit(code ?? 0));
