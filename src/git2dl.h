/*
 * libgit2, loaded when a git feature is used: linking it would make every
 * drydock process (a lint in a pre-commit hook) pay for loading it and the
 * libraries it pulls in. The types come from libgit2's headers; the
 * functions gitfix.c calls go through pointers dd_git2_load fills.
 */
#ifndef DD_GIT2DL_H
#define DD_GIT2DL_H

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#define DD_GIT2_FUNCS(X) \
	X(git_blob_create_from_buffer) \
	X(git_blob_filter) \
	X(git_blob_free) \
	X(git_blob_lookup) \
	X(git_blob_rawcontent) \
	X(git_blob_rawsize) \
	X(git_branch_create) \
	X(git_branch_is_checked_out) \
	X(git_branch_lookup) \
	X(git_branch_name_is_valid) \
	X(git_buf_dispose) \
	X(git_commit_create) \
	X(git_commit_free) \
	X(git_commit_lookup) \
	X(git_commit_tree) \
	X(git_email_create_from_commit) \
	X(git_error_last) \
	X(git_libgit2_init) \
	X(git_libgit2_shutdown) \
	X(git_mempack_new) \
	X(git_mempack_reset) \
	X(git_message_prettify) \
	X(git_odb_add_backend) \
	X(git_odb_free) \
	X(git_oid_cpy) \
	X(git_oid_tostr) \
	X(git_reference_free) \
	X(git_repository_free) \
	X(git_repository_head_unborn) \
	X(git_repository_is_bare) \
	X(git_repository_odb) \
	X(git_repository_open_ext) \
	X(git_repository_workdir) \
	X(git_revparse_single) \
	X(git_signature_default) \
	X(git_signature_dup) \
	X(git_signature_free) \
	X(git_signature_now) \
	X(git_status_file) \
	X(git_tree_create_updated) \
	X(git_tree_dup) \
	X(git_tree_entry_bypath) \
	X(git_tree_entry_filemode) \
	X(git_tree_entry_free) \
	X(git_tree_entry_id) \
	X(git_tree_entry_name) \
	X(git_tree_entry_type) \
	X(git_tree_free) \
	X(git_tree_lookup) \
	X(git_tree_walk)

#define DD_GIT2_DECLARE(f) extern __typeof__(f) *dd_git2_##f;
DD_GIT2_FUNCS(DD_GIT2_DECLARE)
#undef DD_GIT2_DECLARE

/* Load the library once (thread-safe); DD_EGIT with a message when it cannot be. */
int dd_git2_load(void);

#ifndef DD_GIT2DL_IMPL
#define git_blob_create_from_buffer (*dd_git2_git_blob_create_from_buffer)
#define git_blob_filter (*dd_git2_git_blob_filter)
#define git_blob_free (*dd_git2_git_blob_free)
#define git_blob_lookup (*dd_git2_git_blob_lookup)
#define git_blob_rawcontent (*dd_git2_git_blob_rawcontent)
#define git_blob_rawsize (*dd_git2_git_blob_rawsize)
#define git_branch_create (*dd_git2_git_branch_create)
#define git_branch_is_checked_out (*dd_git2_git_branch_is_checked_out)
#define git_branch_lookup (*dd_git2_git_branch_lookup)
#define git_branch_name_is_valid (*dd_git2_git_branch_name_is_valid)
#define git_buf_dispose (*dd_git2_git_buf_dispose)
#define git_commit_create (*dd_git2_git_commit_create)
#define git_commit_free (*dd_git2_git_commit_free)
#define git_commit_lookup (*dd_git2_git_commit_lookup)
#define git_commit_tree (*dd_git2_git_commit_tree)
#define git_email_create_from_commit (*dd_git2_git_email_create_from_commit)
#define git_error_last (*dd_git2_git_error_last)
#define git_libgit2_init (*dd_git2_git_libgit2_init)
#define git_libgit2_shutdown (*dd_git2_git_libgit2_shutdown)
#define git_mempack_new (*dd_git2_git_mempack_new)
#define git_mempack_reset (*dd_git2_git_mempack_reset)
#define git_message_prettify (*dd_git2_git_message_prettify)
#define git_odb_add_backend (*dd_git2_git_odb_add_backend)
#define git_odb_free (*dd_git2_git_odb_free)
#define git_oid_cpy (*dd_git2_git_oid_cpy)
#define git_oid_tostr (*dd_git2_git_oid_tostr)
#define git_reference_free (*dd_git2_git_reference_free)
#define git_repository_free (*dd_git2_git_repository_free)
#define git_repository_head_unborn (*dd_git2_git_repository_head_unborn)
#define git_repository_is_bare (*dd_git2_git_repository_is_bare)
#define git_repository_odb (*dd_git2_git_repository_odb)
#define git_repository_open_ext (*dd_git2_git_repository_open_ext)
#define git_repository_workdir (*dd_git2_git_repository_workdir)
#define git_revparse_single (*dd_git2_git_revparse_single)
#define git_signature_default (*dd_git2_git_signature_default)
#define git_signature_dup (*dd_git2_git_signature_dup)
#define git_signature_free (*dd_git2_git_signature_free)
#define git_signature_now (*dd_git2_git_signature_now)
#define git_status_file (*dd_git2_git_status_file)
#define git_tree_create_updated (*dd_git2_git_tree_create_updated)
#define git_tree_dup (*dd_git2_git_tree_dup)
#define git_tree_entry_bypath (*dd_git2_git_tree_entry_bypath)
#define git_tree_entry_filemode (*dd_git2_git_tree_entry_filemode)
#define git_tree_entry_free (*dd_git2_git_tree_entry_free)
#define git_tree_entry_id (*dd_git2_git_tree_entry_id)
#define git_tree_entry_name (*dd_git2_git_tree_entry_name)
#define git_tree_entry_type (*dd_git2_git_tree_entry_type)
#define git_tree_free (*dd_git2_git_tree_free)
#define git_tree_lookup (*dd_git2_git_tree_lookup)
#define git_tree_walk (*dd_git2_git_tree_walk)
#endif

#endif
