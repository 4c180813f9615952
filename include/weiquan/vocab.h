/* weiquan: the vocabularies — statuses, sub-states, reason codes, flags.
 *
 * Each is one X-macro list here, and everything that names its words reads
 * it: the ruling table and the core (rules.c, case.c), the report
 * triggers of the schema (schema.c), the console's labels and pick lists
 * (screens/), and the translations (each code is marked NC_ with its
 * gettext context, so xgettext takes it from this file).  Adding a word
 * is one line here and its translations in locale/zh_CN.po and zh_TW.po. */
#ifndef WEIQUAN_VOCAB_H
#define WEIQUAN_VOCAB_H

#ifndef NC_
#define NC_(context, s) s
#endif

/* Column selectors: WQ_IF_1(x) is x, WQ_IF_0(x) nothing; WQ_ITEM_IF_1(x)
 * is the array item "x,". */
#define WQ_IF_0(x)
#define WQ_IF_1(x) x
#define WQ_ITEM_IF_0(x)
#define WQ_ITEM_IF_1(x) x,

/* The statuses of a case (DOMAIN.md's state machine), in the order of a
 * case's life; received comes first.
 * X(code, open, early, ends, submit, final):
 *   open    not closed: most rulings apply;
 *   early   before any outcome: the report's "concluded" counts a step
 *           from here to an `ends` status;
 *   ends    an outcome of the handling (the report's concluded cases);
 *   submit  an outcome that goes to review (`submit` applies);
 *   final   a ruling that leads here ends the case's handling: the
 *           console asks to confirm it.
 * The report triggers (schema.c) were created from early and ends: a
 * change to those columns needs a migration that recreates them. */
#define WQ_STATUS_LIST(X)                                                      \
	X(NC_("status", "received"), 1, 1, 0, 0, 0)                            \
	X(NC_("status", "need_info"), 1, 1, 0, 0, 0)                           \
	X(NC_("status", "screened"), 1, 1, 0, 0, 0)                            \
	X(NC_("status", "accepted"), 1, 1, 0, 0, 0)                            \
	X(NC_("status", "not_accepted"), 1, 0, 1, 1, 1)                        \
	X(NC_("status", "transferred"), 1, 0, 1, 1, 1)                         \
	X(NC_("status", "odr"), 1, 1, 0, 0, 0)                                 \
	X(NC_("status", "in_mediation"), 1, 1, 0, 0, 0)                        \
	X(NC_("status", "agreement"), 1, 0, 1, 0, 0)                           \
	X(NC_("status", "performance_watch"), 1, 0, 0, 1, 0)                   \
	X(NC_("status", "unperformed"), 1, 0, 0, 1, 1)                         \
	X(NC_("status", "settled"), 1, 0, 1, 1, 1)                             \
	X(NC_("status", "withdrawn"), 1, 0, 1, 1, 1)                           \
	X(NC_("status", "mediation_ended"), 1, 0, 1, 0, 1)                     \
	X(NC_("status", "termination_notice"), 1, 0, 0, 1, 0)                  \
	WQ_REVIEW_STATUS_LIST(X)

/* The two-level review and closing, the end of every track. */
#define WQ_REVIEW_STATUS_LIST(X)                                               \
	X(NC_("status", "first_review"), 1, 0, 0, 0, 0)                        \
	X(NC_("status", "final_review"), 1, 0, 0, 0, 0)                        \
	X(NC_("status", "closed"), 0, 0, 0, 0, 0)

/* The IP-notice track (E-Commerce Law arts. 42-45), before its review;
 * same columns.  None is early or ends: an IP notice never counts in the
 * consumer-complaint figures. */
#define WQ_IP_STATUS_LIST(X)                                                   \
	X(NC_("status", "notice_received"), 1, 0, 0, 0, 0)                     \
	X(NC_("status", "notice_rejected"), 1, 0, 0, 1, 1)                     \
	X(NC_("status", "measures_taken"), 1, 0, 0, 1, 0)                      \
	X(NC_("status", "declared"), 1, 0, 0, 0, 0)                            \
	X(NC_("status", "declaration_forwarded"), 1, 0, 0, 0, 0)               \
	X(NC_("status", "measures_kept"), 1, 0, 0, 1, 1)                       \
	X(NC_("status", "measures_ended"), 1, 0, 0, 1, 1)

