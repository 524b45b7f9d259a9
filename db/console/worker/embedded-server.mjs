// The embedded database's own thread. PGlite is WebAssembly that runs, and writes its files, synchronously
// on whichever thread calls it; in the console's main thread every commit would stall the webhook route and
// Sentry's 1-second budget with it. Here it runs beside the main thread and is served on loopback over the
// Postgres wire protocol, which the console, the CLI and benchmarks all reach the same way.
//
// Plain JavaScript because a worker thread needs a file Node can run as is; `openDatabase({ serve })` in
// ../src/client.ts starts it.
//
// Why not @electric-sql/pglite-socket's server: it queues single protocol messages from all connections
// into PGlite's one session and pins a connection only inside a SQL transaction, so two clients' extended
// query batches (Parse/Bind/Execute/Sync) interleave and bind against each other's unnamed statement
// (electric-sql/pglite#1046, seen here as "bind message supplies 15 parameters, but prepared statement
// requires 1" under webhook load). This server hands PGlite whole batches, and keeps the session with one
// connection until PGlite answers ReadyForQuery with status idle, so no other client's batch ever lands
// inside an open batch or transaction.
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";

/** @type {{ dataDir: string, port: number }} */
const { dataDir, port } = workerData;

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
// A batch ends where the client waits for an answer: Sync, a simple Query, Flush, or the end of COPY data.
const BATCH_END = new Set(["S", "Q", "H", "c", "f"]);
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]);

/**
 * @typedef {{ socket: net.Socket, chunks: Buffer[], size: number, need: number, started: boolean, pending: Buffer[], closed: boolean, statements: Set<string> }} Connection
 * @typedef {{ connection: Connection, bytes?: Uint8Array, cleanup?: true }} Unit
 */

/** @type {PGlite} */
let pglite;
/** @type {Unit[]} */
const queue = [];
/** The connection that holds the session: mid-batch or inside a transaction. */
/** @type {Connection | undefined} */
let owner;
let pumping = false;
/** @type {Set<Connection>} */
const connections = new Set();

/** True when PGlite's answer ends with ReadyForQuery in the idle state ('Z', length 5, 'I'). */
function endsIdle(out) {
  const n = out.length;
  return n >= 6 && out[n - 6] === 0x5a && out[n - 1] === 0x49;
}

/** The type bytes of a run of backend or frontend messages (each: type, int32 length, body). */
function* messageTypes(bytes) {
  for (let at = 0; at + 5 <= bytes.length; at += 1 + bytes.readInt32BE(at + 1)) yield bytes[at];
}

const PARSE = 0x50;
const DESCRIBE = 0x44;
const FLUSH = 0x48;
/**
 * A batch that only prepares named statements (Parse with a name, Describe, Flush): postgres-js sends one
 * for every statement it has not prepared on its connection yet, and waits for the description before it
 * binds. Outside a transaction nothing of it lives in the session but the named statement, which no other
 * connection can touch (names are unique per connection), so the session need not wait for the client's
 * round trip: other connections' batches run meanwhile. An unnamed Parse is never released: the next
 * connection's Parse would replace it.
 */
function onlyPrepares(bytes) {
  let at = 0;
  for (const type of messageTypes(bytes)) {
    if (type === PARSE && bytes[at + 5] === 0) return false;
    if (type !== PARSE && type !== DESCRIBE && type !== FLUSH) return false;
    at += 1 + bytes.readInt32BE(at + 1);
  }
  return at === bytes.length && at > 0;
}

/**
 * PGlite answered such a batch without an error: ParseComplete, ParameterDescription, RowDescription or
 * NoData only. After an ErrorResponse the backend skips everything until the client's Sync, so the session
 * stays with that client until it sends one.
 */
function preparedCleanly(out) {
  const b = Buffer.from(out.buffer, out.byteOffset, out.length);
  let at = 0;
  for (const type of messageTypes(b)) {
    if (type !== 0x31 && type !== 0x74 && type !== 0x54 && type !== 0x6e) return false;
    at += 1 + b.readInt32BE(at + 1);
  }
  return at === b.length && at > 0;
}

