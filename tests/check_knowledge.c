/* Unit tests for the knowledge base: the real templates/, image lookups, located load errors, the corpus. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/alloc.h"
#include "drydock/ast.h"
#include "drydock/error.h"
#include "drydock/knowledge.h"
#include "drydock/source.h"
#include "imageref.h"
#include "testutil.h"

static dd_knowledge *kb;

static void
setup(void)
{
	char *dir = tu_src_path("templates");
	int rc = dd_knowledge_load(&kb, dir);

	ck_assert_msg(rc == 0, "%s", dd_error_last());
	free(dir);
}

static void
teardown(void)
{
	dd_knowledge_free(kb);
	kb = NULL;
}

/* ---- lookups over the real templates ---------------------------------------------- */

/*
 * flags: k known, f fat, t toolchain. user: the shipped "name:uid:gid".
 * NULL strings mean "none" (root for default_user).
 */
typedef struct {
	const char *ref;
	dd_family family;
	const char *flags;
	const char *default_user;
	const char *user;
	const char *slim;
	const char *distroless;
	const char *eol;
} image_case;

#define DEB DD_FAMILY_DEBIAN
#define UBU DD_FAMILY_UBUNTU
#define ALP DD_FAMILY_ALPINE
#define RHEL DD_FAMILY_RHEL
#define UBIM DD_FAMILY_UBI_MINIMAL
#define AMZ DD_FAMILY_AMAZON
#define DLESS DD_FAMILY_DISTROLESS
#define CGR DD_FAMILY_CHAINGUARD
#define WIN DD_FAMILY_WINDOWS
#define UNK DD_FAMILY_UNKNOWN

#define DL_STATIC "gcr.io/distroless/static-debian13:nonroot"
#define DL_CC "gcr.io/distroless/cc-debian13:nonroot"
#define SHA "@sha256:92b1d5747a93608b6adb64dfd54515c3c5a360802db4706765ff3d8470df6290"

