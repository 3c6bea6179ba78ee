/* rules: the Lua 5.4 bridge, see include/rules.h.
 *
 * This file holds the Lua state's life cycle and its resource limits:
 * a counting allocator for rules_limits.memory, a count hook for
 * rules_limits.instructions, the message handler, and the reporting of
 * errors raised by rule functions.  The sandbox is in rules_sandbox.c,
 * the validation of the rule file's table in rules_config.c, the calls of
 * checks and criteria in rules_eval.c and of split() in rules_split.c. */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "rules_internal.h"

/* The hook runs every HOOK_STEP VM instructions: cheap enough to be
 * invisible, fine enough for a budget counted in millions. */
#define HOOK_STEP 1000

/* Allocating is work too: C functions such as string.rep or table.concat
 * can spend seconds in one VM instruction.  Every ALLOC_BYTES bytes
 * allocated are charged as one instruction (a VM instruction costs about
 * as much as copying 16 bytes), so a loop of huge allocations also runs
 * out of budget. */
#define ALLOC_BYTES 16

static const char instr_msg[] = "instruction limit exceeded (endless loop?)";

static void rules_hook(lua_State *L, lua_Debug *ar);

/* Makes the hook run at the very next VM instruction.  lua_sethook only
 * sets a few fields (it is safe even in a signal handler), so the
 * allocator may call it. */
static void hook_now(struct rules *r)
{
    if (r->L && r->instr_step != 1) {
        r->instr_step = 1;
        lua_sethook(r->L, rules_hook, LUA_MASKCOUNT, 1);
    }
}

/* ---- string pool -------------------------------------------------------- */

struct rules_pool_block {
    struct rules_pool_block *next;
    size_t used, cap;
    char data[];
};

#define POOL_BLOCK 8192

char *rules_pool_dup(struct rules_pool *p, const char *s, size_t len)
{
    struct rules_pool_block *b = p->head;
    if (!b || b->cap - b->used < len + 1) {
        size_t cap = len + 1 > POOL_BLOCK ? len + 1 : POOL_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = p->head;
        b->used = 0;
        b->cap = cap;
        p->head = b;
    }
    char *out = b->data + b->used;
    memcpy(out, s, len);
    out[len] = '\0';
    b->used += len + 1;
    return out;
}

void rules_pool_free(struct rules_pool *p)
{
    struct rules_pool_block *b = p->head;
    while (b) {
        struct rules_pool_block *next = b->next;
        free(b);
        b = next;
    }
    p->head = NULL;
}

void rules_pool_take(struct rules_pool *to, struct rules_pool *from)
{
    struct rules_pool_block *tail = from->head;
    if (!tail)
        return;
    while (tail->next)
        tail = tail->next;
    tail->next = to->head;
    to->head = from->head;
    from->head = NULL;
}

/* ---- resource limits ---------------------------------------------------- */

/* lua_Alloc that keeps mem_used <= mem_limit.  Refusing an allocation makes
 * Lua collect garbage and retry once, then raise "not enough memory"
 * (LUA_ERRMEM); mem_refused tells that error apart from a real shortage. */
static void *rules_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct rules *r = ud;
    if (!ptr)
        osize = 0; /* osize then tells the kind of object, not a size */
    if (nsize == 0) {
        free(ptr);
        r->mem_used -= osize;
        return NULL;
    }
    if (nsize > osize && nsize - osize > r->mem_limit - r->mem_used) {
        r->mem_refused = 1;
        return NULL;
    }
    if (nsize > osize) {
        r->instr_used += (nsize - osize) / ALLOC_BYTES;
        if (r->instr_used > r->instr_limit)
            hook_now(r);
    }
    void *p = realloc(ptr, nsize);
    if (!p) {
        if (nsize <= osize) { /* Lua assumes shrinking never fails */
            r->mem_used -= osize - nsize;
            return ptr;
        }
        r->mem_failed = 1;
        return NULL;
    }
    r->mem_used = r->mem_used - osize + nsize;
    return p;
}

