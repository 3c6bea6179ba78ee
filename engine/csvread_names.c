/* csvread_names: csvread_normalise (see include/csvread.h), how header
 * names typed by analysts ("Montant demandé", "Durée (mois)") become the
 * keys modules match ("montant_demande", "duree_mois"). */
#include "csvread.h"

#include <string.h>

/* What a byte sequence becomes in a normalised header name. */
typedef struct fold {
    const char *text; /* NULL: a separator ('_') */
    size_t text_len;
    size_t len;       /* bytes consumed */
} fold;

/* Letters of U+00C0..U+00FF (UTF-8 C3 80..C3 BF) without their accents;
 * NULL for the two signs (multiplication, division) kept as they are. */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i",
    "i", "i", "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u",
    "u", "y", "th", "ss", "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e",
    "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", NULL,
    "o", "u", "u", "u", "u", "y", "th", "y"};

static const char lower_ascii[] = "abcdefghijklmnopqrstuvwxyz";

/* Bytes in the UTF-8 sequence at s (1 for a stray byte). */
static size_t seq_len(const unsigned char *s)
{
    size_t n = 1;
    if (s[0] >= 0xC0)
        while (n < 4 && (s[n] & 0xC0) == 0x80)
            n++;
    return n;
}

static fold fold_at(const unsigned char *s)
{
    unsigned char c = s[0];
    /* '(' and ')' too, so "Durée (mois)" gives duree_mois */
    if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '\'' || c == '_'
        || c == '(' || c == ')')
        return (fold){NULL, 0, 1};
    if (c >= 'A' && c <= 'Z')
        return (fold){lower_ascii + (c - 'A'), 1, 1};
    if (c == 0xC2 && s[1] == 0xA0) /* no-break space */
        return (fold){NULL, 0, 2};
    if (c == 0xE2 && s[1] == 0x80 && (s[2] == 0xAF || s[2] == 0x99))
        return (fold){NULL, 0, 3}; /* narrow no-break space, typographic ' */
    if (c == 0xC3 && s[1] >= 0x80 && s[1] <= 0xBF) {
        const char *t = latin1_fold[s[1] - 0x80];
        if (t)
            return (fold){t, strlen(t), 2};
    }
    if (c == 0xC5 && (s[1] == 0x92 || s[1] == 0x93)) /* oe ligature */
        return (fold){"oe", 2, 2};
    size_t n = seq_len(s); /* anything else is kept whole */
    return (fold){(const char *)s, n, n};
}

void csvread_normalise(const char *name, char *out, size_t cap)
{
    if (cap == 0)
        return;
    const unsigned char *s = (const unsigned char *)name;
    size_t o = 0;
    int sep = 0; /* a '_' is due before the next kept text */
    while (*s) {
        fold f = fold_at(s);
        s += f.len;
        if (!f.text) {
            sep = o > 0; /* leading separators are dropped */
            continue;
        }
        if (o + (size_t)sep + f.text_len + 1 > cap)
            break;
        if (sep)
            out[o++] = '_';
        memcpy(out + o, f.text, f.text_len);
        o += f.text_len;
        sep = 0;
    }
    out[o] = '\0';
}
