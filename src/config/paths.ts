/**
 * Checks on the paths the configuration names (the database file, story folders), made before
 * anything is opened, so that a wrong path is reported as one line naming the setting that gave
 * it (`DATABASE_PATH: cannot create /srv/x/newsroom.db: /srv/x is a file, not a folder`) instead
 * of an `EEXIST … mkdir` from deep inside a library.
 */
import fs from 'node:fs';
import path from 'node:path';

/** What a stat says, or null when nothing is there. */
function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/**
 * Whether the SQLite database file `file` can be opened or created.
 * @param setting the setting that named it (`DATABASE_PATH`, `database.path in config/newsroom.json`)
 * @returns null when it can, else one line naming the setting and what is wrong
 */
export function checkDatabaseFile(file: string, setting: string): string | null {
  if (file === ':memory:') return null;
  const abs = path.resolve(file);
  const st = statOrNull(abs);
  if (st?.isDirectory()) return `${setting}: ${file} is a folder; name a file in it, e.g. ${path.join(file, 'newsroom.db')}`;
  // The nearest existing folder above it must be a folder we may write in (SQLite creates its journal next to the file).
  let dir = path.dirname(abs);
  while (!statOrNull(dir)) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const above = statOrNull(dir);
  if (above && !above.isDirectory()) return `${setting}: cannot create ${file}: ${dir} is a file, not a folder`;
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    return `${setting}: cannot create ${file}: no permission to write in ${dir}`;
  }
  if (st) {
    try {
      fs.accessSync(abs, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      return `${setting}: cannot open ${file}: no permission to read and write it`;
    }
  }
  return null;
}

/**
 * Whether `dir` is a folder that can be read.
 * @param setting the setting that named it (`sources.folders[0]`, `examples.folder`)
 * @returns null when it is, else one line naming the setting and what is wrong
 */
export function checkFolder(dir: string, setting: string): string | null {
  const st = statOrNull(dir);
  if (!st) return `${setting}: no such folder ${dir} (looked for ${path.resolve(dir)})`;
  if (!st.isDirectory()) return `${setting}: ${dir} is a file, not a folder`;
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    return `${setting}: cannot read the folder ${dir} (permission denied)`;
  }
  return null;
}