static const image_case image_cases[] = {
	/* python: fat unless slim/alpine, distroless only for 3.13 */
	{ "python:3.12", DEB, "kft", NULL, NULL, "python:3.12-slim", NULL, NULL },
	{ "python:3.13-bookworm", DEB, "kft", NULL, NULL, "python:3.13-slim-bookworm",
	  "gcr.io/distroless/python3-debian13:nonroot", NULL },
	{ "python:3.12-slim-bookworm", DEB, "k", NULL, NULL, NULL, NULL, NULL },
	{ "python", DEB, "kft", NULL, NULL, "python:slim", NULL, NULL },
	{ "python:3.12-alpine3.20", ALP, "k", NULL, NULL, NULL, NULL, "2026-04-01" },
	{ "python:3.12-alpine", ALP, "k", NULL, NULL, NULL, NULL, NULL },
	{ "python:2.7", DEB, "kft", NULL, NULL, "python:2.7-slim", NULL, "2020-01-01" },
	{ "python:3.8-slim-buster", DEB, "k", NULL, NULL, NULL, NULL, "2024-10-07" },
	{ "python:3.13-windowsservercore-ltsc2022", WIN, "k", NULL, "ContainerUser:0:0", NULL, NULL, NULL },
	{ "arm64v8/python:3.12-slim", DEB, "k", NULL, NULL, NULL, NULL, NULL },
	/* node: ships node 1000:1000; distroless only for even LTS */
	{ "node:20", DEB, "kft", NULL, "node:1000:1000", "node:20-slim", NULL, "2026-04-30" },
	{ "node:24", DEB, "kft", NULL, "node:1000:1000", "node:24-slim",
	  "gcr.io/distroless/nodejs24-debian13:nonroot", NULL },
	{ "node:22-bookworm-slim", DEB, "k", NULL, "node:1000:1000", NULL,
	  "gcr.io/distroless/nodejs22-debian13:nonroot", NULL },
	{ "node:22-bullseye", DEB, "kft", NULL, "node:1000:1000", "node:22-bullseye-slim",
	  "gcr.io/distroless/nodejs22-debian13:nonroot", "2026-08-31" },
	{ "node:lts-alpine", ALP, "k", NULL, "node:1000:1000", NULL, NULL, NULL },
	{ "public.ecr.aws/docker/library/node:18-alpine", ALP, "k", NULL, "node:1000:1000", NULL, NULL,
	  "2025-04-30" },
	/* toolchains */
	{ "golang:1.22-bookworm", DEB, "kft", NULL, NULL, NULL, DL_STATIC, "2025-08-12" },
	{ "golang:1.27-alpine", ALP, "kft", NULL, NULL, NULL, DL_STATIC, NULL },
	{ "docker.io/library/golang:1.26-alpine", ALP, "kft", NULL, NULL, NULL, DL_STATIC, NULL },
	{ "golang:1-buster", DEB, "kft", NULL, NULL, NULL, DL_STATIC, "2024-06-30" },
	{ "golang:1.26-nanoserver-ltsc2022", WIN, "kt", "ContainerUser", "ContainerUser:0:0", NULL, NULL, NULL },
	{ "rust:1.80", DEB, "kft", NULL, NULL, "rust:1.80-slim", DL_CC, NULL },
	{ "rust:1-alpine3.21", ALP, "kft", NULL, NULL, NULL, DL_STATIC, "2026-11-01" },
	{ "gcc:14", DEB, "kft", NULL, NULL, NULL, DL_CC, NULL },
	{ "buildpack-deps:bookworm", DEB, "kft", NULL, NULL, "debian:bookworm-slim", NULL, NULL },
	{ "buildpack-deps:jammy", UBU, "kft", NULL, NULL, "ubuntu:jammy", NULL, NULL },
	{ "buildpack-deps:noble-scm", UBU, "k", NULL, "ubuntu:1000:1000", NULL, NULL, NULL },
	{ "maven:3.9-eclipse-temurin-21", UBU, "kft", NULL, NULL, NULL, "gcr.io/distroless/java21-debian13:nonroot", NULL },
	{ "maven:3-amazoncorretto-17", AMZ, "kft", NULL, NULL, NULL, "gcr.io/distroless/java17-debian13:nonroot", NULL },
	{ "gradle:jdk21-alpine", ALP, "kft", NULL, NULL, NULL, "gcr.io/distroless/java21-debian13:nonroot", NULL },
	{ "gradle:8.10-jdk25-noble", UBU, "kft", NULL, "ubuntu:1000:1000", NULL, "gcr.io/distroless/java25-debian13:nonroot",
	  NULL },
	{ "maven:3.9-eclipse-temurin-11", UBU, "kft", NULL, NULL, NULL, NULL, NULL },
	{ "maven:3.9", UBU, "kft", NULL, NULL, NULL, NULL, NULL },
	/* Java */
	{ "eclipse-temurin:21", UBU, "kft", NULL, "ubuntu:1000:1000", "eclipse-temurin:21-jre",
	  "gcr.io/distroless/java21-debian13:nonroot", NULL },
	{ "eclipse-temurin:21-jdk-jammy", UBU, "kft", NULL, NULL, "eclipse-temurin:21-jre-jammy",
	  "gcr.io/distroless/java21-debian13:nonroot", NULL },
	{ "eclipse-temurin:17-jre-noble", UBU, "k", NULL, "ubuntu:1000:1000", NULL,
	  "gcr.io/distroless/java17-debian13:nonroot", NULL },
	{ "eclipse-temurin:21-jdk-ubi9-minimal", UBIM, "kft", NULL, NULL, "eclipse-temurin:21-jre-ubi9-minimal",
	  "gcr.io/distroless/java21-debian13:nonroot", NULL },
	{ "eclipse-temurin:22-jdk", UBU, "kft", NULL, "ubuntu:1000:1000", "eclipse-temurin:22-jre", NULL, "2024-09" },
	{ "openjdk:17", RHEL, "kft", NULL, NULL, "eclipse-temurin:17-jre",
	  "gcr.io/distroless/java17-debian13:nonroot", "2022-07" },
	{ "openjdk:11-jre-slim", DEB, "k", NULL, NULL, NULL, NULL, "2022-07" },
	{ "openjdk:27-ea-jdk-oraclelinux9", RHEL, "kft", NULL, NULL, "eclipse-temurin:27-jre", NULL, NULL },
	/* OS bases and their releases */
	{ "debian:bookworm", DEB, "kf", NULL, NULL, "debian:bookworm-slim",
	  "gcr.io/distroless/base-debian13:nonroot", NULL },
	{ "debian:bookworm-slim", DEB, "k", NULL, NULL, NULL, "gcr.io/distroless/base-debian13:nonroot", NULL },
	{ "debian", DEB, "kf", NULL, NULL, "debian:stable-slim", "gcr.io/distroless/base-debian13:nonroot", NULL },
	{ "debian:10", DEB, "kf", NULL, NULL, "debian:10-slim", "gcr.io/distroless/base-debian13:nonroot",
	  "2024-06-30" },
	{ "debian:buster-20240612-slim", DEB, "k", NULL, NULL, NULL, "gcr.io/distroless/base-debian13:nonroot",
	  "2024-06-30" },
	{ "debian:bullseye", DEB, "kf", NULL, NULL, "debian:bullseye-slim",
	  "gcr.io/distroless/base-debian13:nonroot", "2026-08-31" },
	{ "ubuntu:24.04", UBU, "k", NULL, "ubuntu:1000:1000", NULL, NULL, NULL },
	{ "ubuntu", UBU, "k", NULL, "ubuntu:1000:1000", NULL, NULL, NULL },
	{ "ubuntu:22.04", UBU, "k", NULL, NULL, NULL, NULL, NULL },
	{ "ubuntu:20.04", UBU, "k", NULL, NULL, NULL, NULL, "2025-05" },
	{ "ubuntu:bionic", UBU, "k", NULL, NULL, NULL, NULL, "2023-05-31" },
	{ "ubuntu:plucky", UBU, "k", NULL, "ubuntu:1000:1000", NULL, NULL, "2026-01" },
	{ "alpine:3.19.0", ALP, "k", NULL, NULL, NULL, NULL, "2025-11-01" },
	{ "alpine:3.22", ALP, "k", NULL, NULL, NULL, NULL, NULL },
	{ "docker.io/alpine", ALP, "k", NULL, NULL, NULL, NULL, NULL },
	{ "busybox:1.36-musl", DD_FAMILY_BUSYBOX, "k", NULL, NULL, NULL, NULL, NULL },
	{ "centos:7", RHEL, "k", NULL, NULL, NULL, NULL, "2024-06-30" },
	{ "quay.io/centos/centos:stream8", RHEL, "k", NULL, NULL, NULL, NULL, "2024-05-31" },
	{ "fedora:40", RHEL, "k", NULL, NULL, NULL, NULL, "2025-05-13" },
	{ "registry.fedoraproject.org/fedora:latest", RHEL, "k", NULL, NULL, NULL, NULL, NULL },
	{ "oraclelinux:9-slim", UBIM, "k", NULL, NULL, NULL, NULL, NULL },
	{ "amazonlinux:2", AMZ, "k", NULL, NULL, NULL, NULL, "2026-06-30" },
	{ "public.ecr.aws/amazonlinux/amazonlinux:2023", AMZ, "k", NULL, NULL, NULL, NULL, NULL },
	{ "scratch", DD_FAMILY_SCRATCH, "k", NULL, NULL, NULL, NULL, NULL },
	/* Red Hat */
	{ "registry.access.redhat.com/ubi9/ubi-minimal", UBIM, "k", NULL, NULL, NULL, NULL, NULL },
	{ "registry.access.redhat.com/ubi9-minimal" SHA, UBIM, "k", NULL, NULL, NULL, NULL, NULL },
	{ "registry.redhat.io/ubi9/ubi:9.4", RHEL, "k", NULL, NULL, NULL, NULL, NULL },
	{ "redhat/ubi10-minimal", UBIM, "k", NULL, NULL, NULL, NULL, NULL },
	{ "registry.access.redhat.com/ubi8/ubi-micro", DLESS, "k", NULL, NULL, NULL, NULL, NULL },
	{ "registry.access.redhat.com/ubi7/ubi", RHEL, "k", NULL, NULL, NULL, NULL, "2024-06-30" },
	{ "registry.access.redhat.com/ubi9/nodejs-20", RHEL, "k", "1001", NULL, NULL, NULL, NULL },
	/* distroless and Chainguard */
	{ "gcr.io/distroless/static-debian12:nonroot", DLESS, "k", "65532", "nonroot:65532:65532", NULL, NULL,
	  "2026-09" },
	{ "gcr.io/distroless/static-debian13", DLESS, "k", NULL, "nonroot:65532:65532", NULL, NULL, NULL },
	{ "gcr.io/distroless/java21-debian13:debug-nonroot", DLESS, "k", "65532", "nonroot:65532:65532",
	  NULL, NULL, NULL },
	{ "gcr.io/distroless/nodejs20-debian12", DLESS, "k", NULL, "nonroot:65532:65532", NULL, NULL, "2026-01" },
	{ "cgr.dev/chainguard/python:latest-dev", CGR, "k", "65532", "nonroot:65532:65532", NULL, NULL, NULL },
	{ "cgr.dev/chainguard/node", CGR, "k", "65532", "node:65532:65532", NULL, NULL, NULL },
	/* Windows and .NET */
	{ "mcr.microsoft.com/windows/servercore:ltsc2022", WIN, "k", NULL, "ContainerUser:0:0", NULL, NULL, NULL },
	{ "mcr.microsoft.com/windows/nanoserver:ltsc2025", WIN, "k", "ContainerUser", "ContainerUser:0:0",
	  NULL, NULL, NULL },
	{ "mcr.microsoft.com/dotnet/sdk:8.0", DEB, "kft", NULL, "app:1654:1654", NULL,
	  "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled", "2026-11-10" },
	{ "mcr.microsoft.com/dotnet/aspnet:10.0", UBU, "k", NULL, "app:1654:1654", NULL, NULL, NULL },
	{ "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", DLESS, "k", "1654", "app:1654:1654",
	  NULL, NULL, NULL },
	{ "mcr.microsoft.com/dotnet/runtime:6.0-alpine", ALP, "k", NULL, NULL, NULL, NULL, "2024-11-12" },
	/* images that ship a user */
	{ "nginx:1.27.4-alpine", ALP, "k", NULL, "nginx:101:101", NULL, NULL, NULL },
	{ "nginxinc/nginx-unprivileged:stable", DEB, "k", "101", "nginx:101:101", NULL, NULL, NULL },
	{ "php:8.1-fpm-alpine3.20", ALP, "k", NULL, "www-data:82:82", NULL, NULL, "2025-12-31" },
	{ "php:8.4-apache-trixie", DEB, "k", NULL, "www-data:33:33", NULL, NULL, NULL },
	{ "postgres:13-alpine", ALP, "k", NULL, "postgres:70:70", NULL, NULL, "2025-11-13" },
	{ "redis:7-alpine", ALP, "k", NULL, "redis:999:1000", NULL, NULL, NULL },
	{ "memcached", DEB, "k", "memcache", "memcache:11211:11211", NULL, NULL, NULL },
	{ "mongo:8.0", UBU, "k", NULL, "mongodb:999:999", NULL, NULL, NULL },
	{ "bitnami/redis:7.4", DEB, "k", "1001", NULL, NULL, NULL, NULL },
	/* images missing from the tables */
	{ "quay.io/libpod/alpine:latest", ALP, "", NULL, NULL, NULL, NULL, NULL },
	{ "hexpm/elixir:1.13.2-erlang-24.1.7-alpine-3.15.0", ALP, "", NULL, NULL, NULL, NULL, NULL },
	{ "myorg/app:1.0-noble", UBU, "", NULL, "ubuntu:1000:1000", NULL, NULL, NULL },
	{ "myorg/app:1.0", UNK, "", NULL, NULL, NULL, NULL, NULL },
	{ "ghcr.io/foo/bar" SHA, UNK, "", NULL, NULL, NULL, NULL, NULL },
	{ "base", UNK, "", NULL, NULL, NULL, NULL, NULL },
};

