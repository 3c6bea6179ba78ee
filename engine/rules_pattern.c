/* rules_pattern: the matcher itself (see rules_pattern.h).  A recursive
 * backtracker over the pattern's items, as Lua's: a single-character
 * class optionally followed by '*', '+', '-' or '?', captures, %b, %f
 * and back-references, with '^' handled by the callers and '$' only at
 * the pattern's end.  Every attempt and every character an expansion
 * looks at is a step; steps are charged to the rule call's budget in
 * batches, so a pathological pattern stops like an endless loop. */
#include <ctype.h>
#include <string.h>

#include <lauxlib.h>

#include "rules_internal.h"
#include "rules_pattern.h"

#define ESC '%'
#define STEP_BATCH 4096 /* steps between two charges: cheap, and fine */

/* Steps are cheaper than VM instructions: four make one. */
#define STEPS_PER_INSTRUCTION 4

static void step(pm_state *ms, uint64_t n)
{
    ms->steps += n;
    if (ms->steps >= STEP_BATCH)
        pm_settle(ms);
}

void pm_settle(pm_state *ms)
{
    uint64_t n = ms->steps / STEPS_PER_INSTRUCTION;
    ms->steps %= STEPS_PER_INSTRUCTION;
    if (n)
        rules_charge(ms->L, n); /* raises when the budget is spent */
}

void pm_prepare(pm_state *ms, lua_State *L, const char *s, size_t ls,
                const char *p, size_t lp)
{
    ms->L = L;
    ms->src_init = s;
    ms->src_end = s + ls;
    ms->p_end = p + lp;
    ms->depth = PM_MAXDEPTH;
    ms->level = 0;
    ms->steps = 0;
}

/* ---- single characters -------------------------------------------------- */

/* The end of the class starting at p: "%a", "[...]", or one character. */
static const char *class_end(pm_state *ms, const char *p)
{
    char c = *p++;
    if (c == ESC) {
        if (p >= ms->p_end)
            luaL_error(ms->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c != '[')
        return p;
    if (*p == '^')
        p++;
    /* the first character of a set is itself even when it is ']' */
    do {
        if (p >= ms->p_end)
            luaL_error(ms->L, "malformed pattern (missing ']')");
        if (*p++ == ESC && p < ms->p_end)
            p++;
    } while (*p != ']');
    return p + 1;
}

/* c against a class letter: %a %c %d %g %l %p %s %u %w %x %z, their
 * complements in upper case, and any other character as itself. */
static int class_has(int c, int cl)
{
    int in;
    switch (tolower(cl)) {
    case 'a': in = isalpha(c); break;
    case 'c': in = iscntrl(c); break;
    case 'd': in = isdigit(c); break;
    case 'g': in = isgraph(c); break;
    case 'l': in = islower(c); break;
    case 'p': in = ispunct(c); break;
    case 's': in = isspace(c); break;
    case 'u': in = isupper(c); break;
    case 'w': in = isalnum(c); break;
    case 'x': in = isxdigit(c); break;
    case 'z': in = c == 0; break; /* deprecated in Lua 5.2, still there */
    default: return cl == c;
    }
    return isupper(cl) ? !in : in != 0;
}

/* c against the set [p .. close], close pointing at its ']'. */
static int set_has(int c, const char *p, const char *close)
{
    int want = 1;
    if (p[1] == '^') {
        want = 0;
        p++;
    }
    while (++p < close) {
        if (*p == ESC) {
            p++;
            if (class_has(c, (unsigned char)*p))
                return want;
        } else if (p[1] == '-' && p + 2 < close) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
                return want;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return want;
        }
    }
    return !want;
}

