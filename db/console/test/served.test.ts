import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase, pendingMigrations, rowsOf } from "../src/client";
import { createWorkspace, listWorkspaces } from "../src/queries";

/*
 * The console's embedded database: PGlite in its own thread, served on loopback to the console and to
 * other processes. One PGlite session is shared by every connection, so these check what the server
 * promises: batches and transactions from different connections never mix, and a connection that dies
 * mid-transaction does not leave it open for the next client.
 */
const dir = mkdtempSync(path.join(tmpdir(), "nmc-served-"));
let served: DatabaseHandle;
let other: postgres.Sql;

beforeAll(async () => {
  served = await openDatabase({ dataDir: dir, migrate: true, role: "test-console", serve: true });
  const { port } = JSON.parse(readFileSync(path.join(dir, "owner.json"), "utf8")) as {
    port: number;
  };
  // A second client, as the CLI would be: its own connections into the same session.
  other = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, {
    max: 4,
    prepare: false,
    onnotice: () => {},
  });
  await served.db.execute(sql`create table if not exists served_probe (n int not null)`);
});

afterAll(async () => {
  await other?.end({ timeout: 1 });
  await served?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("embedded database served from its own thread", () => {
  it("is migrated, reports itself as PGlite and records its port for other processes", async () => {
    expect(served.kind).toBe("pglite");
    expect(served.pglite).toBeUndefined();
    expect(await pendingMigrations(served.db)).toBe(0);
    const owner = JSON.parse(readFileSync(path.join(dir, "owner.json"), "utf8")) as {
      pid: number;
      port: number;
    };
    expect(owner.pid).toBe(process.pid);
    expect(owner.port).toBeGreaterThan(0);
  });

  it("sends another process through the server instead of the files", async () => {
    const ws = await createWorkspace(served.db, { name: "seen from another process" });
    const script = `
      const { openDatabase } = await import(${JSON.stringify(path.resolve("src/client.ts"))});
      const { listWorkspaces } = await import(${JSON.stringify(path.resolve("src/queries/index.ts"))});
      const h = await openDatabase({ dataDir: ${JSON.stringify(dir)}, role: "cli" });
      console.log(JSON.stringify({ kind: h.kind, ids: (await listWorkspaces(h.db)).map((w) => w.id) }));
      await h.close();`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { cwd: path.resolve(".") },
    );
    const seen = JSON.parse(stdout.trim().split("\n").at(-1)!) as { kind: string; ids: string[] };
    expect(seen.kind).toBe("pglite-loopback");
    expect(seen.ids).toContain(ws.id);
  });

  it("keeps concurrent extended-protocol queries from many connections apart", async () => {
    // Different parameter counts per query: interleaved Parse/Bind from two clients would fail to bind.
    const queries = Array.from({ length: 300 }, (_, i) => {
      const params = Array.from({ length: (i % 7) + 1 }, (_, k) => i * 10 + k);
      const sum = params.reduce((a, b) => a + b, 0);
      const text = `select ${params.map((_, k) => `$${k + 1}::int`).join(" + ")} as total`;
      const run =
        i % 2 === 0
          ? served.db
              .execute(sql.raw(text.replaceAll(/\$(\d+)/g, (_, k) => String(params[k - 1]))))
              .then((r) => rowsOf<{ total: number }>(r)[0]!.total)
          : other.unsafe(text, params).then((rows) => Number(rows[0]!.total));
      return run.then((total) => expect(total).toBe(sum));
    });
    await Promise.all(queries);
    const typed = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        (i % 2
          ? other.unsafe("select $1::text as v", [`o${i}`])
          : other`select ${`p${i}`} as v`
        ).then((rows) => rows[0]!.v),
      ),
    );
    expect(typed).toEqual(Array.from({ length: 100 }, (_, i) => (i % 2 ? `o${i}` : `p${i}`)));
  });

  it("carries messages of megabytes, split over many socket reads, intact and in order", async () => {
    const big = Array.from({ length: 3 << 20 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(
      "",
    );
    const [a, b] = await Promise.all([
      other`select md5(${big}::text) as h, length(${big}::text) as n`,
      other`select md5(${`${big}!`}::text) as h, length(${`${big}!`}::text) as n`,
    ]);
    const md5 = (text: string) => createHash("md5").update(text).digest("hex");
    expect(a![0]).toEqual({ h: md5(big), n: big.length });
    expect(b![0]).toEqual({ h: md5(`${big}!`), n: big.length + 1 });
  });

  it("frees a connection's prepared statements when it goes", async () => {
    const port = (
      JSON.parse(readFileSync(path.join(dir, "owner.json"), "utf8")) as { port: number }
    ).port;
    const prepared = async () =>
      Number((await other`select count(*)::int as n from pg_prepared_statements`)[0]!.n);
    const before = await prepared();
    const client = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, {
      max: 1,
      prepare: true,
      onnotice: () => {},
    });
    try {
      await client`select ${1}::int + ${2}::int as sum`;
      await client`select ${"a"}::text || ${"b"}::text as joined`;
      // Its two queries, and whatever postgres-js prepares for itself on connecting.
      expect(await prepared()).toBeGreaterThanOrEqual(before + 2);
    } finally {
      await client.end({ timeout: 1 });
    }
    for (let i = 0; i < 50 && (await prepared()) > before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await prepared()).toBe(before);
    // The console's own handle prepares its queries too, and they work across its connections.
    await createWorkspace(served.db, { name: "prepared" });
    expect((await listWorkspaces(served.db)).some((w) => w.name === "prepared")).toBe(true);
  });

  it("lets no other connection see or join an open transaction", async () => {
    await served.db.execute(sql`delete from served_probe`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted!: () => void;
    const firstInsert = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const tx = other.begin(async (t) => {
      await t`insert into served_probe values (1)`;
      inserted();
      await held;
      await t`insert into served_probe values (2)`;
    });
    await firstInsert;
    // Issued while the transaction is open: it must wait for the commit, never run inside it.
    const during = served.db.execute(sql`select count(*)::int as n from served_probe`);
    setTimeout(release, 50);
    await tx;
    expect(rowsOf<{ n: number }>(await during)[0]!.n).toBe(2);
  });

  it("rolls back the transaction of a connection that goes away", async () => {
    await served.db.execute(sql`delete from served_probe`);
    const doomed = postgres(`postgres://postgres@127.0.0.1:${readPort()}/postgres`, {
      max: 1,
      prepare: false,
    });
    const reserved = await doomed.reserve();
    await reserved`begin`;
    await reserved`insert into served_probe values (99)`;
    await doomed.end({ timeout: 0 });
    // The next client works, and does not find itself inside the dead connection's transaction.
    await other`insert into served_probe values (1)`;
    const rows = await other`select n from served_probe order by n`;
    expect(rows.map((r) => r.n)).toEqual([1]);
    expect(await listWorkspaces(served.db)).toBeInstanceOf(Array);
  });

  it("serves other connections while one waits between describing a named statement and running it", async () => {
    const raw = await RawConnection.open(readPort());
    try {
      // What postgres-js sends for a statement it has not prepared yet, then waits for the answer.
      raw.send(
        parse("nmc_probe_1", "select $1::int + 1 as n"),
        describeStatement("nmc_probe_1"),
        FLUSH,
      );
      expect(await raw.readUntil("T")).toEqual(["1", "t", "T"]);
      // The session is not kept for it: another client runs meanwhile, with statements of its own.
      const meanwhile = await other.unsafe("select $1::int * 2 as n", [21]);
      expect(Number(meanwhile[0]!.n)).toBe(42);
      raw.send(bind("nmc_probe_1", "41"), EXECUTE, SYNC);
      expect(await raw.readUntil("Z")).toEqual(["2", "D", "C", "Z"]);
      expect(raw.lastDataRow()).toBe("42");

      // A failed Parse leaves the backend skipping messages until the client's Sync, so the session stays
      // with that client: another client's statement runs, correctly, only after it.
      raw.send(parse("nmc_probe_2", "select from where"), describeStatement("nmc_probe_2"), FLUSH);
      expect(await raw.readUntil("E")).toEqual(["E"]);
      const waiting = other.unsafe("select $1::int + 100 as n", [1]);
      raw.send(SYNC);
      expect(await raw.readUntil("Z")).toEqual(["Z"]);
      expect(Number((await waiting)[0]!.n)).toBe(101);
    } finally {
      raw.close();
    }
  });

  it("keeps its data across a close and a reopen", async () => {
    await served.db.execute(sql`insert into served_probe values (7)`);
    await other.end({ timeout: 1 });
    await served.close();
    expect(readOwnerFile()).toBeUndefined();
    served = await openDatabase({ dataDir: dir, migrate: true, role: "test-console", serve: true });
    other = postgres(`postgres://postgres@127.0.0.1:${readPort()}/postgres`, { prepare: false });
    const rows = rowsOf<{ n: number }>(
      await served.db.execute(sql`select n from served_probe where n = 7`),
    );
    expect(rows).toHaveLength(1);
  });
});

function readOwnerFile(): { port: number } | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, "owner.json"), "utf8")) as { port: number };
  } catch {
    return undefined;
  }
}