/* A reference as the parser leaves it (dd_image_ref_parse does not touch unresolved). */
static void
parse_ref(dd_image_ref *ref, const char *text, dd_arena *a)
{
	memset(ref, 0, sizeof(*ref));
	dd_image_ref_parse(ref, text, a);
}

static void
expect_str(const char *what, const char *ref, const char *got, const char *want)
{
	ck_assert_msg((!got && !want) || (got && want && strcmp(got, want) == 0),
	    "%s: %s is \"%s\", want \"%s\"", ref, what, got ? got : "(null)", want ? want : "(null)");
}

START_TEST(test_knowledge_image_table)
{
	const image_case *c = &image_cases[_i];
	dd_arena *a = dd_arena_new();
	dd_image_ref ref;
	dd_image_info info;
	char user[64] = "";

	parse_ref(&ref, c->ref, a);
	dd_knowledge_image(kb, &ref, &info);
	ck_assert_msg(info.family == c->family, "%s: family %s, want %s", c->ref,
	    dd_family_name(info.family), dd_family_name(c->family));
	ck_assert_msg(info.known == (strchr(c->flags, 'k') != NULL), "%s: known %d", c->ref, info.known);
	ck_assert_msg(info.fat == (strchr(c->flags, 'f') != NULL), "%s: fat %d", c->ref, info.fat);
	ck_assert_msg(info.toolchain == (strchr(c->flags, 't') != NULL), "%s: toolchain %d", c->ref,
	    info.toolchain);
	if (info.shipped_user)
		snprintf(user, sizeof(user), "%s:%u:%u", info.shipped_user, info.shipped_uid, info.shipped_gid);
	expect_str("shipped user", c->ref, *user ? user : NULL, c->user);
	expect_str("default user", c->ref, info.default_user, c->default_user);
	expect_str("slim", c->ref, info.slim, c->slim);
	expect_str("distroless", c->ref, info.distroless, c->distroless);
	expect_str("eol", c->ref, info.eol, c->eol);
	ck_assert_msg(!info.eol == !info.eol_release, "%s: eol without its release", c->ref);
	dd_arena_free(a);
}
END_TEST

