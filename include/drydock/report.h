/*
 * Reports: one serializer per output format over the findings of a run,
 * already filtered, sorted and redacted. A new format is one file
 * src/report_<fmt>.c plus one row in src/report.c.
 */
#ifndef DRYDOCK_REPORT_H
#define DRYDOCK_REPORT_H

#include <stdio.h>

#include "drydock/ast.h"
#include "drydock/finding.h"
#include "drydock/source.h"

typedef struct {
	const char *path;          /* as given or found in a folder */
	const dd_source *src;      /* NULL when the file could not be read */
	dd_findings findings;      /* sorted, redacted */
	const char *error;         /* "path:line:col: error: …" when it could not be read or parsed */
} dd_file_result;

typedef struct {
	const dd_file_result *files;
	size_t nfiles;
	double seconds;            /* wall time of the run */
	dd_severity threshold;     /* findings at or above it fail the run (exit 1) */
} dd_results;

typedef struct {
	bool color;                /* text: ANSI colours by severity */
	bool quiet;                /* text: findings only, no source line, no summary */
	bool verbose;              /* text: also the rule's one-line title and aliases */
	const char *version;       /* drydock's version, for SARIF */
	/*
	 * Additions (zero = default, so `{0}` options still work):
	 * rules/nrules: the rules SARIF describes in tool.driver.rules[];
	 * NULL means the whole table (dd_rules, dd_nrules). Tests pass their own.
	 * sarif_category: GitHub code scanning's category, written as
	 * automationDetails.id "<category>/"; NULL means "drydock". Give each
	 * upload of the same commit its own category.
	 */
	const dd_rule *rules;
	size_t nrules;
	const char *sarif_category;
} dd_report_opts;

/* The formats: "text", "json", "sarif", "checkstyle", "gitlab", "github"; NULL-terminated. */
extern const char *const dd_report_formats[];

/*
 * Write r to out in format (o may be NULL: the defaults). DD_EUSAGE
 * (message in the error slot) for an unknown format; DD_EIO when writing
 * fails. What each format promises (tests/check_report.c pins it):
 * - text: "path:line:col: severity DDnnn slug: message", then "  | line"
 *   and "  | ^" (one blank per character, tabs kept; control characters
 *   shown as '?'); a failed file prints its error line; -v adds
 *   "  = DDnnn: title" and "  = aliases: …"; the summary is
 *   "N files checked (K failed), M findings (E errors, W warnings, I info),
 *   F fixable, in T s" ("no findings" when M is 0). Columns are bytes.
 * - json: SPEC §5; aliases keep their tool prefix ("hadolint:DL3002");
 *   "stage" is null outside a stage; a failed file has "error".
 * - sarif: 2.1.0, one run; columns in UTF-16 code units (columnKind);
 *   failed files are error notifications of invocations[0].
 * - checkstyle: 4.3, source "drydock.DDnnn"; failed files
 *   "drydock.input-error".
 * - gitlab: Code Quality issues; failed files "input-error", critical.
 * - github: one GitHub Actions workflow command per finding,
 *   "::error|warning|notice file=P,line=L,col=C,endLine=…,endColumn=…,
 *   title=DDnnn slug::message" (properties and data escaped as the runner
 *   expects: %25 %0D %0A, and %3A %2C in properties); a failed file is an
 *   ::error titled "drydock"; then the text summary unless quiet.
 */
int dd_report_write(FILE *out, const char *format, const dd_results *r, const dd_report_opts *o);

/*
 * ---- the serializers (one file each; callers use dd_report_write) ----
 * Each writes r to out and returns DD_OK; dd_report_write checks the
 * stream for write errors afterwards. o is never NULL. Findings need
 * f->rule set; a file with error != NULL is reported as failed.
 */
int dd_report_text(FILE *out, const dd_results *r, const dd_report_opts *o);
int dd_report_json(FILE *out, const dd_results *r, const dd_report_opts *o);
int dd_report_sarif(FILE *out, const dd_results *r, const dd_report_opts *o);
int dd_report_checkstyle(FILE *out, const dd_results *r, const dd_report_opts *o);
int dd_report_gitlab(FILE *out, const dd_results *r, const dd_report_opts *o);
int dd_report_github(FILE *out, const dd_results *r, const dd_report_opts *o);

/* ---- helpers the serializers share (src/report.c) ---- */

/*
 * How many earlier findings of file f have the same rule and the same
 * trimmed source line as finding i: with the rule, path and line text it
 * makes a fingerprint that survives lines moving up or down.
 */
size_t dd_report_occurrence(const dd_file_result *f, size_t i);

/*
 * A stable 64-bit FNV-1a digest of (rule, path, trimmed text of the
 * finding's line, occurrence) as 16 lowercase hex digits in hex[17].
 * with_occurrence false leaves the occurrence out (SARIF appends it as
 * ":n" itself, as CodeQL does).
 */
void dd_report_fingerprint(char hex[17], const dd_file_result *f, size_t i, bool with_occurrence);

/*
 * The summary line of the text report: "N files checked (K failed), M
 * findings (E errors, W warnings, I info), F fixable, in T s" ("no
 * findings" when M is 0), with its line end.
 */
void dd_report_summary(FILE *out, const dd_results *r);

/* The line and column an error message "path:line:col: …" starts with; false if none. */
bool dd_report_error_position(const dd_file_result *f, uint32_t *line, uint32_t *col);

/*
 * A jansson string of s that is always valid UTF-8: invalid bytes become
 * U+FFFD (file names need not be UTF-8). New reference; s may be NULL (→ null).
 */
struct json_t *dd_report_json_string(const char *s);

#endif