function readPort(): number {
  const owner = readOwnerFile();
  if (!owner) throw new Error("no owner.json");
  return owner.port;
}

/* Frontend messages of the Postgres protocol, for a client that stops where postgres-js would wait. */
function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
const cstring = (text: string) => Buffer.from(`${text}\0`, "utf8");
const int16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const parse = (name: string, query: string) =>
  message("P", cstring(name), cstring(query), int16(0));
const describeStatement = (name: string) => message("D", Buffer.from("S"), cstring(name));
const bind = (name: string, value: string) => {
  const length = Buffer.alloc(4);
  length.writeInt32BE(Buffer.byteLength(value));
  return message(
    "B",
    cstring(""),
    cstring(name),
    int16(0),
    int16(1),
    length,
    Buffer.from(value),
    int16(0),
  );
};
const EXECUTE = message("E", cstring(""), Buffer.from([0, 0, 0, 0]));
const FLUSH = message("H");
const SYNC = message("S");

/** One connection speaking the protocol by hand, reading the server's messages as they come. */
class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private rows: string[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const connection = new RawConnection(socket);
    const params = Buffer.concat([
      cstring("user"),
      cstring("postgres"),
      cstring("database"),
      cstring("postgres"),
      Buffer.from([0]),
    ]);
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(params.length + 8, 0);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    await connection.readUntil("Z");
    return connection;
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  /** Types of the messages read up to and including the first of type `last`. */
  async readUntil(last: string): Promise<string[]> {
    const types: string[] = [];
    for (;;) {
      while (this.buffer.length >= 5 && this.buffer.length >= 1 + this.buffer.readInt32BE(1)) {
        const total = 1 + this.buffer.readInt32BE(1);
        const type = String.fromCharCode(this.buffer[0]!);
        if (type === "D") {
          const length = this.buffer.readInt32BE(7);
          this.rows.push(this.buffer.toString("utf8", 11, 11 + length));
        }
        this.buffer = this.buffer.subarray(total);
        types.push(type);
        if (type === last) return types;
      }
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  lastDataRow(): string | undefined {
    return this.rows.at(-1);
  }

  close(): void {
    this.socket.destroy();
  }
}
