/**
 * Fuzz cases for every operation of the OpenAPI document: bad query and path values, and for a
 * JSON body, one bad value at a time at every place the body's schema describes, plus bodies that
 * are bad as a whole (not JSON, oversize, bad gzip, wrong type). Chosen with a seeded random
 * generator, so a run is repeatable from its seed.
 */
import { z } from "zod";
import { RuleInput } from "../../worker/governor/rules/schema";
import {
  type Bad,
  badValues,
  children,
  DEEP,
  Entries,
  Raw,
  Resolver,
  type Schema,
  serialize,
  skeleton,
} from "./values";

type Parameter = { name: string; in: "query" | "path" | "header"; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Record<string, unknown>[];
};
export type OpenApiDoc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

export type Auth = "session" | "key" | "none";

/** `refused`: the value breaks a stated rule, so only a 4xx will do; `no-5xx`: any answer below 500. */
export type Case = {
  operation: string;
  label: string;
  method: string;
  path: string;
  query: string;
  auth: Auth;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  expect: "refused" | "no-5xx";
};

/** A valid rule, so a mutated rule body reaches the rule parser (the route documents only "object"). */
const RULE = {
  name: "fuzz_rule",
  description: "fuzz",
  version: "1",
  target_span_type: "tool",
  when: "tool.name.contains('delete')",
  measure: "size(tool.arguments.?files.orValue([]))",
  limit: 5,
  policy_group: "fuzz",
  severity: "high",
};
/** The rule author's schema itself, as JSON Schema. */
const RULE_SCHEMA = z.toJSONSchema(RuleInput, { io: "input", unrepresentable: "any" }) as Schema;

/** "Billion laughs": each of ten levels lists the one before it nine times (9^10 nodes if expanded). */
function aliasBomb(): string {
  const level = (i: number) => String.fromCharCode(97 + i);
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `${level(i)}: &${level(i)} [${Array(9)
        .fill(`*${level(i - 1)}`)
        .join(",")}]`,
    );
  return `${lines.join("\n")}\n`;
}

const asYaml = (rule: Record<string, unknown>) =>
  `${Object.entries(rule)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join("\n")}\n`;

/** Rule bodies that are valid JSON and YAML but should never be evaluated as asked. */
const YAML_BODIES: [string, string][] = [
  ["aliases that expand to a billion nodes", aliasBomb()],
  ["200 levels of flow nesting", `name: x\nwhen: ${"[".repeat(200)}${"]".repeat(200)}\n`],
  ["a tab-indented mess", "name:\t- [\n\t:\n"],
  ["a CEL expression building a 1 GB string", asYaml({ ...RULE, when: "size('x' * 1000000000) > 0" })],
  ["a lone surrogate escape", 'name: "\\ud800"\n'],
];

const MISSING_ID = "fuzz-missing-id";

export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function authOf(op: Operation, index: number): Auth {
  const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
  if (schemes.includes("cookieAuth") && schemes.includes("bearerAuth")) return index % 2 ? "key" : "session";
  if (schemes.includes("cookieAuth")) return "session";
  if (schemes.includes("bearerAuth")) return "key";
  return "none";
}

/** A query value as text; the strings of `badValues` carry over, the rest become their JSON. */
function queryText(b: Bad): string {
  if (typeof b.value === "string") return b.value;
  return serialize(b.value);
}

function queryBads(p: Parameter, r: Resolver): { label: string; raw: string; expect: Case["expect"] }[] {
  const s = r.resolve(p.schema ?? {});
  const stated = badValues(s, r)
    .filter((b) => typeof b.value === "string" || b.value instanceof Raw || typeof b.value === "number")
    // Any text is a valid string; Unicode is the body layer's business, URLs have no surrogates.
    .filter((b) => b.label !== "a lone surrogate" && !b.label.includes("where the schema allows none"))
    .filter((b) => !(s.type === "string" && !s.format && !s.enum && b.value instanceof Raw))
    .map((b) => ({ label: b.label, raw: encodeURIComponent(queryText(b)), expect: "refused" as const }));
  const wayOff = [
    "%ED%A0%80",
    "%",
    "%FF%FE",
    "%00",
    "x".repeat(8000),
    "[]",
    "-0",
    "NaN",
    "99999999999999999999",
  ];
  return [
    ...stated,
    ...wayOff.map((raw) => ({ label: `the raw text ${raw.slice(0, 24)}`, raw, expect: "no-5xx" as const })),
  ];
}

