export * from "./events";
export * from "./source-event";
export * from "./search";
