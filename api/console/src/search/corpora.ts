import { countObservations, type Executor, listSearchDocuments } from "@db/console";
import { SearchCorpus } from "@repo/search";

const PAGE = 2000;
/** How many workspaces' corpora one process keeps; the least recently searched is dropped first. */
const MAX_CORPORA = 32;
/**
 * How often a corpus compares its size with the table's rows up to its watermark. Fewer means rows were
 * deleted; more means a transaction committed a lower `seq` after a higher one was read.
 * Either way the corpus is rebuilt: rare, and always correct.
 */
const CONSISTENCY_CHECK_MS = 30_000;

interface Entry {
  corpus: SearchCorpus;
  refreshing?: Promise<void>;
  checking?: Promise<void>;
  checkedAt: number;
}

/**
 * One in-memory corpus per workspace, caught up on every search with the observations captured since it
 * last looked (one indexed query that usually returns nothing). Concurrent searches of a workspace share
 * one catch-up. The corpus of a workspace is only ever filled from that workspace's rows.
 */
export class Corpora {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly db: Executor) {}

  async get(workspaceId: string): Promise<SearchCorpus> {
    let entry = this.entries.get(workspaceId);
    if (entry) {
      // Re-inserting keeps the map in least-recently-used order.
      this.entries.delete(workspaceId);
      this.entries.set(workspaceId, entry);
    } else {
      entry = { corpus: new SearchCorpus(), checkedAt: 0 };
      this.entries.set(workspaceId, entry);
      while (this.entries.size > MAX_CORPORA) {
        this.entries.delete(this.entries.keys().next().value!);
      }
    }
    if (!entry.refreshing) {
      const current = entry;
      current.refreshing = this.refresh(workspaceId, current).finally(() => {
        current.refreshing = undefined;
      });
    }
    await entry.refreshing;
    return this.entries.get(workspaceId)?.corpus ?? entry.corpus;
  }

  private async refresh(workspaceId: string, entry: Entry): Promise<void> {
    await this.catchUp(workspaceId, entry);
    if (entry.checking || Date.now() - entry.checkedAt < CONSISTENCY_CHECK_MS) return;
    entry.checkedAt = Date.now();
    // Off the request path: the count reads every row of the workspace (PGlite never vacuums, so no
    // index-only scan), ~140 ms at 100k observations. Searches keep the current corpus meanwhile.
    entry.checking = this.check(workspaceId, entry)
      .catch((error: unknown) => {
        console.warn(`[search] corpus check failed: ${String(error).split("\n")[0]}`);
      })
      .finally(() => {
        entry.checking = undefined;
      });
  }

  private async check(workspaceId: string, entry: Entry): Promise<void> {
    const checked = entry.corpus;
    const count = await countObservations(this.db, { workspaceId, upToSeq: checked.watermark });
    if (count === checked.size) return;
    const rebuilt: Entry = { corpus: new SearchCorpus(), checkedAt: Date.now() };
    await this.catchUp(workspaceId, rebuilt);
    entry.corpus = rebuilt.corpus;
  }

  private async catchUp(workspaceId: string, entry: Entry): Promise<void> {
    for (;;) {
      const rows = await listSearchDocuments(this.db, {
        workspaceId,
        afterSeq: entry.corpus.watermark,
        limit: PAGE,
      });
      entry.corpus.add(rows);
      if (rows.length < PAGE) return;
    }
  }
}
