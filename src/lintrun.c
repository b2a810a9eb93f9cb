/* Running lint over many files: discovery, configuration, parallel work, report, exit status. */
#include "lintrun.h"

#include "drydock/alloc.h"
#include "drydock/config.h"
#include "drydock/error.h"
#include "drydock/knowledge.h"
#include "drydock/source.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void
dd_lint_run_init(dd_lint_run *run)
{
	memset(run, 0, sizeof(*run));
	run->format = "text";
	run->threshold = -1;
	run->color = -1;
}

void
dd_lint_run_free(dd_lint_run *run)
{
	for (size_t i = 0; i < run->npaths; i++)
		free(run->paths[i]);
	free(run->paths);
	for (size_t i = 0; i < run->nbuild_args; i++)
		free((char *)run->build_args[i].name);
	free(run->build_args);
}

void
dd_lint_run_add_path(dd_lint_run *run, const char *path)
{
	run->paths = dd_xreallocarray(run->paths, run->npaths + 1, sizeof(char *));
	run->paths[run->npaths++] = dd_xstrdup(path);
}

int
dd_lint_run_add_build_arg(dd_lint_run *run, const char *spec)
{
	if (!spec[0] || spec[0] == '=')
		return dd_error_set(DD_EUSAGE, "--build-arg needs NAME=VALUE");
	char *name = dd_xstrdup(spec);
	char *eq = strchr(name, '=');
	const char *value;
	if (eq) {
		*eq = '\0';
		value = eq + 1;
	} else {
		value = getenv(name); /* docker takes a bare NAME from the environment */
		if (!value) {
			free(name);
			return DD_OK;
		}
		char *copy = dd_xmalloc(strlen(name) + strlen(value) + 2);
		sprintf(copy, "%s%c%s", name, '\0', value);
		free(name);
		name = copy;
		value = copy + strlen(copy) + 1;
	}
	run->build_args = dd_xreallocarray(run->build_args, run->nbuild_args + 1, sizeof(dd_build_arg));
	run->build_args[run->nbuild_args++] = (dd_build_arg){ name, value };
	return DD_OK;
}

/* ---- finding files ------------------------------------------------------------- */

bool
dd_is_dockerfile_name(const char *n)
{
	size_t len = strlen(n);
	if (len >= 13 && strcasecmp(n + len - 13, ".dockerignore") == 0)
		return false;
	if (strcasecmp(n, "Dockerfile") == 0 || strcasecmp(n, "Containerfile") == 0)
		return true;
	if (strncasecmp(n, "Dockerfile.", 11) == 0 || strncasecmp(n, "Containerfile.", 14) == 0)
		return true;
	return len > 11 && strcasecmp(n + len - 11, ".Dockerfile") == 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
walk(const char *dir, char ***paths, size_t *n, unsigned depth)
{
	DIR *d = opendir(dir);
	if (!d || depth > 32) {
		if (d)
			closedir(d);
		return;
	}
	char **names = NULL;
	size_t nn = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0)
			continue;
		names = dd_xreallocarray(names, nn + 1, sizeof(char *));
		names[nn++] = dd_xstrdup(e->d_name);
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof(char *), name_cmp);
	for (size_t i = 0; i < nn; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *p = dd_xmalloc(len);
		snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(p, paths, n, depth + 1);
			free(p);
		} else if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && dd_is_dockerfile_name(names[i])) {
			*paths = dd_xreallocarray(*paths, *n + 1, sizeof(char *));
			(*paths)[(*n)++] = p;
		} else {
			free(p);
		}
		free(names[i]);
	}
	free(names);
}

void
dd_find_dockerfiles(const char *dir, char ***paths, size_t *n)
{
	walk(dir, paths, n, 0);
}

/* ---- per-file work --------------------------------------------------------------- */

typedef struct {
	char *path;
	dd_source *src;
	dd_findings findings;
	char *error;
	int code;                /* DD_OK or the failure's code */
	const dd_config *config;
} job;

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * "drydock: 120 of 500 files checked" on a terminal's stderr, once
 * the batch has run `after` seconds (1, or DRYDOCK_PROGRESS_AFTER_MS),
 * rewritten in place at most ten times a second and cleared at the end.
 * Whichever worker finishes a file updates it; the flag keeps two from
 * writing at once.
 */
typedef struct {
	bool on;
	double start, after;
	size_t total;
	atomic_size_t done;
	atomic_flag busy;
	double last;             /* under busy */
	bool shown;              /* under busy; read after the workers joined */
} progress;

