/* weiquan: the documents a party must be given.
 *
 * Each decision the procedure says a party must be told of has a document:
 * the complainant's receipt, the acceptance notice, the notice of not
 * accepting (its ground and article), the notice that the complaint was
 * transferred to the body competent for it (where, and why), the
 * mediation agreement (调解书), the notice that mediation ended (its
 * ground) and the follow-up visit record;
 * on an IP notice, what the merchant and the rights holder are told of
 * (E-Commerce Law arts. 42-43), and the rights holder's notice not acted
 * on, with the reason;
 * on the report track (举报), the notice telling a real-name reporter
 * whether the report was filed; on a diversion case (串货), the notice
 * telling the brand owner and the distributor its outcome.  A receipt
 * speaks of the case's own
 * parties: of a complaint, complainant and respondent; of a report, the
 * reporter and the one reported; of a diversion case (串货), the brand
 * owner and the distributor (receipt-report.txt, receipt-diversion.txt).
 * Their wording is data: one template per kind and language under
 * documents/LANG/ (zh_CN, zh_TW) of the data directory, each file
 * replaceable by an administrator's copy in an override directory;
 * association.txt holds the issuing body's name, seal text and the shape
 * of document numbers (〔2026〕123号), grounds.txt the grounds and the
 * articles they cite, by regime, each citation verified or marked as not.
 *
 * Issuing a document renders it from the case, as plain text (72 display
 * columns, for a terminal or a line printer) and as PDF (document_pdf.c,
 * pango and cairo), and keeps both in the documents table with their
 * SHA-256, who issued it and when, and an audit event.  Issuing the same
 * kind again gives back the same bytes unless what it renders changed (the
 * case, the template), which issues a new version with a new number. */
#ifndef WEIQUAN_DOCUMENT_H
#define WEIQUAN_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weiquan/store.h"
#include "weiquan/user.h"

/* X(name, code, label) */
#define WQ_DOCUMENT_KINDS(X)                                                   \
	X(RECEIPT, "receipt", N_("Registration receipt"))                      \
	X(ACCEPTANCE, "acceptance", N_("Acceptance notice"))                   \
	X(NOT_ACCEPTED, "not-accepted", N_("Notice of not accepting"))         \
	X(TRANSFER, "transfer",                                                \
	  N_("Notice that the complaint was transferred to the competent "     \
	     "body"))                                                          \
	X(AGREEMENT, "agreement", N_("Mediation agreement"))                   \
	X(MEDIATION_ENDED, "mediation-ended",                                  \
	  N_("Notice that mediation ended"))                                   \
	X(FOLLOW_UP, "follow-up", N_("Follow-up visit record"))               \
	X(POLICE_REFERRAL, "police-referral",                                  \
	  N_("Letter passing a fraudulent claim to the police"))               \
	X(IP_MEASURES, "ip-measures",                                          \
	  N_("Notice to the merchant of the measures taken on an IP notice"))  \
	X(IP_REJECTED, "ip-rejected",                                          \
	  N_("Notice to the rights holder that an IP notice was not acted on")) \
	X(IP_DECLARATION, "ip-declaration",                                    \
	  N_("Merchant's declaration forwarded to the rights holder"))         \
	X(IP_ENDED, "ip-ended", N_("Notice that the IP measures ended"))       \
	X(IP_KEPT, "ip-kept",                                                  \
	  N_("Notice that the IP measures stay, an action having been filed")) \
	X(REPORT_DECISION, "report-decision",                                  \
	  N_("Notice telling the reporter of the decision on filing"))         \
	X(DIVERSION_OUTCOME, "diversion-outcome",                              \
	  N_("Notice to both parties of a diversion dispute's outcome"))

enum wq_document_kind {
#define X(name, code, label) WQ_DOC_##name,
	WQ_DOCUMENT_KINDS(X)
#undef X
	    WQ_DOC_KIND_COUNT_
};

/* "receipt"..., and the untranslated label. */
const char *wq_document_kind_code(enum wq_document_kind kind);
const char *wq_document_kind_label(enum wq_document_kind kind);
bool wq_document_kind_parse(const char *code, enum wq_document_kind *kind);

/* Where the templates are: dir (the shipped data directory) and override
 * (an administrator's, NULL for none); a file in override/LANG/ wins
 * over dir/documents/LANG/. */
