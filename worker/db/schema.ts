export * from "./accounts";
export * from "./traces";
