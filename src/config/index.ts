/**
 * Configuration as the rest of the bot sees it: the validated config file plus the validated
 * environment, with the database path resolved (DATABASE_PATH wins over the file).
 */
import path from 'node:path';
import { readEnv, type Env, type EnvSource } from './env.js';
import { loadConfigFile, type ConfigFile } from './file.js';

export { ConfigError } from './errors.js';
export { configuredPlatforms, EnvSchema, LOG_LEVELS, readEnv, SECRET_VARIABLES, type Env, type EnvSource } from './env.js';
export {
  ConfigFileSchema,
  DEFAULT_CONFIG_FILE,
  DisplaySchema,
  loadConfigFile,
  parseConfigFile,
  type ConfigFile,
  type DisplayConfig,
} from './file.js';

/** Default config file, relative to the working directory. */
export const DEFAULT_CONFIG_PATH = 'config/newsroom.json';

/** Everything configurable, validated. */
export interface AppConfig {
  /** The config file that was read (or would have been, when the default file is absent). */
  configPath: string;
  file: ConfigFile;
  env: Env;
  /** SQLite database path: DATABASE_PATH, else the file's `database.path`; absolute unless `:memory:`. */
  databasePath: string;
  /** Which setting gave `databasePath`, for messages: `DATABASE_PATH` or `database.path in <config file>`. */
  databasePathSetting: string;
}

/**
 * Loads the environment (and `.env`), then the config file it names.
 * The default config file may be missing (defaults apply); a file named by NEWSROOM_CONFIG must exist.
 * @throws ConfigError with a message naming each invalid setting
 */
export function loadConfig(source: EnvSource = {}): AppConfig {
  const env = readEnv(source);
  const configPath = env.NEWSROOM_CONFIG ?? DEFAULT_CONFIG_PATH;
  const file = loadConfigFile(configPath, env.NEWSROOM_CONFIG === undefined);
  const db = env.DATABASE_PATH ?? file.database.path;
  const databasePathSetting = env.DATABASE_PATH !== undefined ? 'DATABASE_PATH' : `database.path in ${configPath}`;
  return { configPath, file, env, databasePath: db === ':memory:' ? db : path.resolve(db), databasePathSetting };
}