static void
progress_init(progress *pg, size_t total, bool wanted)
{
	const char *ms = getenv("DRYDOCK_PROGRESS_AFTER_MS");

	memset(pg, 0, sizeof(*pg));
	atomic_init(&pg->done, 0);
	atomic_flag_clear(&pg->busy);
	pg->on = wanted && total > 1 && isatty(STDERR_FILENO);
	pg->start = now();
	pg->after = ms && *ms ? atof(ms) / 1000.0 : 1.0;
	pg->total = total;
}

static void
progress_tick(progress *pg)
{
	size_t n = atomic_fetch_add(&pg->done, 1) + 1;

	if (!pg->on)
		return;
	double t = now();
	if (t - pg->start < pg->after || atomic_flag_test_and_set(&pg->busy))
		return;
	if (!pg->shown || t - pg->last >= 0.1 || n == pg->total) {
		fprintf(stderr, "\rdrydock: %zu of %zu files checked\033[K", n, pg->total);
		fflush(stderr);
		pg->shown = true;
		pg->last = t;
	}
	atomic_flag_clear(&pg->busy);
}

/* Erase the line, so that what follows starts on a clean one. */
static void
progress_end(progress *pg)
{
	if (pg->shown)
		fputs("\r\033[K", stderr);
}

typedef struct {
	dd_lint_run *run;
	job *jobs;
	size_t njobs;
	atomic_size_t next;
	progress *pg;
} work;

static void
lint_one(dd_lint_run *run, job *j)
{
	dd_doc *doc = NULL;
	dd_parse_opts po = { run->build_args, run->nbuild_args };
	int rc = dd_source_read(&j->src, j->path);
	if (rc == DD_OK)
		rc = dd_doc_parse(&doc, j->src, &po);
	if (rc == DD_OK) {
		dd_lint_opts o = run->lint;
		o.config = j->config;
		rc = dd_lint(doc, &o, &j->findings);
	}
	if (rc < 0) {
		j->code = rc;
		j->error = dd_xstrdup(dd_error_last());
	}
	dd_doc_free(doc);
}

static void *
worker(void *p)
{
	work *w = p;
	for (;;) {
		size_t i = atomic_fetch_add(&w->next, 1);
		if (i >= w->njobs)
			return NULL;
		lint_one(w->run, &w->jobs[i]);
		progress_tick(w->pg);
	}
}

static void
run_jobs(dd_lint_run *run, job *jobs, size_t n, progress *pg)
{
	work w = { run, jobs, n, 0, pg };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = run->jobs > 0 ? run->jobs : (cores > 0 ? (int)cores : 1);
	if ((size_t)threads > n)
		threads = (int)n;
	if (threads <= 1) {
		worker(&w);
		return;
	}
	pthread_t *t = dd_xcalloc((size_t)threads, sizeof(*t));
	int started = 0;
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, worker, &w) == 0)
			started++;
	if (started == 0)
		worker(&w);
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* ---- configuration -------------------------------------------------------------- */

typedef struct {
	char *dir;
	dd_config *cfg;
} cfg_entry;

/* The configuration for a file: --config, or the nearest .drydock.json (cached by folder). */
static int
config_for(dd_lint_run *run, const char *path, cfg_entry **cache, size_t *n, const dd_config **out)
{
	char *copy = dd_xstrdup(strcmp(path, "-") ? path : "./-");
	const char *dir = dirname(copy);
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*cache)[i].dir, dir) == 0) {
			*out = (*cache)[i].cfg;
			free(copy);
			return DD_OK;
		}
	dd_config *cfg = NULL;
	int rc = run->config_path ? dd_config_load(&cfg, run->config_path) : dd_config_find(&cfg, dir);
	if (rc < 0) {
		free(copy);
		return rc;
	}
	*cache = dd_xreallocarray(*cache, *n + 1, sizeof(cfg_entry));
	(*cache)[(*n)++] = (cfg_entry){ dd_xstrdup(dir), cfg };
	*out = cfg;
	free(copy);
	return DD_OK;
}

/* ---- the run ------------------------------------------------------------------------ */

void
dd_default_path_hint(void)
{
	struct stat st;

	if (stat("Dockerfile", &st) != 0 && errno == ENOENT)
		fputs("drydock: no Dockerfile in the current folder: name the file to check, "
		    "or a folder to search ('.' for this one)\n", stderr);
}

