export * from "./accounts";
export * from "./audit";
export * from "./governor";
export * from "./traces";
