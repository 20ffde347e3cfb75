import type { RecapFormat } from '../../schemas';
import type { RecapCover } from './logo';
import { recapDocx } from './export-docx';
import { recapPdf } from './export-pdf';
import { withSafeLinks } from './links';
import { recapHtmlDocument } from './render-html';
import { withoutMarkers } from './sections';

/** What an export needs besides the Markdown: the title, the recap's language and, for PDF and DOCX, the cover. */
export interface ExportMeta {
  title: string;
  /** The title as the file's name, as the database spells it (private.title_slug, like the public address). */
  titleSlug: string;
  language: 'nl' | 'en';
  cover?: RecapCover;
}

export interface RecapFile {
  body: Buffer | string;
  contentType: string;
  filename: string;
}

/** The recap in one of the export formats; every one has the same headings, theses and charts. */
export async function exportRecap(markdown: string, format: RecapFormat, meta: ExportMeta): Promise<RecapFile> {
  const filename = `${meta.titleSlug || 'recap'}.${format}`;
  switch (format) {
    case 'md':
      return { body: withSafeLinks(withoutMarkers(markdown)), contentType: 'text/markdown; charset=utf-8', filename };
    case 'html':
      return { body: recapHtmlDocument(markdown, meta), contentType: 'text/html; charset=utf-8', filename };
    case 'pdf':
      return { body: await recapPdf(markdown, meta), contentType: 'application/pdf', filename };
    case 'docx':
      return { body: await recapDocx(markdown, meta), contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', filename };
  }
}