/* The files to check; a folder holding none is reported and counted. */
static size_t
expand_paths(dd_lint_run *run, char ***paths, size_t *n)
{
	size_t empty = 0;
	if (run->npaths == 0) {
		dd_default_path_hint();
		*paths = dd_xcalloc(1, sizeof(char *));
		(*paths)[0] = dd_xstrdup("Dockerfile");
		*n = 1;
		return 0;
	}
	for (size_t i = 0; i < run->npaths; i++) {
		struct stat st;
		if (strcmp(run->paths[i], "-") != 0 && stat(run->paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t before = *n;
			dd_find_dockerfiles(run->paths[i], paths, n);
			if (*n == before) {
				fprintf(stderr, "%s: error: no Dockerfile in this folder (looked for Dockerfile, "
				    "Containerfile, *.Dockerfile and Dockerfile.*)\n", run->paths[i]);
				empty++;
			}
			continue;
		}
		*paths = dd_xreallocarray(*paths, *n + 1, sizeof(char *));
		(*paths)[(*n)++] = dd_xstrdup(run->paths[i]);
	}
	return empty;
}

static int
exit_status(const job *jobs, size_t n, int threshold)
{
	int status = 0;
	for (size_t i = 0; i < n; i++) {
		if (jobs[i].code == DD_ERROR || jobs[i].code == DD_EENGINE || jobs[i].code == DD_EGIT)
			return 3;
		if (jobs[i].code < 0)
			status = 2;
		for (size_t k = 0; status == 0 && k < jobs[i].findings.n; k++)
			if ((int)jobs[i].findings.v[k].severity >= threshold)
				status = 1;
	}
	return status;
}

int
dd_lint_run_exec(dd_lint_run *run, FILE *out)
{
	char **paths = NULL;
	size_t n = 0;
	size_t empty = expand_paths(run, &paths, &n);
	dd_knowledge *kb = NULL;
	if (dd_knowledge_load(&kb, dd_knowledge_default_dir()) < 0)
		fprintf(stderr, "drydock: %s (image rules are off: point DRYDOCK_TEMPLATES at a "
		    "templates folder, or reinstall drydock)\n", dd_error_last());
	run->lint.kb = kb;
	run->lint.cache_context = true; /* the files do not change during the run */
	job *jobs = dd_xcalloc(n ? n : 1, sizeof(job));
	cfg_entry *cache = NULL;
	size_t ncache = 0;
	int status = -1;
	for (size_t i = 0; i < n; i++) {
		jobs[i].path = paths[i];
		if (config_for(run, paths[i], &cache, &ncache, &jobs[i].config) < 0) {
			fprintf(stderr, "%s\n", dd_error_last());
			status = 2;
			break;
		}
	}
	double start = now();
	if (status < 0) {
		progress pg;
		progress_init(&pg, n, !run->report.quiet);
		run_jobs(run, jobs, n, &pg);
		progress_end(&pg);
		int threshold = run->threshold >= 0 ? run->threshold
		              : (n && jobs[0].config && jobs[0].config->threshold >= 0) ? jobs[0].config->threshold
		                                                                         : DD_SEV_WARNING;
		dd_file_result *files = dd_xcalloc(n ? n : 1, sizeof(*files));
		for (size_t i = 0; i < n; i++)
			files[i] = (dd_file_result){ jobs[i].path, jobs[i].src, jobs[i].findings, jobs[i].error };
		dd_results r = { files, n, now() - start, (dd_severity)threshold };
		dd_report_opts ro = run->report;
		/* no-color.org: NO_COLOR set and not empty turns automatic colour off */
		const char *no_color = getenv("NO_COLOR");
		ro.color = run->color == 1 ||
		    (run->color < 0 && isatty(fileno(out)) && !(no_color && *no_color));
		if (dd_report_write(out, run->format, &r, &ro) < 0) {
			fprintf(stderr, "drydock lint: %s\n", dd_error_last());
			status = dd_error_code() == DD_EUSAGE ? 2 : 3;
		} else {
			status = exit_status(jobs, n, threshold);
		}
		free(files);
	}
	if (empty && status < 2)
		status = 2;
	for (size_t i = 0; i < n; i++) {
		dd_source_free(jobs[i].src);
		dd_findings_free(&jobs[i].findings);
		free(jobs[i].error);
		free(paths[i]);
	}
	for (size_t i = 0; i < ncache; i++) {
		free(cache[i].dir);
		dd_config_free(cache[i].cfg);
	}
	free(cache);
	free(jobs);
	free(paths);
	dd_knowledge_free(kb);
	return status;
}
