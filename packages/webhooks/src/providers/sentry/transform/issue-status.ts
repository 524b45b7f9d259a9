import type { Reference } from "@repo/schemas";
import { nonEmpty, reference } from "./shared";

type StatusDetails = Record<string, unknown> | null | undefined;

export interface ResolutionFacts {
  release?: string;
  nextRelease: boolean;
  commit?: { id: string; repository?: string; message?: string };
}

/**
 * `statusDetails.inCommit` is a bare sha, `{commit, repository}` (docs) or `{id, message, dateCreated}`
 * (the serialized commit); all three name the same thing.
 */
export function resolutionFacts(details: StatusDetails): ResolutionFacts {
  const inRelease = details?.inRelease;
  const release =
    nonEmpty(inRelease) ??
    (inRelease && typeof inRelease === "object"
      ? nonEmpty((inRelease as { version?: unknown }).version)
      : undefined);
  const raw = details?.inCommit;
  let commit: ResolutionFacts["commit"];
  if (typeof raw === "string" && raw.trim() !== "") {
    commit = { id: raw.trim() };
  } else if (raw && typeof raw === "object") {
    const c = raw as Record<string, unknown>;
    const id = nonEmpty(c.commit) ?? nonEmpty(c.id) ?? nonEmpty(c.key);
    const repo = c.repository;
    const repository =
      nonEmpty(repo) ??
      (repo && typeof repo === "object" ? nonEmpty((repo as { name?: unknown }).name) : undefined);
    if (id) commit = { id, repository, message: nonEmpty(c.message)?.split("\n")[0] };
  }
  return {
    release,
    nextRelease: details?.inNextRelease === true || details?.inUpcomingRelease === true,
    commit,
  };
}

export function resolutionLines(
  details: StatusDetails,
  resolutionType: string | null | undefined,
): (readonly [string, unknown])[] {
  const facts = resolutionFacts(details);
  const commit = facts.commit;
  const commitText = commit
    ? [commit.id, commit.repository ? `(${commit.repository})` : undefined, commit.message]
        .filter((part) => part !== undefined)
        .join(" ")
    : undefined;
  return [
    ["Resolution", resolutionType?.replaceAll("_", " ")],
    ["Resolved in release", facts.release],
    // `resolution_type` already says "in next release" when Sentry sends it.
    ["Resolved in", facts.nextRelease && !resolutionType ? "the next release" : undefined],
    ["Resolved in commit", commitText],
  ];
}

export function resolutionReferences(details: StatusDetails): Reference[] {
  const facts = resolutionFacts(details);
  return [
    ...reference("release", facts.release),
    ...reference("commit", facts.commit?.id, {
      label: facts.commit?.message ?? facts.commit?.repository,
    }),
  ];
}

/** How long an ignored (archived) issue stays quiet, in words a search can match. */
export function ignoreCondition(details: StatusDetails): string | undefined {
  if (!details) return undefined;
  if (details.ignoreUntilEscalating === true) return "until escalating";
  const count = nonEmpty(details.ignoreCount);
  const users = nonEmpty(details.ignoreUserCount);
  const window = nonEmpty(details.ignoreWindow) ?? nonEmpty(details.ignoreUserWindow);
  const within = window ? ` within ${window} minutes` : "";
  if (count) return `until ${count} more events${within}`;
  if (users) return `until ${users} more users${within}`;
  const duration = nonEmpty(details.ignoreDuration);
  if (duration) return `for ${duration} minutes`;
  const until = nonEmpty(details.ignoreUntil);
  if (until) return `until ${until}`;
  return undefined;
}