/*
 * The rewriter's fields: the pin for :latest, the language, the static and
 * dynamic runtimes, the image's own entrypoint ("a b" joined by spaces).
 */
typedef struct {
	const char *ref;
	const char *pin, *lang, *dl_static, *dl_dynamic, *entrypoint;
} rewrite_case;

#define DL_BASE "gcr.io/distroless/base-debian13:nonroot"

static const rewrite_case rewrite_cases[] = {
	{ "debian", "13", NULL, NULL, NULL, NULL },
	{ "ubuntu:latest", "26.04", NULL, NULL, NULL, NULL },
	{ "alpine", "3.24", NULL, NULL, NULL, NULL },
	{ "python", "3.13", "python", NULL, NULL, NULL },
	{ "python:3.12-alpine", "3.13", NULL, NULL, NULL, NULL },
	{ "node:latest", "26", "node", NULL, NULL, NULL },
	{ "golang", "1.27", "go", DL_STATIC, DL_BASE, NULL },
	{ "golang:1.27-alpine", "1.27", "go", DL_STATIC, NULL, NULL },
	{ "rust:1.94", "1.94", "rust", DL_STATIC, DL_CC, NULL },
	{ "rust:1-alpine", "1.94", "rust", DL_STATIC, NULL, NULL },
	{ "gcc:14", NULL, "c", DL_STATIC, DL_CC, NULL },
	{ "eclipse-temurin", "25", "java", NULL, NULL, NULL },
	{ "maven:3.9-eclipse-temurin-21", NULL, "java", NULL, NULL, NULL },
	{ "golang:1.26-nanoserver-ltsc2022", "1.27", NULL, NULL, NULL, NULL },
	{ "myorg/app", NULL, NULL, NULL, NULL, NULL },
	{ "gcr.io/distroless/nodejs22-debian13:nonroot", NULL, NULL, NULL, NULL, "/nodejs/bin/node" },
	{ "gcr.io/distroless/java21-debian13:nonroot", NULL, NULL, NULL, NULL, "/usr/bin/java -jar" },
	{ "gcr.io/distroless/python3-debian13:nonroot", NULL, NULL, NULL, NULL, "/usr/bin/python3.13" },
	{ "gcr.io/distroless/java-base-debian13", NULL, NULL, NULL, NULL, NULL },
	{ "gcr.io/distroless/static-debian13:nonroot", NULL, NULL, NULL, NULL, NULL },
};

START_TEST(test_knowledge_rewrite_fields)
{
	const rewrite_case *c = &rewrite_cases[_i];
	dd_arena *a = dd_arena_new();
	dd_image_ref ref;
	dd_image_info info;
	char ep[128] = "";

	parse_ref(&ref, c->ref, a);
	dd_knowledge_image(kb, &ref, &info);
	expect_str("pin", c->ref, info.pin, c->pin);
	expect_str("lang", c->ref, info.lang, c->lang);
	expect_str("distroless_static", c->ref, info.distroless_static, c->dl_static);
	expect_str("distroless_dynamic", c->ref, info.distroless_dynamic, c->dl_dynamic);
	for (size_t i = 0; i < info.nentrypoint; i++)
		snprintf(ep + strlen(ep), sizeof(ep) - strlen(ep), "%s%s", i ? " " : "", info.entrypoint[i]);
	expect_str("entrypoint", c->ref, *ep ? ep : NULL, c->entrypoint);
	dd_arena_free(a);
}
END_TEST

/* A pinned release is never one eol.json says is past its end of life. */
START_TEST(test_knowledge_pins_supported)
{
	static const char *const repos[] = { "debian", "ubuntu", "alpine", "python", "node", "golang", "rust",
		"eclipse-temurin", "postgres", "php", "ruby", "httpd" };
	dd_arena *a = dd_arena_new();

	for (size_t i = 0; i < DD_ARRAY_LEN(repos); i++) {
		dd_image_ref ref;
		dd_image_info info;
		char pinned[128];
		parse_ref(&ref, repos[i], a);
		dd_knowledge_image(kb, &ref, &info);
		ck_assert_msg(info.pin != NULL, "%s has no pin", repos[i]);
		snprintf(pinned, sizeof(pinned), "%s:%s", repos[i], info.pin);
		parse_ref(&ref, pinned, a);
		dd_knowledge_image(kb, &ref, &info);
		ck_assert_msg(info.known && !info.eol, "%s is past end of life (%s)", pinned, info.eol ? info.eol : "");
	}
	dd_arena_free(a);
}
END_TEST