function pathOf(template: string, bad?: { name: string; raw: string }) {
  return template.replace(/\{([^}]+)\}/g, (_, name) => (bad && bad.name === name ? bad.raw : MISSING_ID));
}

/** The skeleton with `value` placed at `path`, building the containers on the way. */
function placed(
  root: unknown,
  path: (string | number)[],
  value: unknown,
  schemas: Schema[],
  r: Resolver,
): unknown {
  const clone = JSON.parse(JSON.stringify(root ?? {}));
  let at = clone;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    if (at[key] === undefined || at[key] === null || typeof at[key] !== "object") {
      at[key] = skeleton(schemas[i] as Schema, r);
      if (Array.isArray(at[key]) && at[key].length === 0)
        at[key].push(skeleton(r.resolve(schemas[i] as Schema).items ?? {}, r));
    }
    at = at[key];
  }
  const last = path[path.length - 1] as string | number;
  at[last] = value;
  return clone;
}

/** Every place in the body the schema describes, to a bounded depth: its path and schemas. */
function places(schema: Schema, r: Resolver, depth = 0): { path: (string | number)[]; schemas: Schema[] }[] {
  if (depth >= 5) return [];
  return children(schema, r).flatMap(({ key, schema: child }) => [
    { path: [key], schemas: [child] },
    ...places(child, r, depth + 1).map((p) => ({ path: [key, ...p.path], schemas: [child, ...p.schemas] })),
  ]);
}

type BodyBad = {
  label: string;
  body: string | Uint8Array;
  headers?: Record<string, string>;
  lenient?: boolean;
};

function jsonBodyBads(schema: Schema, r: Resolver, seed: unknown): BodyBad[] {
  const out: BodyBad[] = [];
  for (const { path, schemas } of places(schema, r)) {
    const here = schemas[schemas.length - 1] as Schema;
    for (const b of badValues(here, r)) {
      const body = placed(seed, path, new Raw(serialize(b.value)), schemas, r);
      out.push({ label: `${path.join(".")}: ${b.label}`, body: serialize(body), lenient: b.lenient });
    }
    const parent = schemas.length > 1 ? r.resolve(schemas[schemas.length - 2] as Schema) : r.resolve(schema);
    const key = path[path.length - 1];
    if (typeof key === "string" && parent.required?.includes(key) && path.length === 1) {
      const body = { ...(seed as Record<string, unknown>) };
      delete body[key];
      out.push({ label: `${key} missing`, body: serialize(body) });
    }
  }
  const s = r.resolve(schema);
  if (s.additionalProperties === false) {
    out.push({
      label: "an unknown top-level key",
      body: serialize({ ...(seed as object), zz_unknown_field: 1 }),
    });
  }
  out.push(
    { label: "not JSON", body: '{"a": ' },
    { label: "an empty body", body: "" },
    { label: "a top-level array", body: "[]" },
    { label: "a top-level string", body: '"fuzz"' },
    { label: "a top-level null", body: "null" },
    { label: "200 levels of nesting", body: DEEP.text },
    {
      label: "a top-level __proto__ key",
      body: serialize(new Entries([...Object.entries(seed as object), ["__proto__", { role: "owner" }]])),
    },
    { label: "11 MB", body: `{"fuzz":"${"x".repeat(11 * 1024 * 1024)}"}` },
    {
      label: "bad gzip",
      body: new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]),
      headers: { "content-encoding": "gzip" },
    },
    {
      label: "an unknown content encoding",
      body: serialize(seed),
      headers: { "content-encoding": "br-fuzz" },
    },
    { label: "text/plain", body: serialize(seed), headers: { "content-type": "text/plain" } },
  );
  return out;
}

