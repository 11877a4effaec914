/**
 * vitest globalSetup (Node): a local HTTPS SIEM receiver for the delivery tests.
 *
 * The certificate comes from `trustTestCa()` in vitest.config.ts, which also puts its CA in
 * NODE_EXTRA_CA_CERTS before miniflare loads, so workerd's own fetch() verifies this server like
 * any public one: the tests see the exact bytes and headers our Worker sends over real TLS.
 *
 * Each test uses its own sink (`/sink/<id>`). A sink answers from a script of actions, then 200:
 *   POST /control/<id>/script  [{status, body?, headers?, delay_ms?} | {hang:true} | {reset:true}]
 *   GET  /control/<id>/requests  every request the sink received, in arrival order
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { TLS_DIR_ENV } from "./tls.mjs";

type Action =
  | { status: number; body?: string; headers?: Record<string, string>; delay_ms?: number }
  | { hang: true }
  | { reset: true };

type Received = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  received_at: number;
  answered: string;
};

type Sink = { script: Action[]; received: Received[] };

const sinks = new Map<string, Sink>();
const hanging = new Set<ServerResponse>();

function sink(id: string): Sink {
  let s = sinks.get(id);
  if (!s) {
    s = { script: [], received: [] };
    sinks.set(id, s);
  }
  return s;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    out[k] = Array.isArray(v) ? v.join(", ") : String(v ?? "");
  return out;
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "https://localhost");
  const body = await readBody(req);
  const control = /^\/control\/([\w-]+)\/(script|requests)$/.exec(url.pathname);
  if (control) {
    const s = sink(control[1] ?? "");
    if (control[2] === "script" && req.method === "POST") {
      s.script = JSON.parse(body) as Action[];
      return sendJson(res, 204, null);
    }
    return sendJson(res, 200, s.received);
  }
  const target = /^\/sink\/([\w-]+)$/.exec(url.pathname);
  if (!target) return sendJson(res, 404, { error: "no such path" });
  const s = sink(target[1] ?? "");
  const action: Action = s.script.shift() ?? { status: 200 };
  s.received.push({
    method: req.method ?? "",
    path: url.pathname + url.search,
    headers: headersOf(req),
    body,
    received_at: Date.now(),
    answered: "hang" in action ? "hang" : "reset" in action ? "reset" : String(action.status),
  });
  if ("hang" in action) {
    // Never answer; the Worker's timeout must give up. Closed at teardown.
    hanging.add(res);
    res.on("close", () => hanging.delete(res));
    return;
  }
  if ("reset" in action) {
    req.socket.destroy();
    return;
  }
  if (action.delay_ms) await new Promise((r) => setTimeout(r, action.delay_ms));
  res.writeHead(action.status, { "content-type": "text/plain", ...action.headers });
  res.end(action.body ?? (action.status < 300 ? "ok" : "receiver error"));
}

export default async function setup(project: TestProject) {
  const dir = process.env[TLS_DIR_ENV];
  if (!dir) throw new Error(`${TLS_DIR_ENV} is not set: vitest.config.ts must call trustTestCa()`);
  if (!existsSync(join(dir, "server-cert.pem"))) {
    throw new Error(`the test certificate in ${dir} is gone (removed at teardown); restart vitest`);
  }
  const server = createServer(
    { key: readFileSync(join(dir, "server-key.pem")), cert: readFileSync(join(dir, "server-cert.pem")) },
    (req, res) => {
      handle(req, res).catch((err) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(err) });
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("siemReceiverPort", (server.address() as AddressInfo).port);
  return async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    siemReceiverPort: number;
  }
}
