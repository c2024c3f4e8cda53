/**
 * The physical names of the system's resources. On AWS they come from SST's `Resource`; locally
 * the stack creates them (per test file, with a unique prefix) and passes the same shape.
 */
export interface ArchiveResources {
  tables: { Conversations: string; Imports: string };
  bucket: string;
}
