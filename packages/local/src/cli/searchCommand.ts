import { Command, InvalidArgumentError } from 'commander';
import type { SearchHit, SearchResult } from '@threadline/core/search/searchArchive';
import { MAX_SEARCH_LIMIT } from '@threadline/core/search/searchQuery';
import { writeOutput } from './standardOutput';

/** `threadline search "<query>"`: ranked hits over every message of the user's archive. */
export function searchCommand(fail: (error: unknown) => never): Command {
  return new Command('search')
    .description('Search every message of the archive: words (all must match), "quoted phrases", any script')
    .argument('<query>', 'e.g. iceland "trip plan"')
    .option('--user <id>', 'the archive user', 'local')
    .option('--limit <n>', `hits to show (1–${MAX_SEARCH_LIMIT})`, searchLimit, 20)
    .option('--from <date>', 'only conversations created on or after YYYY-MM-DD')
    .option('--to <date>', 'only conversations created on or before YYYY-MM-DD')
    .option('--model <slug>', "only conversations of this model (e.g. gpt-4o)")
    .option('--json', 'print a JSON array of hits (conversation_id, message_id, title, snippet, score, …)', false)
    .action(async (q: string, options: { user: string; limit: number; json: boolean; from?: string; to?: string; model?: string }) => {
      // Loaded when run, so `threadline --help` does not load the AWS SDK; read like `show`, without a boot.
      const [{ searchArchive }, { withArchiveReader }] = await Promise.all([import('@threadline/core/search/searchArchive'), import('./withArchiveReader')]);
      const result = await withArchiveReader(async (system) => {
        // A phrase search may answer a short page and a cursor: read on until --limit hits.
        const hits: SearchHit[] = [];
        let page: SearchResult;
        let cursor: string | undefined;
        do {
          page = await searchArchive(system, options.user, {
            q,
            limit: options.limit - hits.length,
            ...(cursor ? { cursor } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
            ...(options.model ? { model: options.model } : {}),
          });
          hits.push(...page.hits);
          cursor = page.cursor ?? undefined;
        } while (cursor && hits.length < options.limit);
        return { ...page, hits };
      }).catch(fail);
      await writeOutput(options.json ? JSON.stringify(result.hits) + '\n' : hitsText(result.hits, result.total, result.total_exact));
      process.exit(0);
    });
}

function searchLimit(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_SEARCH_LIMIT) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_SEARCH_LIMIT}`);
  return parsed;
}

/** Matches in [brackets]: a terminal shows no markup, and the text is the user's own. */
function hitsText(hits: SearchHit[], total: number, exact: boolean): string {
  if (hits.length === 0) return 'no matches\n';
  const lines = hits.map((hit) => {
    let snippet = '';
    let at = 0;
    for (const [start, end] of hit.highlights) {
      snippet += `${hit.snippet.slice(at, start)}[${hit.snippet.slice(start, end)}]`;
      at = end;
    }
    snippet += hit.snippet.slice(at);
    return `${hit.conversation_id}  ${hit.score.toFixed(2).padStart(6)}  ${hit.title}\n    #${hit.position} ${snippet}`;
  });
  return `${lines.join('\n')}\n${hits.length} of ${exact ? '' : 'up to '}${total} conversation(s)\n`;
}
