// Micro-benchmark of the OTLP protobuf ingest CPU in Node: µs per span for decode and for map.
// Run:  node_modules/.bin/tsx bench/otlp-decode/run.mjs [rounds] [--bytes in.bin] [--dump out.json]
// --bytes reuses a saved request body (ids and times differ per build), so two implementations
// can be compared with --dump on the same input.
// Profile: node_modules/.bin/node --cpu-prof --import tsx bench/otlp-decode/run.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { decodeExportTraceServiceRequest } from "../../worker/ingest/otlp/decode.ts";
import { mapOtlpToBatch, spanAgents } from "../../worker/ingest/otlp/map.ts";
import { buildPayload, SPANS } from "./payload.mjs";

/** Process CPU time (not wall time: the machine is shared), µs per span. */
function time(fn, iterations) {
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) fn();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / iterations / SPANS;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const flag = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const saved = flag("--bytes");
const bytes = saved ? new Uint8Array(readFileSync(saved)) : await buildPayload();
const decoded = decodeExportTraceServiceRequest(bytes);
const dump = flag("--dump");
if (dump) {
  // The decoded request and its mapping, to compare implementations for identical output.
  const mapped = mapOtlpToBatch(decoded);
  if (!saved) writeFileSync(`${dump}.bin`, bytes);
  writeFileSync(dump, JSON.stringify({ decoded, mapped, agents: [...spanAgents(decoded)] }));
  process.exit(0);
}
const rounds = Number(process.argv[2]?.startsWith("--") ? 15 : (process.argv[2] ?? 15));
const iterations = 20;
for (let i = 0; i < 20; i++) mapOtlpToBatch(decodeExportTraceServiceRequest(bytes)); // warm up
const results = { decode: [], map: [], agents: [] };
for (let round = 0; round < rounds; round++) {
  results.decode.push(time(() => decodeExportTraceServiceRequest(bytes), iterations));
  results.map.push(time(() => mapOtlpToBatch(decoded), iterations));
  results.agents.push(time(() => spanAgents(decoded), iterations));
}
console.log(`payload ${bytes.length} bytes, ${SPANS} spans (${(bytes.length / SPANS) | 0} B/span)`);
for (const [name, xs] of Object.entries(results)) {
  console.log(
    `${name.padEnd(7)} median ${median(xs).toFixed(2)} µs/span  (min ${Math.min(...xs).toFixed(2)})`,
  );
}
