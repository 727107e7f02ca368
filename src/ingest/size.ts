/**
 * The one wording of a size refusal, for story files, feed files and fetched bodies alike:
 * `too large (20.0 MiB; the limit is 10 MiB)`.
 */

const KIB = 1024;
const MIB = 1024 * 1024;

/**
 * A byte count in the unit that suits it: `512 bytes`, `4.9 KiB`, `0.1 MiB`, `20.0 MiB` (MiB from a
 * tenth of one, as limits are configured); `whole`: no `.0` (`10 MiB`).
 */
export function formatBytes(bytes: number, whole = false): string {
  if (bytes < KIB) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const [n, unit] = bytes < MIB / 10 ? [bytes / KIB, 'KiB'] : [bytes / MIB, 'MiB'];
  const text = n.toFixed(1);
  return `${whole && text.endsWith('.0') ? text.slice(0, -2) : text} ${unit}`;
}

/**
 * Why something of `size` bytes is refused under a limit of `max` bytes: `too large (20.0 MiB;
 * the limit is 10 MiB)`. When rounding would make the two look equal, exact byte counts.
 * Without a known size (a body still streaming): `too large (over the limit of 10 MiB)`.
 */
export function tooLargeReason(size: number | null, max: number): string {
  if (size === null) return `too large (over the limit of ${formatBytes(max, true)})`;
  const shown = formatBytes(size);
  const limit = formatBytes(max, true);
  if (shown.split(' ')[1] === limit.split(' ')[1] && Number.parseFloat(shown) <= Number.parseFloat(limit)) return `too large (${size} bytes; the limit is ${max} bytes)`;
  return `too large (${shown}; the limit is ${limit})`;
}
