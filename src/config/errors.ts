/**
 * The error every configuration loader throws: one message that names each invalid
 * setting (file key path or environment variable) and says what is expected, never
 * the value of a secret.
 */
import type { z } from 'zod';

/** A configuration problem the operator must fix; `problems` lists one line per invalid setting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly where: string,
    readonly problems: string[],
  ) {
    super(`${where}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Turns zod issues into one line per setting: `display.quotesPerPage: expected an integer ≥ 1`.
 * @param nameOf how to name a setting from its issue path (a dotted key path, or an env variable)
 * @param showValue whether the received value may be quoted (false for secrets)
 * @param where where the setting is in its file (`line 3, column 5`), when known
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  nameOf: (path: readonly PropertyKey[]) => string,
  showValue: (path: readonly PropertyKey[]) => string | null = () => null,
  where?: (issue: z.core.$ZodIssue) => string | null,
): string[] {
  return issues.map((issue) => {
    const name = nameOf(issue.path) || '(top level)';
    const got = showValue(issue.path);
    const at = where?.(issue);
    return `${name}: ${issue.message}${got !== null ? ` (got ${JSON.stringify(got)})` : ''}${at ? ` [${at}]` : ''}`;
  });
}
