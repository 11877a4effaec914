import { startServer, createTenant } from "./server.mjs";
import { nativeBody } from "./data.mjs";
import { execSync } from "node:child_process";
const s = await startServer();
try {
  const { key } = await createTenant(s.base);
  const args={prefix:"x",seed:1,traces:25,spansPerTrace:20,startMs:Date.now()-1000};
  const r = await fetch(`${s.base}/api/v1/traces/ingest`,{method:"POST",headers:{authorization:`Bearer ${key}`,"content-type":"application/json"},body:nativeBody(args,0).body});
  console.log(r.status, await r.text());
  const l = await (await fetch(`${s.base}/api/v1/traces?limit=2`,{headers:{authorization:`Bearer ${key}`}})).json();
  console.log(JSON.stringify(l).slice(0,1500));
  const d = await (await fetch(`${s.base}/api/v1/traces/x-0-0`,{headers:{authorization:`Bearer ${key}`}})).json();
  console.log(JSON.stringify(d.totals), d.spans.length, JSON.stringify(d.spans[3]).slice(0,800));
  console.log(execSync(`find ${s.persistDir} -type f | xargs ls -la`).toString());
} finally { await s.stop(); }
