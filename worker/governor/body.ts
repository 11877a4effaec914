import { mediaType, type RequestBody } from "../lib/body";
import { UnsupportedMediaTypeError } from "../lib/errors";
import type { RuleSource } from "./service/rules";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"];

/** A rule body is YAML text or a JSON object; both are kept as submitted for the version history. */
export function readRuleSource(req: Request, { bytes }: RequestBody): RuleSource {
  const type = mediaType(req);
  if (type === "application/json") {
    return { text: new TextDecoder().decode(bytes), format: "json" };
  }
  if (YAML_TYPES.includes(type)) return { text: new TextDecoder().decode(bytes), format: "yaml" };
  throw new UnsupportedMediaTypeError(["application/yaml", "text/yaml", "application/json"]);
}
