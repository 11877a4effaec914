export * from "./accounts";
export * from "./traces";
export * from "./governor";
