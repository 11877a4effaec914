export * from "./accounts";
export * from "./governor";
export * from "./traces";