/* The report track (举报: a report of illegal conduct, SAMR Order No. 20
 * and its successor, DOMAIN.md), before its review; same columns.  None is
 * early or ends: a report never counts in the consumer-complaint figures.
 * A repeated report is either not handled again or merged into the
 * earlier one: two statuses, so the case records which. */
#define WQ_REPORT_STATUS_LIST(X)                                               \
	X(NC_("status", "report_received"), 1, 0, 0, 0, 0)                     \
	X(NC_("status", "report_filed"), 1, 0, 0, 1, 1)                        \
	X(NC_("status", "report_not_filed"), 1, 0, 0, 1, 1)                    \
	X(NC_("status", "report_merged"), 1, 0, 0, 1, 1)                       \
	X(NC_("status", "report_repeated"), 1, 0, 0, 1, 1)

/* The cross-region diversion track (串货, DOMAIN.md): a contract dispute
 * between a brand and its distributor, before its review; same columns.
 * None is early or ends: never in consumer-complaint or 12315 figures. */
#define WQ_DIVERSION_STATUS_LIST(X)                                            \
	X(NC_("status", "diversion_received"), 1, 0, 0, 0, 0)                  \
	X(NC_("status", "trace_verified"), 1, 0, 0, 0, 0)                      \
	X(NC_("status", "diversion_dismissed"), 1, 0, 0, 1, 1)                 \
	X(NC_("status", "penalty_agreed"), 1, 0, 0, 1, 1)                      \
	X(NC_("status", "diversion_disputed"), 1, 0, 0, 1, 1)                  \
	X(NC_("status", "diversion_withdrawn"), 1, 0, 0, 1, 1)

/* The statuses of one column as a space-separated list for the ruling
 * table's `from` (each word preceded by a space), e.g.
 * WQ_STATUSES(open) " closed". */
