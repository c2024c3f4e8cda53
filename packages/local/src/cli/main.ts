import { Command } from 'commander';

const program = new Command('threadline').description('Import ChatGPT exports into a durable archive');
await program.parseAsync(process.argv);
