/**
 * The personal data export as a document kind (src/documents): a JSON file
 * behind a signed link, subject = the Xiaomi user id. Re-authorised when the
 * link is opened with the viewer the link names (the user themselves, or a
 * privacy officer), and made then from the data as it is then: an erasure or
 * an unlink after the link was issued shows in the document.
 */
import { mayExportPersonalData } from '../auth/policy';
import { defineDocumentKind } from '../documents/kind';
import { validIdOf } from '../users/reference';

interface ExportSubject {
  readonly userId: string;
  readonly at: Date;
}

export const personalDataExportKind = defineDocumentKind<ExportSubject>({
  name: 'personalDataExport',
  contentType: 'application/json',
  // Any user id is a subject: a user without linked accounts gets a document with empty lists.
  load: async (context, subjectId) => (validIdOf(subjectId) === undefined ? null : { userId: subjectId, at: context.now }),
  mayRead: (context, subject) => mayExportPersonalData(context.viewer, subject.userId),
  // No user id in the name: it is personal too, and the file is often forwarded.
  fileName: (subject) => `poco-personal-data-${subject.at.toISOString().slice(0, 10)}.json`,
  render: (context, subject) => context.loaders.privacy.personalDataExport(subject.userId, context.now),
});