function protobufBads(random: () => number): { label: string; body: Uint8Array }[] {
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  const nested = new Uint8Array(400);
  // field 1, wire type 2 (length-delimited), with a length that runs past the end, 200 times over.
  for (let i = 0; i < 400; i += 2) nested.set([0x0a, 0x7f], i);
  return [
    ...[1, 7, 64, 1000, 20_000].map((n) => ({ label: `${n} random bytes`, body: bytes(n) })),
    { label: "a varint that never ends", body: new Uint8Array(20).fill(0xff) },
    { label: "lengths that run past the end", body: nested },
  ];
}

export function buildCases(doc: OpenApiDoc, seed: number): Case[] {
  const r = new Resolver(doc);
  const random = mulberry32(seed);
  const cases: Case[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const operation = `${method.toUpperCase()} ${template}`;
      const add = (c: Omit<Case, "operation" | "method" | "auth" | "path"> & { path?: string }) =>
        cases.push({
          ...c,
          operation,
          method: method.toUpperCase(),
          auth: authOf(op, cases.length),
          path: c.path ?? pathOf(template),
        });
      for (const p of op.parameters ?? []) {
        if (p.in === "query") {
          for (const b of queryBads(p, r)) {
            add({
              label: `?${p.name}=${b.label}`,
              query: `${encodeURIComponent(p.name)}=${b.raw}`,
              headers: {},
              expect: b.expect,
            });
          }
        }
        if (p.in === "path") {
          for (const raw of ["x".repeat(300), "%ED%A0%80", "%", "..%2F..%2Fadmin", "%00"]) {
            add({
              label: `{${p.name}} = ${raw.slice(0, 20)}`,
              path: pathOf(template, { name: p.name, raw }),
              query: "",
              headers: {},
              expect: "no-5xx",
            });
          }
        }
      }
      const content = op.requestBody?.content ?? {};
      const json = content["application/json"]?.schema;
      if (json) {
        const isRule = template === "/api/v1/rules" || template === "/api/v1/rules/{id}";
        const schema = isRule && method !== "patch" ? RULE_SCHEMA : json;
        const seedBody = isRule && method !== "patch" ? RULE : skeleton(schema, r);
        for (const b of jsonBodyBads(schema, r, seedBody)) {
          add({
            label: `body ${b.label}`,
            query: "",
            headers: { "content-type": "application/json", ...b.headers },
            body: b.body,
            expect: b.lenient ? "no-5xx" : "refused",
          });
        }
      }
      if (content["application/yaml"]) {
        for (const [label, body] of YAML_BODIES) {
          add({
            label: `YAML ${label}`,
            query: "",
            headers: { "content-type": "application/yaml" },
            body,
            expect: "refused",
          });
        }
      }
      if (content["application/x-protobuf"]) {
        for (const b of protobufBads(random)) {
          add({
            label: `protobuf ${b.label}`,
            query: "",
            headers: { "content-type": "application/x-protobuf" },
            body: b.body,
            expect: "no-5xx",
          });
        }
      }
    }
  }
  return cases;
}

/** Up to `perOperation` cases of each operation, picked at random (seeded); whole-body cases stay in. */
export function sample(cases: Case[], perOperation: number, seed: number): Case[] {
  const random = mulberry32(seed ^ 0x9e3779b9);
  const byOp = new Map<string, Case[]>();
  for (const c of cases) byOp.set(c.operation, [...(byOp.get(c.operation) ?? []), c]);
  return [...byOp.values()].flatMap((list) => {
    const shuffled = list
      .map((c) => [random(), c] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, c]) => c);
    return shuffled.slice(0, perOperation);
  });
}
