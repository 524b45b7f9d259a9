interface Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * t3's default handler throws a bare "Invalid environment variables" and leaves the names in a console
 * line that logs often drop; the thrown message itself has to say which variable and what to set.
 */
export function failOnIssues(issues: readonly Issue[]): never {
  const lines = issues.map((issue) => {
    const name = issue.path
      ?.map((part) => String(typeof part === "object" ? part.key : part))
      .join(".");
    return name && !issue.message.includes(name) ? `${name}: ${issue.message}` : issue.message;
  });
  throw new Error(`Invalid environment variables:\n  ${lines.join("\n  ")}`);
}

/**
 * The options every package's `env.ts` passes to `createEnv`. This module and the `env.ts` files are the
 * only readers of `process.env`. `SKIP_ENV_VALIDATION=1` exists for tooling that imports modules without
 * running them (type generation); nothing at run time sets it.
 */
export const envOptions = {
  runtimeEnv: process.env,
  emptyStringAsUndefined: true,
  skipValidation: process.env.SKIP_ENV_VALIDATION === "1",
  onValidationError: failOnIssues,
} as const;
