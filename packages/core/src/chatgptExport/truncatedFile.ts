/** A conversation file shorter than the export's manifest says it is: cut short in making or copying the export. */
export interface TruncatedFile {
  /** Base name, e.g. `conversations-002.json`. */
  name: string;
  bytes: number;
  /** The size `export_manifest.json` lists for it. */
  listedBytes: number;
}

export function describeTruncatedFile(file: TruncatedFile): string {
  return `${file.name} is truncated: it has ${file.bytes} of the ${file.listedBytes} bytes the export's manifest lists`;
}
