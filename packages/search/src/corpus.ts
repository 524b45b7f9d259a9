import { metaString } from "@repo/observations";
import { Bm25Index } from "./bm25";
import { type SearchDocument, type Subject, subjectKey } from "./document";
import { EntityDictionary, push } from "./entity-dictionary";
import { fold, terms } from "./text";

/** Where an issue or alert stands now, from its latest state-bearing observation. */
export interface SubjectState {
  subject: Subject;
  /** `unresolved`, `resolved`, `ignored` for issues; the incident status for alerts; null if unknown. */
  state: string | null;
  assignee: string | null;
  title: string;
  url: string | null;
  project: string | null;
  platform: string | null;
  members: number[];
}

/** Entity categories that name what a document is about, worth a place in the `keys` BM25 field. */
const KEY_FIELDS = [
  "errorType",
  "culprit",
  "filename",
  "function",
  "project",
  "transaction",
  "rule",
];

/** A person as the workspace's observations name them: actor of an event or assignee of an issue. */
export interface Person {
  name: string;
  folded: string;
  email: string | null;
  docs: number[];
}

/**
 * A workspace's observations held for search: documents, a BM25F index, the entity dictionary, the people
 * and the issue and alert threads. Append-only (observations are immutable once captured); the service
 * keeps one per workspace and adds what arrived since it last looked.
 */
export class SearchCorpus {
  readonly docs: SearchDocument[] = [];
  readonly lexical = new Bm25Index();
  readonly entities = new EntityDictionary();
  readonly people = new Map<string, Person>();
  private readonly ids = new Map<string, number>();
  private readonly threads = new Map<string, number[]>();
  /** Sentry names an issue by numeric id in error and comment payloads, by short id elsewhere. */
  private readonly shortIds = new Map<string, string>();
  private readonly numericIds = new Map<string, string>();
  private readonly platforms = new Map<string, string>();
  /** Issue and alert subjects per project, for scoped questions ("ignored issues in search-service"). */
  private readonly projectSubjects = new Map<string, Map<string, Subject>>();
  private readonly clusterMembers = new Map<string, number[]>();
  private readonly titleTermCache = new Map<string, Set<string>>();
  /** Subject states computed since the last `add`: a state changes only when documents arrive. */
  private readonly states = new Map<string, SubjectState>();
  private highestSeq = 0;

  get watermark(): number {
    return this.highestSeq;
  }

  get size(): number {
    return this.docs.length;
  }

  indexOf(id: string): number | undefined {
    return this.ids.get(id);
  }

  add(documents: readonly SearchDocument[]): void {
    if (documents.length > 0) this.states.clear();
    for (const doc of documents) {
      if (this.ids.has(doc.id)) continue;
      const n = this.docs.length;
      this.docs.push(doc);
      this.ids.set(doc.id, n);
      this.highestSeq = Math.max(this.highestSeq, doc.seq);
      const keys = [
        ...doc.entities.map((e) => e.key),
        ...KEY_FIELDS.map((f) => metaString(doc, f) ?? ""),
      ].join(" ");
      this.lexical.add(n, { title: doc.title, body: doc.body, keys });
      for (const entity of doc.entities) this.entities.add(n, entity);
      for (const key of doc.threadKeys) push(this.threads, key, n);
      for (const ref of doc.references)
        if (ref.type === "alert") push(this.threads, `alert:${ref.id}`, n);
      const shortId = metaString(doc, "shortId");
      const issueId = metaString(doc, "issueId");
      if (shortId && issueId) {
        this.shortIds.set(issueId, shortId);
        this.numericIds.set(shortId, issueId);
      }
      const project = metaString(doc, "project");
      const platform = metaString(doc, "platform");
      if (project && platform) this.platforms.set(project, platform);
      if (doc.clusterId) push(this.clusterMembers, doc.clusterId, n);
      if (doc.actor) this.person(doc.actor.name, doc.actor.email, n);
      const assignee = metaString(doc, "assigneeName");
      if (assignee) this.person(assignee, metaString(doc, "assignee") ?? null, n);
      const subject = this.subjectOf(n);
      if (subject.type !== "observation") {
        const projects = [project, ...((doc.metadata.projects as unknown[] | undefined) ?? [])];
        for (const p of projects) {
          if (typeof p !== "string" || p === "") continue;
          let subjects = this.projectSubjects.get(p);
          if (!subjects) {
            subjects = new Map();
            this.projectSubjects.set(p, subjects);
          }
          subjects.set(subjectKey(subject), subject);
        }
      }
    }
  }

  private person(name: string, email: string | null, doc: number): void {
    const folded = fold(name).trim();
    if (folded === "") return;
    let person = this.people.get(folded);
    if (!person) {
      person = { name, folded, email, docs: [] };
      this.people.set(folded, person);
    }
    if (!person.email && email) person.email = email;
    if (person.docs.at(-1) !== doc) person.docs.push(doc);
  }

