/* hash: SHA-256 fingerprints of files and buffers (OpenSSL libcrypto, EVP
 * interface), written as 64 lowercase hex digits.
 *
 * They identify exactly which inputs and rule file a run used: the
 * committee report prints them, and the run store keys runs on them. */
#ifndef ALLIANCE_HASH_H
#define ALLIANCE_HASH_H

#include <stddef.h>
#include "diag.h"

#define HASH_SHA256_HEX 65 /* 64 hex digits + NUL */

/* SHA-256 of a file's bytes. Returns DIAG_OK, DIAG_NOINPUT when the file
 * cannot be opened, DIAG_IOERR on a read error, DIAG_OSERR when libcrypto
 * fails (out of memory); the message, naming path, is recorded in d. */
int hash_file_sha256(const char *path, char hex[HASH_SHA256_HEX], diag *d);

/* SHA-256 of a stream, fed as it is read: hash_sha256_begin (NULL when
 * out of memory), hash_sha256_add (0, or -1 when libcrypto fails), then
 * hash_sha256_end, which writes the digest (0, or -1) and frees h, or
 * hash_sha256_free to give up. Both accept NULL. */
typedef struct hash_sha256 hash_sha256;
hash_sha256 *hash_sha256_begin(void);
int hash_sha256_add(hash_sha256 *h, const void *data, size_t len);
int hash_sha256_end(hash_sha256 *h, char hex[HASH_SHA256_HEX]);
void hash_sha256_free(hash_sha256 *h);

/* SHA-256 of len bytes. Returns 0, or -1 when libcrypto fails. */
int hash_sha256_hex(const void *data, size_t len, char hex[HASH_SHA256_HEX]);

#endif
