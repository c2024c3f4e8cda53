// The DOC item of one indexed conversation: which segment holds its live postings, which segment
// an unfinished write may have put some in (`pending`), and the content_hash they were built
// from (an unchanged conversation is not indexed again).

export interface SearchDocItem {
  pk: string;
  sk: string;
  conversation_id: string;
  content_hash?: string;
  segment?: string;
  pending?: string;
}
