export * from "./accounts";
export * from "./alert-channels";
export * from "./alerts";
export * from "./analytics";
export * from "./audit";
export * from "./governor";
export * from "./traces";