/* Count hook: charges the instructions run since the last call and raises
 * an error, positioned at the running line, once the budget is spent.
 * After that it fires on every instruction so that a rule catching the
 * error with pcall cannot keep running: the next instruction of the
 * catching function fails too. */
static void rules_hook(lua_State *L, lua_Debug *ar)
{
    void *ud;
    lua_getallocf(L, &ud);
    struct rules *r = ud;
    r->instr_used += (uint64_t)r->instr_step;
    if (r->instr_used <= r->instr_limit)
        return;
    hook_now(r);
    /* level 0 is the interrupted Lua function: a hook has no frame */
    if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
        lua_pushfstring(L, "%s:%d: %s", ar->short_src, ar->currentline,
                        instr_msg);
    else
        lua_pushstring(L, instr_msg);
    lua_error(L);
}

void rules_charge(lua_State *L, uint64_t n)
{
    void *ud;
    lua_getallocf(L, &ud);
    struct rules *r = ud;
    r->instr_used = n > UINT64_MAX - r->instr_used ? UINT64_MAX
                                                   : r->instr_used + n;
    if (r->instr_used <= r->instr_limit)
        return;
    hook_now(r);
    luaL_where(L, 1);
    lua_pushstring(L, instr_msg);
    lua_concat(L, 2);
    lua_error(L);
}

/* A fresh budget for the next call; re-arming the hook is needed only
 * after the previous call ran out. */
void rules_call_begin(struct rules *r)
{
    r->instr_used = 0;
    r->mem_refused = 0;
    r->mem_failed = 0;
    if (r->instr_step != HOOK_STEP) {
        r->instr_step = HOOK_STEP;
        lua_sethook(r->L, rules_hook, LUA_MASKCOUNT, HOOK_STEP);
    }
}

/* ---- calls and errors --------------------------------------------------- */

/* Error objects that are not strings get the position of the first Lua
 * function up the stack (level 0 is this handler, 1 usually error()). */
static void push_where(lua_State *L)
{
    lua_Debug ar;
    for (int level = 1; level <= 3 && lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    }
    lua_pushliteral(L, "");
}

int rules_msgh(lua_State *L)
{
    int t = lua_type(L, 1);
    if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        lua_tostring(L, 1); /* Lua's own messages already carry file:line */
        return 1;
    }
    push_where(L); /* at 2 */
    if (luaL_callmeta(L, 1, "__tostring")) {
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_concat(L, 2);
            return 1;
        }
        lua_pop(L, 1);
    }
    lua_pushfstring(L, "%s(error object is a %s value)", lua_tostring(L, 2),
                    luaL_typename(L, 1));
    return 1;
}

int rules_call(struct rules *r, int nargs, int nresults, int msgh)
{
    rules_call_begin(r);
    return lua_pcall(r->L, nargs, nresults, msgh);
}

static double mib(size_t bytes)
{
    return (double)bytes / (1024.0 * 1024.0);
}

/* Length of a leading "file:line:" in msg, or 0.  Lua positions read
 * "chunk:line: message"; the first ":digits: " on the first line ends it. */
static size_t position_len(const char *msg)
{
    for (const char *p = msg; *p && *p != '\n'; p++) {
        if (*p != ':' || p == msg)
            continue;
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q > p + 1 && q[0] == ':' && q[1] == ' ')
            return (size_t)(q + 1 - msg);
    }
    return 0;
}

/* Reports the error at the top of the stack (and pops it).  what names
 * the rule being called, or is NULL for the main chunk, whose messages
 * stand as Lua wrote them. */
