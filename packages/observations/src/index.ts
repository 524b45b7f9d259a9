export * from "./classify";
export * from "./cluster";
export * from "./entities";
export { metaString, metaStrings } from "./event-text";
export * from "./significance";
export * from "./views";
