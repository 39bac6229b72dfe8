/**
 * Entry point of the `gammafp` command (bin/gammafp.mjs imports the compiled
 * dist/src/cli/main.js). Runs the CLI on process.argv and sets the exit code;
 * the logic lives in cli.ts and commands.ts so tests can import it without running it.
 */
import { runCli } from './cli.js';

// A closed pipe on stdout (`gammafp list | head -1`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
