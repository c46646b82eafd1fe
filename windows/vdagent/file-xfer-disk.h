/* SPDX-License-Identifier: MIT */
/*
 * The Win32 side of file transfer: the target folder, its free space,
 * and one file being received.  Errors are negative errno values mapped
 * from Win32 errors (-ENOSPC, -EACCES, -ENOENT, -EEXIST, -ENAMETOOLONG,
 * -EIO for the rest).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

struct wa_xfer_file;

/* The folder for where ("desktop", "download" or a UTF-8 path), created
 * when missing: a malloc'd path into *dir_out. */
int wa_xfer_folder_open(const char *where, wchar_t **dir_out);

/* Bytes free for this user on dir's volume. */
int wa_xfer_free_space(const wchar_t *dir, uint64_t *avail);

/* A new hidden temporary file in dir for transfer id. */
int wa_xfer_file_create(const wchar_t *dir, uint32_t id,
			struct wa_xfer_file **out);

int wa_xfer_file_write(struct wa_xfer_file *f, const uint8_t *data,
		       size_t len);

/*
 * Close the file and move it to dir\safe_name, or to the first free
 * numbered alternative (vdp_filename_numbered()); never replaces a file.
 * On success f is freed and *final_out gets the final path (malloc'd
 * UTF-8; NULL only when out of memory).  On error f is kept: discard it.
 */
int wa_xfer_file_commit(struct wa_xfer_file *f, const char *safe_name,
			char **final_out);

/* Close and delete the temporary file, free f (NULL is fine). */
void wa_xfer_file_discard(struct wa_xfer_file *f);

/* The temporary file's path, UTF-8 in buf (for logs and tests). */
void wa_xfer_file_temp_name(const struct wa_xfer_file *f, char *buf,
			    size_t size);
