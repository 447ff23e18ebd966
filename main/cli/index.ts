// The `face-atlas` command line: thin adapters over the engine; no business logic lives here.
import { Command, CommanderError } from 'commander';
import { registerEngineCommands, registerEvalVerify } from './commands/engine.ts';
import { registerServe } from './commands/serve.ts';
import { registerLibraryCommands } from './commands/library.ts';
import { registerPeopleCommands } from './commands/people.ts';
import { registerPeopleEditCommands } from './commands/people-edits.ts';
import { registerSettingsCommands } from './commands/settings.ts';
import { registerPhotosCommand } from './commands/photos.ts';
import { registerTrainCommands } from './commands/train.ts';
import { registerMapCommands } from './commands/map.ts';
import { CliError } from './output.ts';
import { exitQuietlyOnClosedPipe, terminalSafe } from './terminal.ts';

exitQuietlyOnClosedPipe();

const program = new Command();
program
  .name('face-atlas')
  .description('Find the people in a photo library: detect, align, embed, cluster and name faces, on a plain CPU.')
  .showHelpAfterError()
  .exitOverride();

registerEngineCommands(program);
registerServe(program);
registerLibraryCommands(program);
const evalCmd = program.command('eval').description('measure accuracy on labelled photos (see --help of each)');
registerEvalVerify(evalCmd);
registerPeopleCommands(program, evalCmd);
registerPeopleEditCommands(program);
registerSettingsCommands(program);
registerPhotosCommand(program);
registerTrainCommands(program, evalCmd);
registerMapCommands(program, evalCmd);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  const e = err as Error & { code?: string };
  console.error(`face-atlas: ${e instanceof CliError || e.name === 'ImageError' ? '' : `${e.name}: `}${terminalSafe(e.message)}`);
  process.exit(1);
}
