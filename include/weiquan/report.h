/* weiquan: the dashboard's figures. */
#ifndef WEIQUAN_REPORT_H
#define WEIQUAN_REPORT_H

#include "weiquan/store.h"
#include "weiquan/user.h"

/* The figures as one JSON object (malloc'd): cases by status, category,
 * region and type; due today and overdue per clock; each mediator's open
 * cases.  Supervisors and admins only. */
enum wq_err wq_report_json(struct wq_store *store, const struct wq_user *actor,
			   char **json);

#endif
