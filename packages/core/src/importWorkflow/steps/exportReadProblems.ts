// What of an export could not be read, said in the user's terms for the job: the file they
// uploaded (never its storage key), the file inside it, the byte, and what was imported anyway.

import { describeTruncatedFile, type TruncatedFile } from '../../chatgptExport/truncatedFile';

export interface UploadedExport {
  /** The file name the user picked. */
  name: string;
  kind: 'zip' | 'json';
}

/** A read error after some conversations were read: the reader cannot resume past it. */
export interface ReadFault {
  /** The reader's one-line message; it starts with the file it failed in. */
  message: string;
  /** The base name of that file. */
  file: string;
  /** Conversations read before the fault, across the export. */
  conversationsBefore: number;
  /** Conversation files after the failing one, never read. */
  filesAfter: string[];
}

export function describeReadProblems(upload: UploadedExport, truncated: readonly TruncatedFile[], fault: ReadFault | null): string[] {
  // A bare JSON upload is its own conversations file, which the reader already names.
  const inUpload = upload.kind === 'zip' ? `${upload.name}: ` : '';
  const problems = truncated.map((file) => `${inUpload}${describeTruncatedFile(file)}`);
  if (fault) {
    const unread = upload.kind === 'zip' ? [`the rest of ${fault.file}`, ...fault.filesAfter] : [];
    problems.push(
      `${inUpload}${fault.message}; the ${fault.conversationsBefore} conversation(s) before it were imported` +
        (unread.length > 0 ? `; not read: ${unread.join(', ')}` : ''),
    );
  }
  return problems;
}