struct wq_document_dirs {
	const char *data;
	const char *override;
};

/* One block of a rendered document, as the PDF renderer lays it out. */
enum wq_doc_block_kind {
	WQ_DOC_TITLE,  /* centred, large */
	WQ_DOC_NUMBER, /* the document number, right */
	WQ_DOC_TEXT,   /* a line, left */
	WQ_DOC_PARA,   /* a justified paragraph */
	WQ_DOC_CENTER, /* a heading inside the document */
	WQ_DOC_RIGHT,  /* the body's name, seal place, date */
	WQ_DOC_SIGN,   /* a signature place, with room to sign */
	WQ_DOC_BLANK,
};

struct wq_doc_block {
	enum wq_doc_block_kind kind;
	char *text;
};

/* A rendered document: what both forms are made from. */
struct wq_document {
	enum wq_document_kind kind;
	char lang[8];	    /* "zh_CN", "zh_TW" */
	char number[96];    /* 消协调〔2026〕12号 */
	char issued_at[21]; /* UTC timestamp */
	char title[128];
	struct wq_doc_block *blocks;
	size_t nblocks;
};

/* An issued document: its row and its bytes (malloc'd). */
struct wq_issued {
	int64_t id;	  /* documents.id */
	int version;	  /* 1, 2... for this case, kind, language */
	bool new_version; /* issued now (else the stored one) */
	char number[96], issued_at[21], issued_by[64];
	char text_sha256[65], pdf_sha256[65];
	char *text, *pdf;
	size_t text_len, pdf_len;
};

/* The kinds the case can issue now, as bits (1 << kind): the receipt
 * always; the acceptance notice once accepted; the notice of not
 * accepting once a not-accept ruling was made; the notice of the transfer
 * once a transfer ruling was; the agreement once an
 * agreement was recorded; the notice that mediation ended once an end
 * ruling, or a withdrawal or settlement after acceptance, was made; the
 * follow-up record once the complaint had an outcome; the notice to the
 * reporter once a report was filed or not filed and its reporter gave a
 * real name (an anonymous one has no one to tell).  An IP notice
 * (E-Commerce Law arts. 42-43): the notice of the measures once a measure
 * was taken, or the notice that it was not acted on once it was rejected; the declaration forwarded once it was; the measures ended,
 * or kept, once the rights holder's days ran out, or an action was shown.
 * A diversion case: the notice of its outcome once the claim was
 * dismissed, the penalty agreed, the claim disputed or withdrawn.
 * Reading rights as for the case. */
enum wq_err wq_document_available(struct wq_store *store,
				  const struct wq_user *actor,
				  const char *number, unsigned *kinds);

/* Renders a document of the case (nothing is written): issued_at and
 * doc_number are the ones to print.  No reading rights are checked here:
 * wq_document_issue() checks them before it renders. */
enum wq_err wq_document_render(struct wq_store *store,
			       const struct wq_document_dirs *dirs,
			       int64_t case_id, enum wq_document_kind kind,
			       const char *lang, const char *issued_at,
			       const char *doc_number,
			       struct wq_document **out);
void wq_document_free(struct wq_document **doc);

/* The plain text form (UTF-8, lines of at most 72 display columns). */
char *wq_document_text(const struct wq_document *doc);

/* The PDF form (src/document_pdf.c: pango and cairo with the Noto CJK
 * fonts): A4, the same bytes for the same document, its creation date
 * the issue time.  *pdf malloc'd. */
enum wq_err wq_document_pdf(const struct wq_document *doc, char **pdf,
			    size_t *len);

/* Issues a document of case `number` (see the top of this file) in its
 * own write transaction.  lang: "zh_CN" or "zh_TW".  Free the result with
 * wq_issued_free(). */
enum wq_err wq_document_issue(struct wq_store *store,
			      const struct wq_user *actor,
			      const struct wq_document_dirs *dirs,
			      const char *number, enum wq_document_kind kind,
			      const char *lang, struct wq_issued *out);
void wq_issued_free(struct wq_issued *issued);

/* The documents language for a locale name (LC_MESSAGES): zh_TW, zh_HK
 * and zh_MO give "zh_TW", everything else "zh_CN". */
const char *wq_document_lang_for_locale(const char *locale);

#endif
