export * from "./classify";
export * from "./cluster";
export * from "./entities";
export * from "./significance";
export * from "./views";