/* Does the character at s match the class p .. ep? */
static int one_char(pm_state *ms, const char *s, const char *p,
                    const char *ep)
{
    if (s >= ms->src_end)
        return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case ESC: return class_has(c, (unsigned char)p[1]);
    case '[': return set_has(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

/* ---- items that consume more than one character ------------------------- */

/* %bxy at s: a balanced x...y. */
static const char *balance(pm_state *ms, const char *s, const char *p)
{
    if (p + 1 >= ms->p_end)
        luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= ms->src_end || *s != p[0])
        return NULL;
    int open = 1;
    const char *start = s;
    while (++s < ms->src_end) {
        if (*s == p[1]) {
            if (--open == 0) {
                step(ms, (uint64_t)(s - start));
                return s + 1;
            }
        } else if (*s == p[0]) {
            open++;
        }
    }
    step(ms, (uint64_t)(s - start));
    return NULL;
}

/* The back-reference %1..%9 at s. */
static const char *same_as(pm_state *ms, const char *s, int digit)
{
    int i = digit - '1';
    if (i < 0 || i >= ms->level || ms->capture[i].len == PM_CAP_UNFINISHED)
        luaL_error(ms->L, "invalid capture index %%%d", i + 1);
    if (ms->capture[i].len < 0)
        return NULL; /* a position capture matches no text */
    size_t len = (size_t)ms->capture[i].len;
    step(ms, len);
    if ((size_t)(ms->src_end - s) >= len &&
        memcmp(ms->capture[i].init, s, len) == 0)
        return s + len;
    return NULL;
}

/* Greedy: as many as match, then give back one at a time. */
static const char *greedy(pm_state *ms, const char *s, const char *p,
                          const char *ep)
{
    ptrdiff_t n = 0;
    while (one_char(ms, s + n, p, ep))
        n++;
    step(ms, (uint64_t)n);
    for (; n >= 0; n--) {
        const char *end = pm_match(ms, s + n, ep + 1);
        if (end)
            return end;
    }
    return NULL;
}

/* Lazy: as few as let the rest match. */
static const char *lazy(pm_state *ms, const char *s, const char *p,
                        const char *ep)
{
    for (;;) {
        const char *end = pm_match(ms, s, ep + 1);
        if (end)
            return end;
        if (!one_char(ms, s, p, ep))
            return NULL;
        s++;
    }
}

/* ---- captures ----------------------------------------------------------- */

static const char *open_capture(pm_state *ms, const char *s, const char *p,
                                ptrdiff_t what)
{
    if (ms->level >= PM_MAXCAPTURES)
        luaL_error(ms->L, "too many captures");
    ms->capture[ms->level].init = s;
    ms->capture[ms->level].len = what;
    ms->level++;
    const char *end = pm_match(ms, s, p);
    if (!end)
        ms->level--; /* undo the capture */
    return end;
}

static const char *close_capture(pm_state *ms, const char *s, const char *p)
{
    int i = ms->level - 1;
    while (i >= 0 && ms->capture[i].len != PM_CAP_UNFINISHED)
        i--;
    if (i < 0)
        luaL_error(ms->L, "invalid pattern capture");
    ms->capture[i].len = s - ms->capture[i].init;
    const char *end = pm_match(ms, s, p);
    if (!end)
        ms->capture[i].len = PM_CAP_UNFINISHED;
    return end;
}

/* ---- the matcher -------------------------------------------------------- */

/* One item with an optional quantifier; *p_next is set when matching
 * goes on at s (returned) with the rest of the pattern. */
static const char *item(pm_state *ms, const char *s, const char **p_next)
{
    const char *p = *p_next, *ep = class_end(ms, p);
    if (!one_char(ms, s, p, ep)) {
        /* an optional item matches empty: go on with the rest here */
        int optional = *ep == '*' || *ep == '?' || *ep == '-';
        *p_next = optional ? ep + 1 : NULL;
        return optional ? s : NULL;
    }
    const char *end;
    switch (*ep) {
    case '?':
        if ((end = pm_match(ms, s + 1, ep + 1)) != NULL)
            return *p_next = NULL, end;
        *p_next = ep + 1;
        return s;
    case '*':
        return *p_next = NULL, greedy(ms, s, p, ep);
    case '+':
        return *p_next = NULL, greedy(ms, s + 1, p, ep);
    case '-':
        return *p_next = NULL, lazy(ms, s, p, ep);
    default:
        *p_next = ep;
        return s + 1;
    }
}

/* %f[set] at s: the character before is not in the set, the one at s is
 * ('\0' before the subject and at its end). */
static int frontier(pm_state *ms, const char *s, const char **p)
{
    const char *set = *p + 2;
    if (*set != '[')
        luaL_error(ms->L, "missing '[' after '%%f' in pattern");
    const char *ep = class_end(ms, set);
    int before = s == ms->src_init ? '\0' : (unsigned char)s[-1];
    int here = s < ms->src_end ? (unsigned char)*s : '\0';
    *p = ep;
    return !set_has(before, set, ep - 1) && set_has(here, set, ep - 1);
}

/* One step of pm_match at the item p: returns where the subject goes on
 * with *p (NULL *p: the result is final). */
static const char *advance(pm_state *ms, const char *s, const char **p)
{
    const char *q = *p;
    switch (*q) {
    case '(':
        *p = NULL;
        return q[1] == ')' ? open_capture(ms, s, q + 2, PM_CAP_POSITION)
                           : open_capture(ms, s, q + 1, PM_CAP_UNFINISHED);
    case ')':
        *p = NULL;
        return close_capture(ms, s, q + 1);
    case '$':
        if (q + 1 == ms->p_end) {
            *p = NULL;
            return s == ms->src_end ? s : NULL;
        }
        break;
    case ESC:
        if (q[1] == 'b') {
            s = balance(ms, s, q + 2);
            *p = s ? q + 4 : NULL;
            return s;
        }
        if (q[1] == 'f') {
            if (!frontier(ms, s, p))
                *p = NULL, s = NULL;
            return s;
        }
        if (isdigit((unsigned char)q[1])) {
            s = same_as(ms, s, (unsigned char)q[1]);
            *p = s ? q + 2 : NULL;
            return s;
        }
        break;
    }
    return item(ms, s, p);
}

const char *pm_match(pm_state *ms, const char *s, const char *p)
{
    if (ms->depth-- == 0)
        luaL_error(ms->L, "pattern too complex");
    while (s && p && p != ms->p_end) {
        step(ms, 1);
        s = advance(ms, s, &p);
    }
    ms->depth++;
    return s;
}

/* ---- captures as Lua values --------------------------------------------- */

ptrdiff_t pm_get_capture(pm_state *ms, int i, const char *s, const char *e,
                         const char **cap)
{
    if (i >= ms->level) {
        if (i != 0)
            luaL_error(ms->L, "invalid capture index %%%d", i + 1);
        *cap = s;
        return e - s;
    }
    ptrdiff_t len = ms->capture[i].len;
    *cap = ms->capture[i].init;
    if (len == PM_CAP_UNFINISHED)
        luaL_error(ms->L, "unfinished capture");
    if (len == PM_CAP_POSITION)
        lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
    return len;
}

void pm_push_capture(pm_state *ms, int i, const char *s, const char *e)
{
    const char *cap;
    ptrdiff_t len = pm_get_capture(ms, i, s, e, &cap);
    if (len != PM_CAP_POSITION)
        lua_pushlstring(ms->L, cap, (size_t)len);
}

int pm_push_captures(pm_state *ms, const char *s, const char *e)
{
    int n = ms->level == 0 && s ? 1 : ms->level;
    luaL_checkstack(ms->L, n, "too many captures");
    for (int i = 0; i < n; i++)
        pm_push_capture(ms, i, s, e);
    return n;
}