  /** The terms of a title, kept: titles repeat across an issue's events and across searches. */
  titleTerms(title: string): Set<string> {
    let found = this.titleTermCache.get(title);
    if (!found) {
      found = new Set(terms(title));
      if (this.titleTermCache.size > 100_000) this.titleTermCache.clear();
      this.titleTermCache.set(title, found);
    }
    return found;
  }

  /** Each project with the platform its events report (Sentry's `platform`), as last seen. */
  projectPlatforms(): Map<string, string> {
    return this.platforms;
  }

  /** Issue and alert subjects seen in a project. An error seen before its issue may be listed by numeric id. */
  subjectsIn(project: string): Subject[] {
    return [...(this.projectSubjects.get(project)?.values() ?? [])];
  }

  /** Documents of a capture cluster, in capture order. */
  membersOfCluster(clusterId: string): readonly number[] {
    return this.clusterMembers.get(clusterId) ?? [];
  }

  /** What a document is about: the alert it reports, else the issue of its thread, else itself. */
  subjectOf(n: number): Subject {
    const doc = this.docs[n]!;
    const alert = doc.references.find((r) => r.type === "alert");
    if (alert) return { type: "alert", id: alert.id };
    const shortId = metaString(doc, "shortId");
    if (shortId) return { type: "issue", id: shortId };
    for (const key of doc.threadKeys) {
      if (!key.startsWith("issue:")) continue;
      const id = key.slice("issue:".length);
      return { type: "issue", id: this.shortIds.get(id) ?? id };
    }
    return { type: "observation", id: doc.id };
  }

  /** The documents whose thread keys include `key` (`issue:<id>`, `alert:<id>`), in capture order. */
  threadMembers(key: string): readonly number[] {
    return this.threads.get(key) ?? [];
  }

  /** Every document of a subject, oldest first by capture order. */
  membersOf(subject: Subject): number[] {
    switch (subject.type) {
      case "observation": {
        const n = this.ids.get(subject.id);
        return n === undefined ? [] : [n];
      }
      case "alert":
        return this.threads.get(`alert:${subject.id}`) ?? [];
      case "issue": {
        const numeric = this.numericIds.get(subject.id);
        const set = new Set([
          ...(this.threads.get(`issue:${subject.id}`) ?? []),
          ...(numeric ? (this.threads.get(`issue:${numeric}`) ?? []) : []),
        ]);
        return [...set].sort((a, b) => a - b);
      }
      default: {
        const unknown: never = subject.type;
        throw new Error(`unknown subject type ${String(unknown)}`);
      }
    }
  }

  stateOf(subject: Subject): SubjectState {
    const key = subjectKey(subject);
    let state = this.states.get(key);
    if (!state) {
      state = this.computeState(subject, this.membersOf(subject));
      this.states.set(key, state);
    }
    return state;
  }

  private computeState(subject: Subject, members: number[]): SubjectState {
    const docs = members.map((n) => this.docs[n]!);
    const latest = <T>(pick: (d: SearchDocument) => T | undefined): T | undefined => {
      for (let i = docs.length - 1; i >= 0; i--) {
        const value = pick(docs[i]!);
        if (value !== undefined) return value;
      }
      return undefined;
    };
    const stateDoc = latest((d) =>
      subject.type === "alert"
        ? metaString(d, "incidentStatus") || metaString(d, "alertStatus")
          ? d
          : undefined
        : d.sourceType.startsWith("issue.") && metaString(d, "status")
          ? d
          : undefined,
    );
    const state =
      stateDoc === undefined
        ? null
        : subject.type === "alert"
          ? (metaString(stateDoc, "incidentStatus") ?? metaString(stateDoc, "alertStatus") ?? null)
          : (metaString(stateDoc, "status") ?? null);
    const issueLabel = latest((d) =>
      subject.type === "issue"
        ? d.references.find((r) => r.type === "issue" && r.id === subject.id)?.label
        : undefined,
    );
    const alertLabel = latest((d) =>
      subject.type === "alert" ? metaString(d, "alertRuleName") : undefined,
    );
    const first = docs[0];
    return {
      subject,
      state,
      assignee: stateDoc ? (metaString(stateDoc, "assigneeName") ?? null) : null,
      title: issueLabel ?? alertLabel ?? first?.title ?? "",
      url:
        latest(
          (d) =>
            d.references.find((r) => `${r.type}:${r.id}` === subjectKey(subject) && r.url)?.url,
        ) ??
        latest((d) => d.url ?? undefined) ??
        null,
      project:
        latest((d) => metaString(d, "project")) ??
        latest((d) => (d.metadata.projects as string[] | undefined)?.[0]) ??
        null,
      platform: latest((d) => metaString(d, "platform")) ?? null,
      members,
    };
  }
}
