/* rules_pattern.h: Lua 5.4 pattern matching with a step budget, for the
 * sandbox's string.find, string.match, string.gmatch and string.gsub.
 *
 * Lua's own matcher backtracks in C, where the instruction hook never
 * runs: string.rep("a", 5000):find(".-.-.-.-.-b") would run for years.
 * This matcher has the same semantics (classes, sets, quantifiers,
 * anchors, captures, %b, %f, back-references) and charges its work to the
 * rule call's instruction budget (rules_charge), so such a pattern ends
 * with "instruction limit exceeded" like an endless loop.  Internal to
 * the rules module. */
#ifndef ALLIANCE_RULES_PATTERN_H
#define ALLIANCE_RULES_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#define PM_MAXCAPTURES 32 /* as Lua's LUA_MAXCAPTURES */
#define PM_MAXDEPTH 200   /* nested matches before "pattern too complex" */

typedef struct pm_capture {
    const char *init;
    ptrdiff_t len;        /* or PM_CAP_UNFINISHED, PM_CAP_POSITION */
} pm_capture;

#define PM_CAP_UNFINISHED (-1)
#define PM_CAP_POSITION (-2)

typedef struct pm_state {
    lua_State *L;
    const char *src_init, *src_end; /* the subject */
    const char *p_end;              /* the pattern's end */
    int depth;                      /* nested matches left */
    int level;                      /* captures open or closed */
    uint64_t steps;                 /* work not yet charged */
    pm_capture capture[PM_MAXCAPTURES];
} pm_state;

void pm_prepare(pm_state *ms, lua_State *L, const char *s, size_t ls,
                const char *p, size_t lp);

/* Matches p at s; returns the end of the match or NULL.  Raises Lua
 * errors for a malformed pattern or when the budget is spent. */
const char *pm_match(pm_state *ms, const char *s, const char *p);

/* Charges the steps not yet charged (at the end of a call). */
void pm_settle(pm_state *ms);

/* Pushes capture i (the whole match s..e when there is no capture and
 * i == 0); pushes every capture and returns their number. */
void pm_push_capture(pm_state *ms, int i, const char *s, const char *e);
int pm_push_captures(pm_state *ms, const char *s, const char *e);

/* Capture i for gsub's "%1": its text in *cap and its length, or
 * PM_CAP_POSITION with the position pushed. */
ptrdiff_t pm_get_capture(pm_state *ms, int i, const char *s, const char *e,
                         const char **cap);

/* Replaces string.find, match, gmatch and gsub in the table at the top of
 * the stack (rules_pattern_lib.c). */
void rules_pattern_open(lua_State *L);

#endif
