// The console's workflow thread: the in-process outbox runner, off the thread that answers HTTP. Our
// packages are TypeScript sources, so the thread loads them through tsx, as `pnpm cli` does.
import { register } from "tsx/esm/api";

register();
await import("../src/runtime/workflow-thread-main.ts");
