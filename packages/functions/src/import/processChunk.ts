import { importHandlers } from './importHandlers';
import { linkedImportContext } from './linkedImportContext';

export const handler = importHandlers(linkedImportContext).processChunk;
