// The search's vector-index thread: in-memory nearest-neighbour indexes of large workspaces' view vectors,
// searched and rebuilt off the thread that answers HTTP. Our packages are TypeScript sources, so the
// thread loads them through tsx, as the workflow thread does.
import { register } from "tsx/esm/api";

register();
await import("../src/search/vector-index-thread-main.ts");