/* Suggestions are interned: the same text, the same pointer, across lookups. */
START_TEST(test_knowledge_image_interned)
{
	dd_arena *a = dd_arena_new();
	dd_image_ref r1, r2;
	dd_image_info i1, i2;

	parse_ref(&r1, "python:3.11", a);
	parse_ref(&r2, "docker.io/library/python:3.11", a);
	dd_knowledge_image(kb, &r1, &i1);
	dd_knowledge_image(kb, &r2, &i2);
	ck_assert_str_eq(i1.slim, "python:3.11-slim");
	ck_assert_ptr_eq(i1.slim, i2.slim);
	dd_arena_free(a);
}
END_TEST

/* A reference whose ARG had no value keeps its family but claims no versions. */
START_TEST(test_knowledge_image_unresolved)
{
	dd_arena *a = dd_arena_new();
	dd_image_ref ref;
	dd_image_info info;

	parse_ref(&ref, "golang:-alpine3.15", a);
	ref.unresolved = true;
	dd_knowledge_image(kb, &ref, &info);
	ck_assert_int_eq(info.family, DD_FAMILY_ALPINE);
	ck_assert(info.toolchain);
	ck_assert_ptr_null(info.eol);
	ck_assert_ptr_null(info.distroless);
	memset(&ref, 0, sizeof(ref));
	ref.text = ref.registry = ref.path = ref.name = ref.tag = ref.digest = "";
	dd_knowledge_image(kb, &ref, &info);
	ck_assert_int_eq(info.family, DD_FAMILY_UNKNOWN);
	ck_assert(!info.known);
	dd_knowledge_image(NULL, &ref, &info);
	ck_assert_int_eq(info.family, DD_FAMILY_UNKNOWN);
	dd_arena_free(a);
}
END_TEST

START_TEST(test_knowledge_checked)
{
	ck_assert_str_eq(dd_knowledge_checked(kb), "2026-11-28");
}
END_TEST

START_TEST(test_knowledge_family_names)
{
	dd_family f;

	for (unsigned i = 0; i < DD_FAMILY__MAX; i++) {
		ck_assert(dd_family_from_name(dd_family_name((dd_family)i), &f));
		ck_assert_int_eq(f, (dd_family)i);
	}
	ck_assert_str_eq(dd_family_name(DD_FAMILY_UBI_MINIMAL), "ubi-minimal");
	ck_assert_str_eq(dd_family_name(DD_FAMILY__MAX), "unknown");
	ck_assert(!dd_family_from_name("debain", &f));
}
END_TEST

/* ---- users.json ---------------------------------------------------------------------- */

START_TEST(test_knowledge_users)
{
	const dd_user_vars *d = dd_knowledge_user_defaults(kb);
	char *s;

	ck_assert_uint_eq(d->uid, 10001);
	ck_assert_uint_eq(d->gid, 10001);
	ck_assert_str_eq(d->name, "app");
	for (unsigned f = 0; f < DD_FAMILY__MAX; f++)
		ck_assert_ptr_nonnull(dd_knowledge_users(kb, (dd_family)f)->user);
	s = dd_knowledge_fill(dd_knowledge_users(kb, DD_FAMILY_DEBIAN)->run, d);
	ck_assert_str_eq(s, "groupadd --system --gid 10001 app && useradd --system --no-log-init "
	    "--uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app");
	free(s);
	s = dd_knowledge_fill(dd_knowledge_users(kb, DD_FAMILY_ALPINE)->run, d);
	ck_assert_ptr_nonnull(strstr(s, "adduser -S -D -H -u 10001 -G app"));
	ck_assert_ptr_null(strstr(s, "useradd"));
	free(s);
	s = dd_knowledge_fill(dd_knowledge_users(kb, DD_FAMILY_UBI_MINIMAL)->run, d);
	ck_assert_ptr_nonnull(strstr(s, "microdnf install -y shadow-utils"));
	free(s);
	ck_assert_ptr_null(dd_knowledge_users(kb, DD_FAMILY_DISTROLESS)->run);
	ck_assert_str_eq(dd_knowledge_users(kb, DD_FAMILY_DISTROLESS)->user, "65532:65532");
	ck_assert_ptr_null(dd_knowledge_users(kb, DD_FAMILY_SCRATCH)->run);
	ck_assert_str_eq(dd_knowledge_users(kb, DD_FAMILY_WINDOWS)->user, "ContainerUser");
	ck_assert_ptr_null(dd_knowledge_users(kb, DD_FAMILY_WINDOWS)->chown);
	s = dd_knowledge_fill(dd_knowledge_users(kb, DD_FAMILY_UNKNOWN)->user, d);
	ck_assert_str_eq(s, "10001:10001");
	free(s);
	ck_assert_ptr_null(dd_knowledge_fill(NULL, d));
	s = dd_knowledge_fill("{uid}{x}{name", &(dd_user_vars){ 7, 8, NULL, "g" });
	ck_assert_str_eq(s, "7{x}{name");
	free(s);
}
END_TEST

START_TEST(test_knowledge_default_dir)
{
	const char *old = getenv("DRYDOCK_TEMPLATES");
	char *saved = old ? strdup(old) : NULL;

	setenv("DRYDOCK_TEMPLATES", "/opt/x/templates", 1);
	ck_assert_str_eq(dd_knowledge_default_dir(), "/opt/x/templates");
	unsetenv("DRYDOCK_TEMPLATES");
	ck_assert_ptr_nonnull(dd_knowledge_default_dir());
	ck_assert(strstr(dd_knowledge_default_dir(), "templates") != NULL);
	if (saved)
		setenv("DRYDOCK_TEMPLATES", saved, 1);
	free(saved);
}
END_TEST

/*
 * The search order: bin/../share/drydock/templates, then templates/ beside
 * the executable, then PREFIX's, then the source tree's; each place is
 * taken away in turn to uncover the next.
 */
