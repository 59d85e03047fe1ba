import { Command } from 'commander';
import { renderCommand } from './render-command.ts';

/** `callcenter asterisk …`: commands about the Asterisk side (asterisk/). */
export function asteriskCommand(): Command {
  return new Command('asterisk')
    .description('Asterisk configuration: render the per-operator and site parts (asterisk render)')
    .addCommand(renderCommand());
}
