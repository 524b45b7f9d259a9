export { BM25_FIELDS, Bm25Index, DEFAULT_BM25, type QueryTerm } from "./bm25";
export { SEARCH_WEIGHTS, type SearchWeights } from "./config";
export { SearchCorpus, type SubjectState } from "./corpus";
export {
  type SearchDocument,
  type Subject,
  subjectKey,
} from "./document";
export { EntityDictionary, type EntityMatch } from "./entity-dictionary";
export { editDistance, trigramSimilarity } from "./fuzzy";
export {
  actorPath,
  type CorpusPath,
  entityPath,
  type PathHit,
  scopePath,
  stateMatches,
} from "./paths";
export { analyzeQuery, looksLikeIdentifier, type QueryAnalysis } from "./query";
export { fuse, type PathResults, pathWeights, type Ranked, rerank, roundScore } from "./rank";
export { acceptFilter, highlightsOf, toResult } from "./results";
export { fold, stem, terms, words } from "./text";
