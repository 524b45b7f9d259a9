export * from "./events";
export * from "./source-event";
