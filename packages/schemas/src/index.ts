export * from "./events";
export * from "./openapi";
export * from "./search";
export * from "./source-event";
