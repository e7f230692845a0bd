// Every ktx subcommand, in the order `ktx --help` lists them.
import type { CommandModule } from 'yargs';
import { apiResourcesCommand, apiVersionsCommand } from './api-resources.js';
import { getCommand } from './get.js';
import { watchCommand } from './watch.js';
import { configCommand } from './config.js';
import { completeCommand, completionCommand } from './completion.js';
import { applyCommand } from './apply.js';
import { diffCommand } from './diff.js';
import { deleteCommand } from './delete.js';
import { editCommand } from './edit.js';

export const commands = [getCommand, watchCommand, apiResourcesCommand, apiVersionsCommand, configCommand, completionCommand, completeCommand, applyCommand, diffCommand, deleteCommand, editCommand] as unknown as Array<CommandModule<object, never>>;