static int report(struct rules *r, diag *d, int status, const char *what)
{
    const char *in = what ? " in " : "", *sep = what ? ":" : "";
    if (!what)
        what = "";
    /* a memory error re-raised by lua_error (require does) arrives as a
     * runtime error carrying Lua's fixed message */
    const char *msg = lua_tostring(r->L, -1);
    int memory = status == LUA_ERRMEM || status == LUA_ERRERR ||
                 (msg && strcmp(msg, "not enough memory") == 0);
    int st;
    if (memory && r->mem_refused)
        st = diag_add(d, DIAG_DATA,
                      "%s:%s%s%s rule file exceeded its memory limit of %g MiB",
                      r->path, in, what, sep, mib(r->mem_limit));
    else if (status == LUA_ERRMEM)
        st = diag_add(d, DIAG_OSERR, "%s:%s%s%s out of memory", r->path, in,
                      what, sep);
    else {
        if (!msg)
            msg = "(error object is not a string)";
        size_t pos = position_len(msg);
        if (pos)
            st = diag_add(d, DIAG_DATA, "%.*s%s%s%s %s", (int)pos, msg, in,
                          what, sep, msg + pos + 1);
        else
            st = diag_add(d, DIAG_DATA, "%s:%s%s%s %s", r->path, in, what,
                          sep, msg);
    }
    lua_pop(r->L, 1);
    return st;
}

int rules_call_error(struct rules *r, diag *d, int status,
                     const char *what_fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, what_fmt);
    vsnprintf(what, sizeof what, what_fmt, ap);
    va_end(ap);
    return report(r, d, status, what);
}

void rules_push_funcpos(struct rules *r, int fn)
{
    lua_Debug ar;
    lua_pushvalue(r->L, fn);
    if (lua_getinfo(r->L, ">S", &ar) && ar.linedefined > 0)
        lua_pushfstring(r->L, "%s:%d", ar.short_src, ar.linedefined);
    else
        lua_pushstring(r->L, r->path);
}

int rules_func_error(struct rules *r, diag *d, int fn, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rules_push_funcpos(r, fn);
    int st = diag_add(d, DIAG_DATA, "%s: %s", lua_tostring(r->L, -1), msg);
    lua_pop(r->L, 1);
    return st;
}

/* Reports a Lua error that escaped a protected body: the glue code ran out
 * of memory, or a bug raised an error the body did not expect. */
static int report_escaped(rules_job *job, int status)
{
    struct rules *r = job->r;
    if (r->mem_refused && status != LUA_OK)
        return diag_add(job->d, DIAG_DATA,
                        "%s: rule file exceeded its memory limit of %g MiB",
                        r->path, mib(r->mem_limit));
    if (status == LUA_ERRMEM)
        return diag_add(job->d, DIAG_OSERR, "%s: out of memory", r->path);
    const char *msg = lua_tostring(r->L, -1);
    return diag_add(job->d, DIAG_INTERNAL, "%s: unexpected Lua error: %s",
                    r->path, msg ? msg : "(not a string)");
}

int rules_protect(rules_job *job, lua_CFunction body)
{
    lua_State *L = job->r->L;
    int top = lua_gettop(L);
    job->status = DIAG_OK;
    job->r->mem_refused = 0;
    job->r->mem_failed = 0;
    /* pushing a C function and a light userdata never allocates */
    lua_pushcfunction(L, body);
    lua_pushlightuserdata(L, job);
    int status = lua_pcall(L, 1, 0, 0);
    if (status != LUA_OK) {
        int st = report_escaped(job, status);
        if (!job->status)
            job->status = st;
    }
    lua_settop(L, top);
    return job->status;
}

/* ---- open and close ----------------------------------------------------- */

/* Loads the file as text only (a binary chunk could break the VM), runs it
 * once and validates what it returned. */
