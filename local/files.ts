// Files the local runtime keeps in its data directory (the dev signing key, the business clock), written whole: a
// process killed outright (kill -9, a closed terminal) while it writes one leaves the file as it was before — or none —
// never half of one that the next `npm start` cannot read (it stopped with a SyntaxError until the file was deleted,
// and deleting the clock lost the store's business time). The text goes to a file of this process first, renamed over
// the file when whole (a rename within a directory is atomic).
import { renameSync, writeFileSync } from 'node:fs';

export function writeWhole(file: string, text: string, mode?: number): void {
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, text, mode === undefined ? undefined : { mode });
  renameSync(staging, file);
}
