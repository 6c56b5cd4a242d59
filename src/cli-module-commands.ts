// Further CLI commands contributed by modules (simulate, backup, restore, …), keyed by name.
import type { Config } from './config.js';
import { backupCommand, restoreCommand } from './modules/backup/backup.cli.js';
import { simulateCommand } from './modules/positions/simulate.cli.js';

export type CliCommand = (config: Config, args: string[]) => Promise<void>;

export const extraCommands: Record<string, CliCommand> = {
  backup: backupCommand,
  restore: restoreCommand,
  simulate: simulateCommand,
};
