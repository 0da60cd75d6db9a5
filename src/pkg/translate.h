/*
 * `planpack translate export|import`: a package's texts for a translator, as a gettext PO
 * file, and the translator's file back into translations/LL/.
 *
 * PO because it is what community translators' tools open (Poedit, Weblate, Lokalize,
 * OmegaT, GNU gettext's own programs), and GNU gettext's libgettextpo reads and writes it,
 * so that planpack does not parse the format by hand. Each text is one message: msgctxt is
 * its key ("story/step:ask/message:2", or "package.yaml/title"), msgid the source text,
 * msgstr the translation; an extracted comment says where it appears and the hash of the
 * source text, and a reference names the source file and line. A translation whose source
 * has changed since is exported as fuzzy, as gettext marks a message that needs a look.
 */
#ifndef PLANPACK_PKG_TRANSLATE_H
#define PLANPACK_PKG_TRANSLATE_H

#include <stdio.h>

#include "base/fileset.h"
#include "pkg/pkg.h"

/*
 * Writes every text of p (loaded from fs) with its lang translation, where it has one, as a
 * PO file at path ("-" for stdout). Problems are written to err. Returns 0, or -1 after
 * saying why (a language tag that is not one, a file that cannot be written).
 */
__attribute__((warn_unused_result)) int translate_export(struct pkg *p, const struct fileset *fs,
                                                         const char *lang, const char *path,
                                                         FILE *err);

/*
 * Reads the PO file at po_path and writes its translations into lang's files under dir,
 * the folder p was loaded from (fs): translations/LANG/package.yaml and pages/ID.yaml,
 * keeping the translation's status and every translation the PO file does not replace.
 * Refuses the whole file, writing nothing, when a message names a text p does not have or
 * its msgid is not that text as p has it now, or when the file is not PO: each problem is
 * written to err as PO_PATH: error: MESSAGE. Returns 0; -1 when refused; -2 when a file
 * could not be written (err says which).
 */
__attribute__((warn_unused_result)) int translate_import(struct pkg *p, const struct fileset *fs,
                                                         const char *dir, const char *lang,
                                                         const char *po_path, FILE *err);

#endif
