/* hash: see include/hash.h. */
#include "hash.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_CHUNK 65536

static void hash_to_hex(const unsigned char *md, unsigned len,
                        char hex[HASH_SHA256_HEX])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < len; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * len] = '\0';
}

/* Finishes ctx into hex; frees ctx whatever happens. */
static int hash_finish(EVP_MD_CTX *ctx, char hex[HASH_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    int ok = EVP_DigestFinal_ex(ctx, md, &len) == 1 && 2 * len < HASH_SHA256_HEX;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return -1;
    hash_to_hex(md, len, hex);
    return 0;
}

static EVP_MD_CTX *hash_start(void)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

/* The opaque hash_sha256 is libcrypto's digest context, cast. */
hash_sha256 *hash_sha256_begin(void)
{
    return (hash_sha256 *)hash_start();
}

int hash_sha256_add(hash_sha256 *h, const void *data, size_t len)
{
    return h && EVP_DigestUpdate((EVP_MD_CTX *)h, data, len) == 1 ? 0 : -1;
}

int hash_sha256_end(hash_sha256 *h, char hex[HASH_SHA256_HEX])
{
    hex[0] = '\0';
    return h ? hash_finish((EVP_MD_CTX *)h, hex) : -1;
}

void hash_sha256_free(hash_sha256 *h)
{
    EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

int hash_sha256_hex(const void *data, size_t len, char hex[HASH_SHA256_HEX])
{
    EVP_MD_CTX *ctx = hash_start();
    if (!ctx)
        return -1;
    if (EVP_DigestUpdate(ctx, data, len) != 1) {
        EVP_MD_CTX_free(ctx);
        return -1;
    }
    return hash_finish(ctx, hex);
}

/* Feeds the whole stream to ctx: 0, DIAG_IOERR or DIAG_OSERR. */
static int hash_stream(EVP_MD_CTX *ctx, FILE *fp, unsigned char *buf)
{
    size_t n;
    while ((n = fread(buf, 1, HASH_CHUNK, fp)) > 0)
        if (EVP_DigestUpdate(ctx, buf, n) != 1)
            return DIAG_OSERR;
    return ferror(fp) ? DIAG_IOERR : 0;
}

int hash_file_sha256(const char *path, char hex[HASH_SHA256_HEX], diag *d)
{
    hex[0] = '\0';
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return diag_add(d, DIAG_NOINPUT, "cannot open %s: %s", path,
                        strerror(errno));
    /* On the heap: 64 KiB is a lot for a thread's stack. */
    unsigned char *buf = malloc(HASH_CHUNK);
    EVP_MD_CTX *ctx = buf ? hash_start() : NULL;
    int rc = ctx ? hash_stream(ctx, fp, buf) : DIAG_OSERR;
    int saved = errno;
    fclose(fp);
    free(buf);
    if (rc == 0)
        rc = hash_finish(ctx, hex) == 0 ? 0 : DIAG_OSERR;
    else
        EVP_MD_CTX_free(ctx);
    if (rc == DIAG_IOERR)
        return diag_add(d, rc, "cannot read %s: %s", path, strerror(saved));
    if (rc != 0)
        return diag_add(d, rc, "cannot hash %s: out of memory", path);
    return 0;
}
