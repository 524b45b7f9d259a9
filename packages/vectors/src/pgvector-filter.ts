import { type SQL, sql } from "drizzle-orm";
import type { FilterClause, Scalar } from "./validate";

/**
 * Equality as jsonb containment, with the compared object sent as a bound parameter: user values never
 * reach the SQL text. A string also matches inside a string[] field, as a Pinecone list field does.
 */
function equals(key: string, value: Scalar): SQL {
  const scalar = JSON.stringify({ [key]: value });
  if (typeof value !== "string") return sql`(metadata @> ${scalar}::jsonb)`;
  const listed = JSON.stringify({ [key]: [value] });
  return sql`(metadata @> ${scalar}::jsonb or metadata @> ${listed}::jsonb)`;
}

function clause(c: FilterClause): SQL {
  switch (c.op) {
    case "$eq":
      return equals(c.key, c.value);
    // Negated equality, so a record without the field matches and a list matches when it lacks the value.
    case "$ne":
      return sql`not ${equals(c.key, c.value)}`;
    case "$in":
      if (c.values.length === 0) return sql`false`;
      return sql`(${sql.join(
        c.values.map((v) => equals(c.key, v)),
        sql` or `,
      )})`;
  }
}

/** `and …` fragments to append after the namespace predicate; empty when there is no filter. */
export function filterSql(clauses: readonly FilterClause[]): SQL {
  if (clauses.length === 0) return sql``;
  return sql` and ${sql.join(clauses.map(clause), sql` and `)}`;
}