START_TEST(test_knowledge_search_order)
{
	char root[] = "/tmp/dd-search.XXXXXX";
	char exe[128], share[128], beside[128], prefix[128], source[128], out[256];

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(exe, sizeof(exe), "%s/bin/drydock", root);
	snprintf(share, sizeof(share), "%s/share/drydock/templates", root);
	snprintf(beside, sizeof(beside), "%s/bin/templates", root);
	snprintf(prefix, sizeof(prefix), "%s/prefix/share/drydock/templates", root);
	snprintf(source, sizeof(source), "%s/src/templates", root);
	const char *dirs[] = { share, beside, prefix, source };
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s %s %s %s", share, beside, prefix, source);
	ck_assert_int_eq(system(cmd), 0);

	for (size_t i = 0; i < 4; i++) {
		ck_assert(dd_knowledge_search_dir(out, sizeof(out), exe, prefix, source));
		ck_assert_str_eq(out, dirs[i]);
		ck_assert_int_eq(rmdir(dirs[i]), 0);
	}
	strcpy(out, "unchanged");
	ck_assert(!dd_knowledge_search_dir(out, sizeof(out), exe, prefix, source));
	ck_assert_str_eq(out, "unchanged");
	/* no executable path, no compiled-in folders: nothing */
	ck_assert(!dd_knowledge_search_dir(out, sizeof(out), NULL, NULL, NULL));
	/* a path too long for out is skipped, not cut */
	snprintf(cmd, sizeof(cmd), "mkdir -p %s", source);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert(!dd_knowledge_search_dir(out, 8, exe, NULL, source));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ---- located errors from bad files ------------------------------------------------------ */

static char tmpdir[64];

static void
write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A temporary folder holding copies of the real templates. */
static void
make_tmpdir(bool copy)
{
	static const char *const files[] = { "eol.json", "images.json", "users.json" };

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dd-knowledge-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	for (size_t i = 0; copy && i < sizeof(files) / sizeof(files[0]); i++) {
		char rel[64], *path, *text;
		snprintf(rel, sizeof(rel), "templates/%s", files[i]);
		path = tu_src_path(rel);
		text = tu_read_file(path, NULL);
		ck_assert_ptr_nonnull(text);
		write_file(files[i], text);
		free(text);
		free(path);
	}
}

static void
remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[320];

	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
}

typedef struct {
	const char *name;   /* file written into the folder */
	const char *text;
	const char *where;  /* expected "name:line:col" */
	const char *what;   /* expected part of the message */
} bad_case;

#define HEAD "{\n  \"checked\": \"2026-11-28\",\n  \"source\": \"test\",\n"

static const bad_case bad_cases[] = {
	{ "zz.json", "{\n  \"checked\": \"2026-11-28\",\n  \"source\": tru\n}\n", "zz.json:3:15",
	  "invalid token" },
	{ "zz.json", HEAD "  \"source\": \"again\"\n}\n", "zz.json:4:", "duplicate" },
	{ "zz.json", "[1, 2]\n", "zz.json:1:1", "one JSON object" },
	{ "zz.json", "{\n  \"source\": \"x\"\n}\n", "zz.json:1:1", "missing \"checked\"" },
	{ "zz.json", "{ \"checked\": \"2026-13-01\", \"source\": \"x\" }", "zz.json:1:14", "YYYY-MM-DD" },
	{ "zz.json", HEAD "  \"imagez\": []\n}\n", "zz.json:4:3", "unknown key \"imagez\"" },
	{ "zz.json", HEAD "  \"images\": [\n    { \"repo\": \"x\" },\n    { \"repo\": \"y\", \"family\": \"debain\" }\n  ]\n}\n",
	  "zz.json:6:30", "unknown family \"debain\"" },
	{ "zz.json", HEAD "  \"images\": [\n    { \"repo\": \"x\", \"famly\": \"debian\" }\n  ]\n}\n",
	  "zz.json:5:20", "unknown key \"famly\"" },
	{ "zz.json", HEAD "  \"images\": [\n    { \"tag\": \"x\" }\n  ]\n}\n", "zz.json:5:5", "missing \"repo\"" },
	{ "zz.json", HEAD "  \"images\": [ { \"repo\": \"x\", \"fat\": \"yes\" } ]\n}\n", "zz.json:4:37",
	  "true or false" },
	{ "zz.json", HEAD "  \"images\": [ { \"repo\": \"x\", \"if_family\": \"alpine\", \"family\": \"debian\" } ]\n}\n",
	  "zz.json:4:15", "cannot set \"family\"" },
	{ "zz.json", HEAD "  \"images\": [ { \"repo\": \"x\", \"slim\": \"x:{ver}-slim\" } ]\n}\n", "zz.json:4:38",
	  "unknown placeholder" },
	{ "zz.json", HEAD "  \"images\": [ { \"repo\": \"x\", \"eol\": \"nosuch\" } ]\n}\n", "zz.json:4:37",
	  "no \"eol\" entries for \"nosuch\"" },
	{ "zz.json", HEAD "  \"eol\": { \"x\": [ { \"versions\": [\"1\"], \"below\": \"2\", \"eol\": \"2020-01-01\", "
	  "\"release\": \"X\" } ] }\n}\n", "zz.json:4:19", "one of them" },
	{ "zz.json", HEAD "  \"eol\": { \"x\": [ { \"below\": \"2\", \"eol\": \"2020\", \"release\": \"X\" } ] }\n}\n",
	  "zz.json:4:42", "YYYY-MM" },
	{ "zz.json", HEAD "  \"variants\": [ { \"match\": [\"a\", 3], \"family\": \"alpine\" } ]\n}\n", "zz.json:4:34",
	  "non-empty strings" },
	{ "zz.json", HEAD "  \"users\": { \"debain\": { \"user\": \"1\" } }\n}\n", "zz.json:4:14",
	  "unknown family \"debain\"" },
	{ "zz.json", HEAD "  \"users\": { \"debian\": { \"user\": \"1\" } }\n}\n", "zz.json:4:14",
	  "a second recipe" },
	{ "a.json", HEAD "  \"user_defaults\": { \"uid\": -1, \"gid\": 1, \"name\": \"a\", \"group\": \"b\" }\n}\n",
	  "a.json:4:29", "integer" },
	{ "zz.json", HEAD "  \"user_defaults\": { \"uid\": 1, \"gid\": 1, \"name\": \"a\", \"group\": \"b\" }\n}\n",
	  "zz.json:4:3", "given twice" },
	{ "zz.json", HEAD "  \"mirrors\": [ { \"from\": \"a/\" } ]\n}\n", "zz.json:4:16", "missing \"to\"" },
	{ "a.json", HEAD "  \"images\": [ { \"repo\": \"x\", \"user\": { \"name\": \"n\", \"uid\": \"1\" } } ]\n}\n",
	  "a.json:4:60", "integer" },
	{ "zz.json", HEAD "  \"images\": [ { \"repo\": \"x\", \"lang\": \"cobol\" } ]\n}\n", "zz.json:4:38",
	  "unknown language \"cobol\"" },
	{ "zz.json", HEAD "  \"images\": [ { \"repo\": \"x\", \"pin\": \"latest\" } ]\n}\n", "zz.json:4:37",
	  "must be a tag" },
	{ "zz.json", HEAD "  \"images\": [ { \"repo\": \"x\", \"entrypoint\": [] } ]\n}\n", "zz.json:4:44",
	  "non-empty array" },
};

