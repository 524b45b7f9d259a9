import { clusters, type Database, ensureEmbeddingModel, textArray } from "@db/console";
import { createVectorStore, pgvectorTableName } from "@repo/vectors";
import { type SQL, sql } from "drizzle-orm";

/** mulberry32: the corpus and the queries are the same on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const list = (text: string) => text.trim().split(/\s+/);
const HEAD_WORDS = list(`
  payment timeout connection request failed cart checkout token session database query undefined null
  cannot read property order user refund invoice webhook retry queue worker cache redis stripe card charge
  price stock inventory sync search index login password email notification push render image upload file
  config deploy release build latency slow memory leak crash freeze launch network socket closed reset
  refused denied permission expired invalid missing duplicate conflict limit rate throttle quota parse json
  response status gateway proxy upstream handler middleware route api client server job cron schedule
  batch export import report dashboard filter sort page scroll button modal form field value state store
  reducer effect hook component layout style font locale currency tax shipping address coupon discount
  cart-item subscription plan trial billing ledger balance transfer account profile avatar settings admin
  role audit log metric alert threshold spike error warning`);
const SYLLABLES =
  list(`ka lo me ri tu va ne so pi da ge mu ta re li no fa be zo xi wen dor mar ten vel sil
  qua tri bra ster plin gro mox fen dal rek`);
const PROJECT_AREAS =
  list(`web payments search auth inventory notifications admin billing orders catalog
  shipping analytics reviews ledger gateway profile pricing media`);
/** Project suffix -> the platform Sentry reports for it. */
const PLATFORMS = Object.fromEntries(
  list(`api:node service:java worker:python sync:python dashboard:javascript ios:cocoa android:android
    checkout:javascript`).map((pair) => pair.split(":") as [string, string]),
);
const ERROR_TYPES =
  list(`TypeError TimeoutError ReferenceError SyntaxError RangeError ConnectionRefusedError
  NullPointerException IllegalStateException JsonParseException KeyError ValueError AttributeError
  OperationalError IntegrityError DeadlineExceeded NSInvalidArgumentException NSRangeException
  OutOfMemoryError SocketTimeoutException ChunkLoadError AbortError QuotaExceededError StripeCardError
  ExpiredSignatureError RedisTimeoutError PrismaClientKnownRequestError ZeroDivisionError IndexError
  UnauthorizedError RateLimitError`);
const FIRST =
  list(`Aisha Sam Nina Ravi Mei Ethan Priya Łukasz Zoë Omar Hana Diego Chloe Kwame Ines Tomas
  Yuki Leila Marco Freya Arjun Sofia Noah Amara`);
const LAST =
  list(`Bello Okafor Petrova Iyer Tanaka Brooks Raman Nowak Adeyemi Haddad Kim Alvarez Martin
  Mensah Costa Novak Sato Rahimi Rossi Lund Menon Silva Becker Obi`);
/** Source files as each platform names them; JavaScript's are the default. */
const FILES: Record<string, (a: string, b: string, c: string) => string> = {
  python: (a, b, c) => `app/${a}/${b.toLowerCase()}_${c.toLowerCase()}.py`,
  java: (_, b, c) => `${b}${c}Client.java`,
  cocoa: (_, b, c) => `${b}${c}View.swift`,
  android: (_, b, c) => `${b}${c}Activity.kt`,
};
const VERBS = list(
  "fetch load save render handle create update parse validate sync apply send build",
);

export type Vocabulary = ReturnType<typeof vocabulary>;

const capital = (w: string) => w[0]!.toUpperCase() + w.slice(1);

/** A Zipf-like pick: low indexes (the head words, the first issues) come up far more often. */
const skewed = (random: () => number, n: number, power: number) =>
  Math.floor(n * random() ** power);

