/**
 * Free-text search goes through FTS5's unicode61 tokenizer, which indexes runs of letters and
 * digits only. A query without any (`'`, `...`, `--`) can match nothing, and left out it would
 * silently return everything, so the query schemas refuse it.
 */
export const hasSearchableWord = (text: string) => /[\p{L}\p{N}]/u.test(text);

export const NO_SEARCHABLE_WORDS = "q has no searchable words; use letters or digits";
