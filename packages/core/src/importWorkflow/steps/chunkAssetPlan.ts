// Which chunk copies which file of the export. Split assigns each file to the first chunk whose
// conversations point at it (on any branch), so every file is copied by exactly one child of the
// Distributed Map, with the conversations that need it; a chunk also learns which of its file ids
// the export lacks, to count them. The plan records where each file sits in the archive (its
// central-directory facts), so the chunk reads exactly that byte range of the upload.

import type { ExportAssetFile, AssetInventory } from '../../chatgptExport/exportAssetInventory';
import type { ZipEntry } from '../../chatgptExport/zipArchive';
import { rawConversationFileIds } from '../../conversation/rawConversationFiles';

export interface PlannedAssetFile {
  fileId: string;
  name: string;
  entry: ZipEntry;
}

/** work/<importId>/chunks/NNNNN.assets.json */
export interface ChunkAssetPlan {
  /** The upload's storage key (checked against the one derived from the import). */
  archiveKey: string;
  /** The file name the user uploaded, for messages. */
  archiveName: string;
  files: PlannedAssetFile[];
  missing: string[];
}

/** A chunk whose files reach this many bytes is closed, so one child copies a bounded amount. */
export const MAX_ASSET_BYTES_PER_CHUNK = 1024 ** 3;

export class AssetPlanner {
  private readonly assigned = new Set<string>();
  private readonly plans = new Map<number, { files: PlannedAssetFile[]; missing: Set<string>; bytes: number }>();
  filesPlanned = 0;

  constructor(private readonly inventory: AssetInventory) {}

  /** Assigns the files of one raw conversation going into `chunk`; returns that chunk's planned bytes. */
  assign(chunk: number, rawConversation: unknown): number {
    const plan = this.planOf(chunk);
    for (const fileId of rawConversationFileIds(rawConversation)) {
      const file: ExportAssetFile | undefined = this.inventory.files.get(fileId);
      if (!file) {
        plan.missing.add(fileId);
        continue;
      }
      if (this.assigned.has(fileId)) continue;
      this.assigned.add(fileId);
      this.filesPlanned++;
      plan.files.push({ fileId, name: file.name, entry: file.entry });
      plan.bytes += file.entry.uncompressedSize;
    }
    return plan.bytes;
  }

  /** The chunks that have a plan, with their plans. */
  *chunkPlans(archive: Pick<ChunkAssetPlan, 'archiveKey' | 'archiveName'>): Generator<[number, ChunkAssetPlan]> {
    for (const [chunk, plan] of this.plans) {
      if (plan.files.length === 0 && plan.missing.size === 0) continue;
      yield [chunk, { ...archive, files: plan.files, missing: [...plan.missing] }];
    }
  }

  private planOf(chunk: number) {
    let plan = this.plans.get(chunk);
    if (!plan) {
      plan = { files: [], missing: new Set(), bytes: 0 };
      this.plans.set(chunk, plan);
    }
    return plan;
  }
}