static int open_body(lua_State *L)
{
    rules_job *job = lua_touserdata(L, 1);
    struct rules *r = job->r;
    diag *d = job->d;
    luaL_checkstack(L, RULES_STACK, NULL);
    rules_sandbox_open(r);
    lua_pushcfunction(L, rules_msgh);
    int msgh = lua_gettop(L);
    int st = luaL_loadfilex(L, r->path, "t");
    if (st == LUA_ERRFILE) {
        job->status = diag_add(d, DIAG_DATA, "%s", lua_tostring(L, -1));
        return 0;
    }
    if (st == LUA_OK)
        st = rules_call(r, 0, 1, msgh);
    if (st != LUA_OK) {
        job->status = report(r, d, st, NULL);
        return 0;
    }
    job->status = rules_config_parse(r, d, lua_gettop(L));
    return 0;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *out = malloc(n);
    if (out)
        memcpy(out, s, n);
    return out;
}

static int rules_new(struct rules **out, const char *path, const char *libdir,
                     const rules_limits *lim, diag *d)
{
    struct rules *r = calloc(1, sizeof *r);
    if (!r)
        return diag_add(d, DIAG_OSERR, "%s: out of memory", path);
    *out = r;
    r->funcs_ref = LUA_NOREF;
    r->path = dup_str(path);
    r->libdir = libdir ? dup_str(libdir) : NULL;
    if (!r->path || (libdir && !r->libdir))
        return diag_add(d, DIAG_OSERR, "%s: out of memory", path);
    /* a zero limit means the default, like a NULL lim */
    r->mem_limit = lim && lim->memory ? lim->memory : RULES_DEFAULT_MEMORY;
    r->instr_limit = lim && lim->instructions ? lim->instructions
                                              : RULES_DEFAULT_INSTRUCTIONS;
    r->L = lua_newstate(rules_alloc, r);
    if (!r->L) {
        if (r->mem_refused)
            return diag_add(d, DIAG_DATA,
                            "%s: memory limit of %g MiB is too small for Lua",
                            path, mib(r->mem_limit));
        return diag_add(d, DIAG_OSERR, "%s: out of memory", path);
    }
    r->instr_step = HOOK_STEP;
    lua_sethook(r->L, rules_hook, LUA_MASKCOUNT, HOOK_STEP);
    return DIAG_OK;
}

static int rules_open_as(rules **out, const char *path, const char *libdir,
                         const rules_limits *lim, int print_mode, diag *d)
{
    struct rules *r = NULL;
    *out = NULL;
    int st = rules_new(&r, path, libdir, lim, d);
    if (r)
        r->print_mode = print_mode;
    if (st == DIAG_OK) {
        rules_job job = { r, d, DIAG_OK };
        st = rules_protect(&job, open_body);
    }
    if (st != DIAG_OK) {
        rules_close(r);
        return st;
    }
    *out = r;
    return DIAG_OK;
}

int rules_open(rules **out, const char *path, const char *libdir,
               const rules_limits *lim, diag *d)
{
    return rules_open_as(out, path, libdir, lim, RULES_PRINT_STDERR, d);
}

int rules_open_sibling(struct rules **out, const struct rules *of, diag *d)
{
    rules_limits lim = {of->mem_limit, of->instr_limit};
    int st = rules_open_as(out, of->path, of->libdir, &lim, RULES_PRINT_DROP, d);
    if (st == DIAG_OK)
        st = rules_set_program(*out, of->cfg.program, d);
    if (st == DIAG_OK)
        (*out)->print_mode = RULES_PRINT_KEEP;
    return st;
}

void rules_close(rules *r)
{
    if (!r)
        return;
    if (r->L)
        lua_close(r->L); /* runs no rule code: setmetatable refuses __gc */
    free(r->checks);
    free(r->criteria);
    free(r->crit_max);
    free(r->instalments);
    if (r->fields) {
        for (size_t i = 0; i < r->n_fields; i++)
            free(r->fields[i].options);
        free(r->fields);
    }
    rules_pool_free(&r->strs);
    free(r->prints);
    free(r->path);
    free(r->libdir);
    free(r);
}

const rules_config *rules_config_get(const rules *r)
{
    return &r->cfg;
}