#define WQ_ST_open_(c, open, early, ends, submit, final) WQ_IF_##open(" " c)
#define WQ_ST_submit_(c, open, early, ends, submit, final) WQ_IF_##submit(" " c)
#define WQ_STATUSES(column) WQ_STATUS_LIST(WQ_ST_##column##_)
#define WQ_IP_STATUSES(column)                                                 \
	WQ_IP_STATUS_LIST(WQ_ST_##column##_)                                   \
	WQ_REVIEW_STATUS_LIST(WQ_ST_##column##_)

#define WQ_REPORT_STATUSES(column)                                             \
	WQ_REPORT_STATUS_LIST(WQ_ST_##column##_)                               \
	WQ_REVIEW_STATUS_LIST(WQ_ST_##column##_)
#define WQ_DIVERSION_STATUSES(column)                                          \
	WQ_DIVERSION_STATUS_LIST(WQ_ST_##column##_)                            \
	WQ_REVIEW_STATUS_LIST(WQ_ST_##column##_)

/* The same as an SQL list, "('received','need_info',...,'')". */
#define WQ_SQL_early_(c, open, early, ends, submit, final)                     \
	WQ_IF_##early("'" c "',")
#define WQ_SQL_ends_(c, open, early, ends, submit, final)                      \
	WQ_IF_##ends("'" c "',")
#define WQ_SQL_STATUSES(column) "(" WQ_STATUS_LIST(WQ_SQL_##column##_) "'')"

/* The mediation sub-states (testing pauses the mediation clock: the clock
 * rules say which pause, as data). */
#define WQ_SUBSTATE_LIST(X)                                                    \
	X(NC_("substate", "awaiting_consumer"))                                \
	X(NC_("substate", "awaiting_merchant"))                                \
	X(NC_("substate", "session_scheduled"))                                \
	X(NC_("substate", "testing"))

/* Grounds for not accepting (DOMAIN.md). */
#define WQ_NOT_ACCEPT_LIST(X)                                                  \
	X(NC_("reason", "outside-remit"))                                      \
	X(NC_("reason", "already-handled"))                                    \
	X(NC_("reason", "not-consumption"))                                    \
	X(NC_("reason", "time-barred"))                                        \
	X(NC_("reason", "materials-missing"))                                  \
	X(NC_("reason", "false-identity"))                                     \
	X(NC_("reason", "other"))

/* Grounds for not accepting that Order No. 121's art. 16, as announced,
 * names and Order No. 20 did not: false materials, using someone else's
 * name, refusing to have one's identity checked (the complainant must
 * give real identity and a factual basis).  Order No. 20's catch-all
 * "false-identity" is not among 121's grounds: a case keeps the grounds
 * of the regime it was received under (WQ_GROUND_REGIME_LIST). */
#define WQ_NOT_ACCEPT_121_LIST(X)                                              \
	X(NC_("reason", "false-materials"))                                    \
	X(NC_("reason", "impersonation"))                                      \
	X(NC_("reason", "identity-refused"))

/* The grounds (of not-accept and end) that only one order names.
 * X(code, order20, order121): 1 where the order has it.  A code not
 * listed is a ground of both; a case under a regime of neither order
 * (an association's own rules) is offered every code.  The articles and
 * their sources are data: data/documents/LANG/grounds.txt. */
#define WQ_GROUND_REGIME_LIST(X)                                               \
	X("false-identity", 1, 0)                                              \
	X("false-materials", 0, 1)                                             \
	X("impersonation", 0, 1)                                               \
	X("identity-refused", 0, 1)                                            \
	X("fraudulent-claim", 0, 1)

/* Reasons for ending mediation: the grounds of SAMR Order No. 20 art. 21
 * (DOMAIN.md) that `end` records; the complainant withdrawing and the
 * parties settling are rulings of their own.  An agreement not performed
 * is not among them.  Order No. 121, as announced, adds a claim made to
 * obtain compensation by fraud or extortion (骗取赔偿, 敲诈勒索): the case
 * then goes to the police (`refer-police`). */
#define WQ_END_REASON_LIST(X)                                                  \
	X(NC_("reason", "respondent-refuses"))                                 \
	X(NC_("reason", "party-absent"))                                       \
	X(NC_("reason", "no-testing-agreement"))                               \
	X(NC_("reason", "agreement-impossible"))                               \
	X(NC_("reason", "ground-found"))                                       \
	X(NC_("reason", "clock-expired"))                                      \
	X(NC_("reason", "fraudulent-claim"))                                   \
	X(NC_("reason", "other"))

/* The reasons a case records without a code being chosen: a transfer, an
 * agreement found unperformed (the `unperformed` ruling), a mediation
 * ended by the complainant withdrawing or the parties settling, a
 * repeated report merged or not handled again. */
#define WQ_OTHER_REASON_LIST(X)                                                \
	X(NC_("reason", "transferred"))                                        \
	X(NC_("reason", "unperformed"))                                        \
	X(NC_("reason", "withdrawn"))                                          \
	X(NC_("reason", "settled"))                                            \
	X(NC_("reason", "merged"))                                             \
	X(NC_("reason", "repeated"))

/* What a follow-up visit (回访) after a complaint is handled found
 * (Order No. 121 as announced): the complainant's view of the handling,
 * or that they could not be reached. */
#define WQ_FOLLOW_UP_LIST(X)                                                   \
	X(NC_("reason", "satisfied"))                                          \
	X(NC_("reason", "basically-satisfied"))                                \
	X(NC_("reason", "dissatisfied"))                                       \
	X(NC_("reason", "unreachable"))

/* The materials a complaint must give (Order No. 20 arts. 9 and 15;
 * Order No. 121 art. 16 as announced asks real identity and a factual
 * basis): what a refusal for missing materials names.  In this order:
 * wq_case_missing_materials() (rules.c) checks them so. */
#define WQ_REQUIRED_FIELD_LIST(X)                                              \
	X(NC_("field", "complainant-name"))                                 \
	X(NC_("field", "complainant-phone"))                                \
	X(NC_("field", "complainant-address"))                              \
	X(NC_("field", "respondent-name"))                                  \
	X(NC_("field", "respondent-address"))                               \
	X(NC_("field", "claim"))                                            \
	X(NC_("field", "facts"))

/* Why a complaint against a platform merchant is handled where the
 * platform operator is domiciled (Order No. 121 as announced): the
 * merchant published no address on the platform, or cannot be reached
 * at it. */
#define WQ_SEAT_GROUND_LIST(X)                                                 \
	X(NC_("reason", "no-published-address"))                               \
	X(NC_("reason", "merchant-unreachable"))

/* The necessary measures a platform takes on an IP notice (E-Commerce
 * Law art. 42: delete, block, disconnect links, stop transactions and
 * services). */
#define WQ_IP_MEASURE_LIST(X)                                                  \
	X(NC_("reason", "delete"))                                             \
	X(NC_("reason", "block"))                                              \
	X(NC_("reason", "disconnect"))                                         \
	X(NC_("reason", "stop-transactions"))

/* Why an IP notice is not acted on: art. 42 asks for preliminary
 * evidence of the infringement. */
#define WQ_IP_REJECT_LIST(X)                                                   \
	X(NC_("reason", "no-preliminary-evidence"))                            \
	X(NC_("reason", "other"))

/* Why a report is not filed for investigation (不予立案). */
#define WQ_REPORT_NOT_FILE_LIST(X)                                             \
	X(NC_("reason", "no-illegal-conduct"))                                 \
	X(NC_("reason", "insufficient-clues"))                                 \
	X(NC_("reason", "outside-remit"))                                      \
	X(NC_("reason", "other"))

/* Why a diversion claim is dismissed: the code-scan trace does not show
 * the goods left the distributor's region, the place found lies within
 * it, or the contract sets no region. */
#define WQ_DIVERSION_DISMISS_LIST(X)                                           \
	X(NC_("reason", "trace-unconfirmed"))                                  \
	X(NC_("reason", "within-region"))                                      \
	X(NC_("reason", "no-region-clause"))                                   \
	X(NC_("reason", "other"))

/* Group rulings that settle, withdraw or agree for the members: each
 * member's recorded consent is needed (group.h). */
#define WQ_CONSENT_ACTION_LIST(X)                                              \
	X(NC_("action", "settle"))                                             \
	X(NC_("action", "withdraw"))                                           \
	X(NC_("action", "agree"))

/* Flags beside the status (cases.flags).
 * X(enum suffix, name, finding): finding, a finding on an IP notice that
 * `mark-wrongful` records (art. 42: a wrongful notice makes the notifier
 * liable, a malicious one for double damages). */
#define WQ_FLAG_LIST(X)                                                        \
	X(MALICIOUS, NC_("flag", "possibly-malicious"), 0)                     \
	X(DUPLICATE, NC_("flag", "duplicate"), 0)                              \
	X(COLLECTIVE, NC_("flag", "collective"), 0)                            \
	X(IP, NC_("flag", "ip-related"), 0)                                    \
	X(DIVERSION, NC_("flag", "cross-region-diversion"), 0)                 \
	X(REPORT, NC_("flag", "report"), 0)                                    \
	X(WRONGFUL_NOTICE, NC_("flag", "wrongful-notice"), 1)                  \
	X(MALICIOUS_NOTICE, NC_("flag", "malicious-notice"), 1)

/* One code of a list, for arrays of codes:
 * {WQ_STATUS_LIST(WQ_STATUS_CODE) NULL}, {WQ_END_REASON_LIST(WQ_CODE) NULL}. */
#define WQ_STATUS_CODE(c, open, early, ends, submit, final) c,
#define WQ_CODE(c) c,
#define WQ_FLAG_CODE(id, c, finding) c,
#define WQ_FINDING_CODE(id, c, finding) WQ_ITEM_IF_##finding(c)

#endif