START_TEST(test_knowledge_bad_file)
{
	const bad_case *c = &bad_cases[_i];
	dd_knowledge *k = NULL;
	char where[128];
	int rc;

	make_tmpdir(true);
	write_file(c->name, c->text);
	rc = dd_knowledge_load(&k, tmpdir);
	snprintf(where, sizeof(where), "%s/%s", tmpdir, c->where);
	remove_tmpdir();
	ck_assert_int_eq(rc, DD_EPARSE);
	ck_assert_ptr_null(k);
	ck_assert_msg(strncmp(dd_error_last(), where, strlen(where)) == 0, "got \"%s\", want at %s",
	    dd_error_last(), where);
	ck_assert_msg(strstr(dd_error_last(), ": error: ") && strstr(dd_error_last(), c->what),
	    "got \"%s\", want \"%s\"", dd_error_last(), c->what);
}
END_TEST

START_TEST(test_knowledge_bad_folder)
{
	dd_knowledge *k = NULL;

	ck_assert_int_eq(dd_knowledge_load(&k, "/nonexistent/templates"), DD_ENOTFOUND);
	ck_assert_ptr_null(k);
	ck_assert_ptr_nonnull(strstr(dd_error_last(), "/nonexistent/templates: error: "));
	make_tmpdir(false);
	write_file("README.md", "not a template\n");
	ck_assert_int_eq(dd_knowledge_load(&k, tmpdir), DD_ENOTFOUND);
	/* a folder without users.json misses the recipes */
	write_file("only.json", HEAD "  \"notes\": \"x\"\n}\n");
	ck_assert_int_eq(dd_knowledge_load(&k, tmpdir), DD_EPARSE);
	ck_assert_ptr_nonnull(strstr(dd_error_last(), "no file gives \"users\" a recipe"));
	remove_tmpdir();
	ck_assert_ptr_null(k);
}
END_TEST

/* Later files add to earlier ones and may override their rules. */
START_TEST(test_knowledge_extra_file)
{
	dd_knowledge *k = NULL;
	dd_arena *a = dd_arena_new();
	dd_image_ref ref;
	dd_image_info info;

	make_tmpdir(true);
	write_file("zz-local.json", "{\n  \"checked\": \"2026-01-02\",\n  \"source\": \"site\",\n"
	    "  \"images\": [ { \"repo\": \"registry.example.com/base/*\", \"family\": \"alpine\","
	    " \"default_user\": \"10001\" },\n  { \"repo\": \"python\", \"tag\": \"3.12\", \"slim\": null } ]\n}\n");
	ck_assert_int_eq(dd_knowledge_load(&k, tmpdir), 0);
	remove_tmpdir();
	ck_assert_str_eq(dd_knowledge_checked(k), "2026-01-02");
	parse_ref(&ref, "registry.example.com/base/java:21", a);
	dd_knowledge_image(k, &ref, &info);
	ck_assert_int_eq(info.family, DD_FAMILY_ALPINE);
	ck_assert(info.known);
	ck_assert_str_eq(info.default_user, "10001");
	parse_ref(&ref, "python:3.12", a);
	dd_knowledge_image(k, &ref, &info);
	ck_assert_ptr_null(info.slim);
	ck_assert(info.fat);
	dd_knowledge_free(k);
	dd_arena_free(a);
}
END_TEST

/*
 * Lookups are remembered per thread: the answer must still be the one of
 * the knowledge asked, when two are loaded, when one is freed and another
 * lands at its address, and for a reference that differs only in its tag
 * or in having an unresolved variable.
 */
