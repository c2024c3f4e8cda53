/**
 * Writes to stdout and resolves once the text is handed to the OS: commands exit with
 * process.exit (the local system leaves sockets behind), which would cut a piped stdout short.
 */
export function writeOutput(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}