function concat(parts) {
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

async function pump() {
  if (pumping) return;
  pumping = true;
  try {
    for (;;) {
      const index = owner ? queue.findIndex((u) => u.connection === owner) : queue.length ? 0 : -1;
      if (index < 0) return;
      const unit = queue.splice(index, 1)[0];
      const connection = unit.connection;
      if (unit.cleanup) {
        await release(connection);
        continue;
      }
      // Everything this connection has queued goes in one call: same order, one crossing into WebAssembly.
      const parts = [unit.bytes];
      for (let i = index; i < queue.length; ) {
        if (queue[i].connection === connection && !queue[i].cleanup) {
          parts.push(queue.splice(i, 1)[0].bytes);
        } else i++;
      }
      const bytes = concat(parts);
      const heldBefore = owner === connection;
      let out;
      try {
        out = await pglite.execProtocolRaw(bytes);
      } catch (error) {
        // PGlite answers SQL errors as ErrorResponse; a throw means the session itself is in trouble.
        connection.socket.destroy(error instanceof Error ? error : new Error(String(error)));
        owner = connection;
        await release(connection);
        continue;
      }
      owner =
        endsIdle(out) || (!heldBefore && onlyPrepares(bytes) && preparedCleanly(out))
          ? undefined
          : connection;
      if (!connection.closed && out.length > 0) connection.socket.write(out);
    }
  } finally {
    pumping = false;
  }
}

/** A connection that went away mid-batch or mid-transaction must not leave the session to the next one. */
/**
 * What a connection leaves in the one shared session when it goes: an unfinished batch or transaction, and
 * its named prepared statements (clients prepare per connection and never expect them to outlive it).
 * @param {Connection} connection
 */
async function release(connection) {
  try {
    await pglite.execProtocolRaw(SYNC);
    if (pglite.isInTransaction()) await pglite.exec("rollback");
  } catch {
    // The next client's batch reports whatever is still wrong.
  }
  for (const name of connection.statements) {
    try {
      await pglite.exec(`deallocate "${name.replaceAll('"', '""')}"`);
    } catch {
      // Never prepared (its Parse failed): nothing to free.
    }
  }
  connection.statements.clear();
  owner = undefined;
}

/**
 * Splits a connection's bytes into protocol messages. Chunks are only joined once a whole message is there:
 * a vector upsert is megabytes arriving in 64 KB chunks, and joining on every chunk copied it quadratically.
 * Messages are views into the joined bytes, copied once more only when a batch is handed to PGlite.
 * @param {Connection} connection
 */
function onData(connection, chunk) {
  connection.chunks.push(chunk);
  connection.size += chunk.length;
  if (connection.size < connection.need) return;
  let buffer =
    connection.chunks.length === 1
      ? connection.chunks[0]
      : Buffer.concat(connection.chunks, connection.size);
  connection.need = 0;
  let queued = false;
  for (;;) {
    if (!connection.started) {
      if (buffer.length < 8) break;
      const length = buffer.readInt32BE(0);
      const code = buffer.readInt32BE(4);
      if (buffer.length < length) {
        connection.need = length;
        break;
      }
      const message = buffer.subarray(0, length);
      buffer = buffer.subarray(length);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        connection.socket.write("N");
      } else if (code === CANCEL_REQUEST) {
        connection.socket.end();
      } else {
        connection.started = true;
        queue.push({ connection, bytes: Buffer.from(message) });
        queued = true;
      }
      continue;
    }
    if (buffer.length < 5) break;
    const total = 1 + buffer.readInt32BE(1);
    if (buffer.length < total) {
      connection.need = total;
      break;
    }
    const type = String.fromCharCode(buffer[0]);
    const message = buffer.subarray(0, total);
    buffer = buffer.subarray(total);
    if (type === "X") {
      connection.socket.end();
      break;
    }
    if (type === "P" || type === "C") trackStatement(connection, type, message);
    connection.pending.push(message);
    if (BATCH_END.has(type)) {
      queue.push({ connection, bytes: concat(connection.pending) });
      connection.pending = [];
      queued = true;
    }
  }
  connection.chunks = buffer.length === 0 ? [] : [buffer];
  connection.size = buffer.length;
  if (queued) void pump();
}

/**
 * Remembers the named statements a connection prepares (Parse) and forgets the ones it closes (Close 'S'),
 * so they can be freed when it goes.
 * @param {Connection} connection
 * @param {Buffer} message
 */
function trackStatement(connection, type, message) {
  const start = type === "P" ? 5 : 6;
  if (type === "C" && message[5] !== 0x53) return;
  const end = message.indexOf(0, start);
  if (end <= start) return;
  const name = message.toString("utf8", start, end);
  if (type === "P") connection.statements.add(name);
  else connection.statements.delete(name);
}

/** @param {Connection} connection */
function onClose(connection) {
  if (connection.closed) return;
  connection.closed = true;
  connections.delete(connection);
  for (let i = queue.length - 1; i >= 0; i--) {
    if (queue[i].connection === connection) queue.splice(i, 1);
  }
  if (owner === connection) {
    queue.unshift({ connection, cleanup: true });
    void pump();
  } else if (connection.statements.size > 0) {
    queue.push({ connection, cleanup: true });
    void pump();
  }
}

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  /** @type {Connection} */
  const connection = {
    socket,
    chunks: [],
    size: 0,
    need: 0,
    started: false,
    pending: [],
    closed: false,
    statements: new Set(),
  };
  connections.add(connection);
  socket.on("data", (chunk) => onData(connection, chunk));
  socket.on("close", () => onClose(connection));
  socket.on("error", () => onClose(connection));
});

async function close() {
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  for (const connection of connections) connection.socket.destroy();
  while (pumping) await new Promise((resolve) => setTimeout(resolve, 5));
  // Only a clean close flushes PGlite and leaves a directory the next start opens without recovery.
  await pglite.close();
}

try {
  pglite = await PGlite.create(dataDir, { extensions: { vector } });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  parentPort?.on("message", async (message) => {
    if (message?.type !== "close") return;
    await close().catch(() => {});
    parentPort?.postMessage({ type: "closed" });
  });
  const address = server.address();
  parentPort?.postMessage({
    type: "ready",
    port: typeof address === "object" ? address?.port : port,
  });
} catch (error) {
  parentPort?.postMessage({
    type: "error",
    message: error instanceof Error ? error.message : String(error),
  });
}