START_TEST(test_knowledge_memo_per_load)
{
	dd_knowledge *k = NULL;
	dd_arena *a = dd_arena_new();
	dd_image_ref ref, ref2;
	dd_image_info info;

	parse_ref(&ref, "python:3.12", a);
	dd_knowledge_image(kb, &ref, &info);
	ck_assert_str_eq(info.slim, "python:3.12-slim");
	for (int round = 0; round < 3; round++) {
		make_tmpdir(true);
		write_file("zz-local.json", round == 1
		    ? "{ \"checked\": \"2026-01-02\", \"source\": \"s\", \"images\": [ { \"repo\": \"python\", \"tag\": \"3.12\", \"slim\": \"python:3.12-tiny\" } ] }\n"
		    : "{ \"checked\": \"2026-01-02\", \"source\": \"s\", \"images\": [ { \"repo\": \"python\", \"tag\": \"3.12\", \"slim\": null } ] }\n");
		ck_assert_int_eq(dd_knowledge_load(&k, tmpdir), 0);
		remove_tmpdir();
		dd_knowledge_image(k, &ref, &info);
		if (round == 1)
			ck_assert_str_eq(info.slim, "python:3.12-tiny");
		else
			ck_assert_ptr_null(info.slim);
		dd_knowledge_image(kb, &ref, &info);
		ck_assert_str_eq(info.slim, "python:3.12-slim");
		dd_knowledge_free(k);
		k = NULL;
	}
	parse_ref(&ref2, "python:3.11", a);
	dd_knowledge_image(kb, &ref2, &info);
	ck_assert_str_eq(info.slim, "python:3.11-slim");
	parse_ref(&ref2, "python:2.7", a);
	dd_knowledge_image(kb, &ref2, &info);
	ck_assert_str_eq(info.eol, "2020-01-01");
	ref2.unresolved = true;
	dd_knowledge_image(kb, &ref2, &info);
	ck_assert_ptr_null(info.eol);
	ck_assert_int_eq(info.family, DD_FAMILY_DEBIAN);
	dd_arena_free(a);
}
END_TEST

/* ---- the corpus: every official base and stage reference has a family ------------------ */

typedef struct {
	size_t froms, checked, unknown, other_unknown;
} corpus_stats;

/* The first FROM of a stage chain (FROM base AS x, FROM x …). */
static const dd_image_ref *
root_ref(const dd_stage *st)
{
	for (int guard = 0; st->base_stage && guard < 64; guard++)
		st = st->base_stage;
	return &st->from->as.from.ref;
}

static void
check_doc(const dd_doc *doc, const char *file, corpus_stats *s)
{
	for (size_t i = 0; i < doc->nstages; i++) {
		const dd_stage *st = &doc->stages[i];
		const dd_image_ref *ref = root_ref(st);
		dd_image_info info;
		s->froms++;
		dd_knowledge_image(kb, ref, &info);
		bool library = strcmp(ref->registry, "docker.io") == 0 &&
		    strncmp(ref->path, "library/", 8) == 0;
		if (ref->unresolved || !library) {
			bool unknown = info.family == DD_FAMILY_UNKNOWN;
			s->other_unknown += unknown;
			if (unknown && getenv("DD_KNOWLEDGE_VERBOSE"))
				fprintf(stderr, "knowledge: (not checked) %s: FROM %s%s\n", file, ref->text,
				    ref->unresolved ? " (unresolved ARG)" : "");
			continue;
		}
		s->checked++;
		if (info.family != DD_FAMILY_UNKNOWN)
			continue;
		s->unknown++;
		fprintf(stderr, "knowledge: unknown family: %s: FROM %s%s\n", file, ref->text,
		    st->base_stage ? " (through a stage)" : "");
	}
}

static void
check_corpus_file(const char *path, corpus_stats *s)
{
	dd_source *src = NULL;
	dd_doc *doc = NULL;

	if (dd_source_read(&src, path) != 0 || dd_doc_parse(&doc, src, NULL) != 0) {
		fprintf(stderr, "knowledge: skipped %s: %s\n", path, dd_error_last());
		dd_source_free(src);
		return;
	}
	check_doc(doc, path, s);
	dd_doc_free(doc);
	dd_source_free(src);
}

static void
walk_corpus(const char *dir, corpus_stats *s)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];
	struct stat st;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "MANIFEST.tsv") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk_corpus(path, s);
		else
			check_corpus_file(path, s);
	}
	closedir(d);
}

START_TEST(test_knowledge_corpus_families)
{
	char *dir = tu_corpus_path("realworld");
	corpus_stats s = { 0, 0, 0, 0 };

	walk_corpus(dir, &s);
	free(dir);
	fprintf(stderr, "knowledge: corpus: %zu stages, %zu from official images or their stages, "
	    "%zu of those unknown; %zu others (private images, unresolved ARGs) unknown\n",
	    s.froms, s.checked, s.unknown, s.other_unknown);
	ck_assert_uint_gt(s.checked, 500);
	ck_assert_msg(s.unknown <= 5, "%zu official images without a family", s.unknown);
}
END_TEST

Suite *
knowledge_suite(void)
{
	Suite *s = suite_create("knowledge");
	TCase *tc = tcase_create("lookup");
	TCase *files = tcase_create("files");
	TCase *corpus = tcase_create("corpus");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_knowledge_image_table, 0, (int)DD_ARRAY_LEN(image_cases));
	tcase_add_loop_test(tc, test_knowledge_rewrite_fields, 0, (int)DD_ARRAY_LEN(rewrite_cases));
	tcase_add_test(tc, test_knowledge_pins_supported);
	tcase_add_test(tc, test_knowledge_image_interned);
	tcase_add_test(tc, test_knowledge_image_unresolved);
	tcase_add_test(tc, test_knowledge_checked);
	tcase_add_test(tc, test_knowledge_family_names);
	tcase_add_test(tc, test_knowledge_users);
	tcase_add_test(tc, test_knowledge_default_dir);
	tcase_add_test(tc, test_knowledge_search_order);
	tcase_add_test(tc, test_knowledge_memo_per_load);
	suite_add_tcase(s, tc);

	tcase_add_loop_test(files, test_knowledge_bad_file, 0, (int)DD_ARRAY_LEN(bad_cases));
	tcase_add_test(files, test_knowledge_bad_folder);
	tcase_add_test(files, test_knowledge_extra_file);
	suite_add_tcase(s, files);

	tcase_add_checked_fixture(corpus, setup, teardown);
	tcase_set_timeout(corpus, 120);
	tcase_add_test(corpus, test_knowledge_corpus_families);
	suite_add_tcase(s, corpus);
	return s;
}
