import MiniSearch from 'minisearch';

export interface SearchDoc { id: string; url: string; title: string; text: string; kind: string }

/** The serialized MiniSearch index the site's search script loads. */
export function searchIndex(docs: SearchDoc[]): string {
  const search = new MiniSearch<SearchDoc>({ fields: ['title', 'text'], storeFields: ['url', 'title', 'kind'] });
  search.addAll(docs);
  return JSON.stringify(search);
}