/** ~3000 words, 40 projects, 24 people and 2000 issues, each issue with its title, file and function. */
export function vocabulary(options: { words?: number; issues?: number } = {}) {
  const random = rng(7);
  const words = new Set(HEAD_WORDS);
  while (words.size < (options.words ?? 3000)) {
    const n = 2 + Math.floor(random() * 3);
    let w = "";
    for (let s = 0; s < n; s++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(w);
  }
  const all = [...words];
  const projects = PROJECT_AREAS.flatMap((a) =>
    Object.entries(PLATFORMS).map(([b, platform]) => ({
      slug: `${a}-${b}`,
      platform,
      key: random(),
    })),
  )
    .sort((x, y) => x.key - y.key)
    .slice(0, 40)
    .map(({ slug, platform }) => ({ slug, platform }));
  const people = FIRST.map((first, i) => {
    const name = `${first} ${LAST[i]}`;
    const email = `${name.normalize("NFKD").replace(/\p{M}/gu, "").replace("Ł", "L").toLowerCase().replace(" ", ".")}@brightcart.io`;
    return { i: i + 1, id: `act_bench_${i + 1}`, name, email };
  });
  const word = () => all[skewed(random, all.length, 2.5)]!;
  const perProject = new Map<string, number>();
  const issues = Array.from({ length: options.issues ?? 2000 }, (_, k) => {
    const project = projects[skewed(random, projects.length, 1.5)]!;
    const seq = (perProject.get(project.slug) ?? 0) + 1;
    perProject.set(project.slug, seq);
    const shortId = `${project.slug.toUpperCase()}-${(1296 + 37 * seq).toString(36).toUpperCase()}`;
    const errorType = ERROR_TYPES[skewed(random, ERROR_TYPES.length, 1.7)]!;
    const message = Array.from({ length: 3 + Math.floor(random() * 6) }, word).join(" ");
    const [a, b, c] = [word(), word(), word()];
    const fn = `${VERBS[Math.floor(random() * VERBS.length)]}${capital(b)}${capital(c)}`;
    const file =
      FILES[project.platform]?.(a, capital(b), capital(c)) ??
      `src/${a}/${b}-${c}.ts${random() < 0.5 ? "x" : ""}`;
    const level = random() < 0.1 ? "fatal" : random() < 0.25 ? "warning" : "error";
    return {
      i: k + 1,
      shortId,
      numericId: String(6204000000 + k * 1373),
      project: project.slug,
      platform: project.platform,
      errorType,
      title: `${errorType}: ${capital(message)}`,
      file,
      fn,
      culprit: `${fn}(${file.replace(/\.\w+$/, "")})`,
      level,
      clusterId: `clu_bench_${k + 1}`,
      // The entities capture would extract from such an event, as `<category>:<key>`.
      entityKeys: Object.entries({ short_id: shortId, error_type: errorType, file, function: fn })
        .concat([["project", project.slug]])
        .map(([category, key]) => `${category}:${key}`),
    };
  });
  return { words: all, projects, people, issues };
}

/** A random unit vector, for cluster centroids. */
function unitVector(random: () => number, dimension: number): number[] {
  const v = Array.from({ length: dimension }, () => random() * 2 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const iso = (column: string) =>
  `to_char((${column}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const LINK = "'https://sentry.io/organizations/brightcart/issues/' || i.numeric_id || '/'";

/** Lines every issue.* event's body carries, as Sentry's transformer writes them. */
const ISSUE_LINES = `i.title,
  'Issue: ' || i.short_id || ' (Sentry issue ' || i.numeric_id || ')',
  'Project: ' || i.project, 'Culprit: ' || i.culprit, 'Location: ' || i.file || ' in ' || i.fn,
  'Level: ' || i.level,
  'Status: ' || case g.kind when 'issue.resolved' then 'resolved' when 'issue.created' then 'unresolved (new)' else 'unresolved' end,
  'Events: ' || (1 + g.n % 97), 'Users affected: ' || (1 + g.n % 41),
  'First seen: ' || ${iso("g.at - interval '2 days'")}, 'Last seen: ' || ${iso("g.at")}`;

const BODY = `case g.kind
  when 'error.created' then concat_ws(E'\\n', i.title, 'Culprit: ' || i.culprit, 'Level: ' || i.level,
    'Project: ' || i.project, 'Environment: production', 'Release: ' || i.project || '@2026.' || (1 + g.n % 12) || '.' || (1 + g.n % 28) || '.1',
    'Platform: ' || i.platform, 'Handled: no', 'Sentry issue: ' || i.numeric_id, 'Event: ' || md5(g.obs_id),
    'Top in-app frames (innermost first):', '  ' || i.file || ' in ' || i.fn || ' at line ' || (1 + g.n % 400),
    'Link: ' || ${LINK} || 'events/' || md5(g.obs_id) || '/')
  when 'comment.created' then concat_ws(E'\\n', g.words, 'Issue: Sentry issue ' || i.numeric_id,
    'Project: ' || i.project, 'Comment by: ' || p.name)
  when 'issue.assigned' then concat_ws(E'\\n', ${ISSUE_LINES}, 'Assigned to: ' || a.name || ' <' || a.email || '>', 'Assigned by: ' || p.name)
  when 'issue.resolved' then concat_ws(E'\\n', ${ISSUE_LINES}, 'Assigned to: ' || a.name || ' <' || a.email || '>', 'Resolved by: ' || p.name)
  else concat_ws(E'\\n', ${ISSUE_LINES}, 'Link: ' || ${LINK}) end`;

const TITLE = `case g.kind when 'comment.created' then 'Comment on issue ' || i.numeric_id || ': ' || rtrim(left(g.words, 80))
  when 'issue.assigned' then 'Assigned to ' || a.name || ': ' || i.title
  when 'issue.resolved' then 'Resolved: ' || i.title else i.title end`;

const REFERENCES = `case g.kind
  when 'error.created' then jsonb_build_array(jsonb_build_object('id', i.numeric_id, 'url', ${LINK}, 'type', 'issue'), jsonb_build_object('id', i.project, 'type', 'project', 'label', i.project))
  when 'comment.created' then jsonb_build_array(jsonb_build_object('id', i.numeric_id, 'type', 'issue'), jsonb_build_object('id', (40000000 + g.n)::text, 'type', 'comment'), jsonb_build_object('id', i.project, 'type', 'project', 'label', i.project))
  else jsonb_build_array(jsonb_build_object('id', i.short_id, 'url', ${LINK}, 'type', 'issue', 'label', i.title), jsonb_build_object('id', i.project, 'type', 'project', 'label', i.project))
    || case when g.kind in ('issue.assigned', 'issue.resolved') then jsonb_build_array(jsonb_build_object('id', a.email, 'type', 'assignee', 'label', a.name)) else '[]'::jsonb end end`;

const METADATA = `case g.kind
  when 'error.created' then jsonb_build_object('level', i.level, 'action', 'created', 'culprit', i.culprit, 'eventId', md5(g.obs_id), 'issueId', i.numeric_id, 'project', i.project, 'filename', i.file, 'function', i.fn, 'platform', i.platform, 'errorType', i.error_type, 'environment', 'production')
  when 'comment.created' then jsonb_build_object('action', 'created', 'issueId', i.numeric_id, 'project', i.project, 'commentId', (40000000 + g.n)::text)
  else jsonb_build_object('level', i.level, 'action', split_part(g.kind, '.', 2), 'status', case g.kind when 'issue.resolved' then 'resolved' else 'unresolved' end, 'culprit', i.culprit, 'issueId', i.numeric_id, 'project', i.project, 'shortId', i.short_id, 'filename', i.file, 'function', i.fn, 'platform', i.platform, 'errorType', i.error_type, 'count', 1 + g.n % 97, 'organization', 'brightcart')
    || case when g.kind in ('issue.assigned', 'issue.resolved') then jsonb_build_object('assignee', a.email, 'assigneeName', a.name) else '{}'::jsonb end end`;

/**
 * Fills a workspace with `size` Sentry-like observations, their entity links and `views` vectors each, in
 * chunked INSERT ... SELECT statements, so the data is made by Postgres and never crosses into JS.
 */
export async function generateCorpus(
  db: Database,
  params: {
    workspaceId: string;
    size: number;
    views: number;
    dimension: number;
    model: string;
    vocab: Vocabulary;
    chunk?: number;
    /** Awaited after each chunk, e.g. for what the runtime's timers would do meanwhile. */
    afterChunk?: (done: number, rows: number) => Promise<void>;
  },
): Promise<{ observations: number; links: number; vectors: number; seconds: number }> {
  const { workspaceId: ws, size, vocab, dimension } = params;
  const started = performance.now();
  const run = (statement: SQL) => db.execute(statement);
  const raw = (text: string) => run(sql.raw(text));
  await ensureEmbeddingModel(db, { workspaceId: ws, model: params.model, dimension });
  // The store creates its table and index exactly as capture would; only the rows are bulk-written.
  await createVectorStore({ kind: "pgvector", db, dimension }).ping();
  await run(sql`select setseed(0.42)`);
  const firstAt = Date.UTC(2025, 8, 1);
  const spanDays = 180;
  const statements = async (text: string) => {
    for (const statement of text.split(";")) await raw(statement);
  };
  await statements(`create table bench_words (i int primary key, w text not null);
    create table bench_issues (i int primary key, short_id text, numeric_id text, project text, platform text,
      error_type text, title text, file text, fn text, culprit text, level text, cluster_id text, entity_keys jsonb);
    create table bench_people (i int primary key, actor_id text, name text, email text, entity_id text);
    create table bench_issue_entities (issue_i int, category text, key text, entity_id text);
    create table bench_g (n int primary key, obs_id text, iss int, kind text, person int, assignee int,
      at timestamptz, r float8, words text)`);
  await run(
    sql`insert into bench_words select ord, word from unnest(${textArray(vocab.words)}) with ordinality as w(word, ord)`,
  );
  await run(sql`insert into bench_issues select i, "shortId", "numericId", project, platform, "errorType",
    title, file, fn, culprit, level, "clusterId", "entityKeys"
    from jsonb_to_recordset(${JSON.stringify(vocab.issues)}::jsonb) as x(i int, "shortId" text, "numericId" text,
      project text, platform text, "errorType" text, title text, file text, fn text, culprit text, level text,
      "clusterId" text, "entityKeys" jsonb)`);
  await run(sql`insert into bench_people select i, id, name, email, 'ent_' || substr(md5(${ws} || 'email:' || email), 1, 24)
    from jsonb_to_recordset(${JSON.stringify(vocab.people)}::jsonb) as x(i int, id text, name text, email text)`);
  await run(sql`insert into actors (id, workspace_id, source, external_id, name, email)
    select actor_id, ${ws}, 'sentry', email, name, email from bench_people`);
  await run(sql`insert into bench_issue_entities select i.i, split_part(k, ':', 1), substr(k, strpos(k, ':') + 1),
      'ent_' || substr(md5(${ws} || k), 1, 24)
    from bench_issues i, jsonb_array_elements_text(i.entity_keys) k`);
  await raw("create index on bench_issue_entities (issue_i)");
  const at = (fraction: number) => new Date(firstAt + fraction * spanDays * 86_400_000);
  const [first, last] = [at(0).toISOString(), at(1).toISOString()];
  await run(sql`insert into entities (id, workspace_id, category, key, label, first_seen_at, last_seen_at)
    select distinct on (entity_id) entity_id, ${ws}, category, key, key, ${first}::timestamptz, ${last}::timestamptz
    from bench_issue_entities
    union all select entity_id, ${ws}, 'email', email, name, ${first}::timestamptz, ${last}::timestamptz from bench_people`);
  const random = rng(11);
  const clusterRows = vocab.issues.map((issue) => ({
    id: issue.clusterId,
    workspaceId: ws,
    label: issue.title,
    centroid: unitVector(random, dimension),
    entityKeys: issue.entityKeys,
    observationCount: 1,
    firstSeenAt: at(random() * 0.5),
    lastSeenAt: at(0.5 + random() * 0.5),
  }));
  for (let i = 0; i < clusterRows.length; i += 250) {
    await db.insert(clusters).values(clusterRows.slice(i, i + 250));
  }

  const chunk = params.chunk ?? 10_000;
  const table = pgvectorTableName(dimension);
  // Uniform in ±a per element has variance a²/3; a = sqrt(3 / dimension) gives about unit length.
  const amplitude = Math.sqrt(3 / dimension) * 2 ** 24;
  const views = ["title", "content", "summary"]
    .slice(0, params.views)
    .map((v, k) => `('${v}', ${k})`);
  let links = 0;
  let vectors = 0;
  for (let a = 1; a <= size; a += chunk) {
    const b = Math.min(size, a + chunk - 1);
    await raw("truncate bench_g");
    // Comments get 8-19 words drawn Zipf-like from the vocabulary: the posting lists BM25 walks.
    await raw(`insert into bench_g
      select n, 'obs_' || substr(md5('${ws}:' || n), 1, 24), 1 + floor(${vocab.issues.length} * power(random(), 2))::int,
        kind, 1 + floor(random() * ${vocab.people.length})::int, 1 + floor(random() * ${vocab.people.length})::int,
        to_timestamp(${firstAt / 1000} + (n::float8 / ${size}) * ${spanDays * 86400} + random() * 3600), random(),
        case when kind = 'comment.created' then (select string_agg((select w from bench_words where i = k.idx), ' ')
          from (select 1 + floor(${vocab.words.length} * power(random(), 3))::int idx from generate_series(1, 8 + n % 12)) k) end
      from (select n, case when t < 0.12 then 'issue.created' when t < 0.57 then 'error.created' when t < 0.70 then 'issue.assigned'
        when t < 0.80 then 'issue.resolved' else 'comment.created' end kind from (select n, random() t from generate_series(${a}, ${b}) n) s) s`);
    await raw(`insert into observations (id, workspace_id, source, source_type, source_id, status, title, body, snippet,
        url, observation_type, significance, actor_id, cluster_id, "references", thread_keys, metadata, occurred_at)
      select g.obs_id, '${ws}', 'sentry', g.kind, 'sentry:bench:' || g.n, case when g.r < 0.04 then 'below_threshold' else 'captured' end,
        x.title, x.body, x.snippet, ${LINK},
        case g.kind when 'error.created' then 'error' when 'issue.created' then 'error' when 'issue.assigned' then 'assignment'
          when 'issue.resolved' then 'resolution' else 'discussion' end,
        30 + floor(g.r * 60)::int, case when g.kind not in ('issue.created', 'error.created') then p.actor_id end, i.cluster_id,
        ${REFERENCES},
        case when g.kind like 'issue.%' then jsonb_build_array('issue:' || i.numeric_id, 'issue:' || i.short_id) else jsonb_build_array('issue:' || i.numeric_id) end,
        ${METADATA}, g.at
      from bench_g g join bench_issues i on i.i = g.iss join bench_people p on p.i = g.person join bench_people a on a.i = g.assignee,
        lateral (select ${TITLE} title, ${BODY} body) x0,
        lateral (select x0.*, replace(substr(x0.body, strpos(x0.body, E'\\n') + 1), E'\\n', ' · ') rest) x1,
        lateral (select x1.*, case when length(rest) > 230 then left(rest, 230) || '…' else rest end snippet) x
      order by g.n`);
    const linked = await raw(`insert into observation_entities (observation_id, entity_id)
      select g.obs_id, e.entity_id from bench_g g join bench_issue_entities e on e.issue_i = g.iss
        where g.kind <> 'comment.created' or e.category = 'project'
      union all select g.obs_id, a.entity_id from bench_g g join bench_people a on a.i = g.assignee
        where g.kind in ('issue.assigned', 'issue.resolved')`);
    links += affected(linked);
    if (views.length > 0) {
      // Each view gets its own random vector, scaled to fixed point as the store writes it; `g.n >= 0`
      // ties the subquery to the row so Postgres draws a new one per row instead of once.
      const inserted =
        await raw(`insert into ${table} (namespace, id, embedding, metadata, updated_at)
        select '${ws}', 'obs_' || v.view || '_' || o.id,
          (select array_agg(round((random() * 2 - 1) * ${amplitude})::int) from generate_series(1, ${dimension}) where g.n + v.k >= 0)::vector,
          jsonb_build_object('workspaceId', '${ws}', 'view', v.view, 'observationId', o.id, 'source', 'sentry',
            'sourceType', o.source_type, 'observationType', o.observation_type, 'title', o.title, 'snippet', o.snippet,
            'occurredAt', ${iso("o.occurred_at")}, 'actor', coalesce(p.name, ''), 'entityKeys', i.entity_keys), now()
        from bench_g g join observations o on o.id = g.obs_id join bench_issues i on i.i = g.iss
          left join actors p on p.id = o.actor_id
          cross join (values ${views.join(", ")}) v(view, k)
        where o.status = 'captured'`);
      vectors += affected(inserted);
    }
    await params.afterChunk?.(b, b + links + vectors);
  }
  await statements(`update entities e set occurrence_count = c.n from
      (select entity_id, count(*)::int n from observation_entities group by 1) c where c.entity_id = e.id;
    update actors t set observation_count = c.n, last_active_at = c.last from
      (select actor_id, count(*)::int n, max(occurred_at) last from observations where workspace_id = '${ws}' and actor_id is not null group by 1) c
      where c.actor_id = t.id;
    update clusters t set observation_count = c.n from
      (select cluster_id, count(*)::int n from observations where workspace_id = '${ws}' group by 1) c where c.cluster_id = t.id;
    drop table bench_g, bench_words, bench_issues, bench_people, bench_issue_entities`);
  return { observations: size, links, vectors, seconds: (performance.now() - started) / 1000 };
}

/** Rows a write reported: PGlite answers `affectedRows`, postgres-js `count`. */
function affected(result: unknown): number {
  const r = result as { affectedRows?: number; count?: number };
  return Number(r.affectedRows ?? r.count ?? 0);
}

export interface BenchQuery {
  kind: string;
  query: string;
}

/** Swaps two neighbouring characters: the typo people make typing an identifier from memory. */
function transpose(random: () => number, text: string): string {
  const i = 1 + Math.floor(random() * (text.length - 3));
  return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
}

/**
 * Queries of the kinds the dev evaluation set asks (identifiers, error types, words, scopes, typos,
 * people, files), drawn from the generated vocabulary so each one has matches in the corpus.
 */
export function benchQueries(vocab: Vocabulary, count: number, seed = 23): BenchQuery[] {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const mid = vocab.words.slice(50, 1500);
  const kinds: [string, () => string][] = [
    ["shortId", () => `${pick(["", "what happened with "])}${pick(vocab.issues).shortId}`],
    ["shortIdTypo", () => transpose(random, pick(vocab.issues).shortId.toLowerCase())],
    ["issueNumber", () => `details for sentry issue ${pick(vocab.issues).numericId}`],
    [
      "errorType",
      () => `${pick(vocab.issues).errorType} errors in ${pick(vocab.projects).slug.split("-")[0]}`,
    ],
    ["words", () => `${pick(mid)} ${pick(vocab.words.slice(0, 200))} failing`],
    [
      "project",
      () => `${pick(["unresolved", "ignored", "resolved"])} issues in ${pick(vocab.projects).slug}`,
    ],
    [
      "typo",
      () => `${transpose(random, pick(vocab.words.filter((w) => w.length >= 6)))} ${pick(mid)}`,
    ],
    [
      "actor",
      () => {
        const person = pick(vocab.people);
        const [first, last] = person.name.split(" ");
        return pick([
          `issues ${last} is handling`,
          `bugs ${person.email.split("@")[0]} fixed`,
          `${first} ${last}'s resolved issues`,
        ]);
      },
    ],
    [
      "file",
      () => {
        const issue = pick(vocab.issues);
        return pick([`errors in ${issue.file.split("/").at(-1)}`, `${issue.fn} failures`]);
      },
    ],
    [
      "phrase",
      () => pick(vocab.issues).title.split(": ")[1]!.split(" ").slice(0, 4).join(" ").toLowerCase(),
    ],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [kind, make] = kinds[i % kinds.length]!;
    return { kind, query: make() };
  });
}
