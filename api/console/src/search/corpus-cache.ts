import type { SearchCorpus } from "@repo/search";

/**
 * Values read from the database once per corpus state: clusters and actors change only when observations
 * arrive, which moves the corpus's watermark. Keyed by corpus, which is one workspace's; a failed read is
 * not kept.
 */
export class PerCorpusState<T> {
  private readonly cache = new WeakMap<SearchCorpus, { watermark: number; value: Promise<T> }>();

  get(corpus: SearchCorpus, load: () => Promise<T>): Promise<T> {
    const cached = this.cache.get(corpus);
    if (cached && cached.watermark === corpus.watermark) return cached.value;
    const value = load();
    this.cache.set(corpus, { watermark: corpus.watermark, value });
    value.catch(() => this.cache.delete(corpus));
    return value;
  }
}
