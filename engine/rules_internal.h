/* rules_internal.h: declarations shared by the files of the rules module
 * (rules.c, rules_sandbox.c, rules_config.c, rules_fields.c, rules_eval.c,
 * rules_split.c).  Not part of the public contract: see include/rules.h.
 *
 * Every Lua API call that may allocate can raise a Lua error, and a Lua
 * error outside lua_pcall aborts the process.  So each public entry point
 * runs its body as a C function under lua_pcall (rules_protect), and the
 * rule functions themselves are called under a nested lua_pcall with a
 * message handler (rules_call).  C memory touched by a body is owned by a
 * struct that outlives the body (rules, rules_results), or is a Lua
 * userdata, so a longjmp out of a body leaks nothing. */
#ifndef ALLIANCE_RULES_INTERNAL_H
#define ALLIANCE_RULES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "diag.h"
#include "inputs.h"
#include "rules.h"

/* ---- string pool: many small strings, freed at once ------------------ */

struct rules_pool_block;
struct rules_pool {
    struct rules_pool_block *head;
};

/* Copies len bytes of s plus a NUL; NULL when out of memory. */
char *rules_pool_dup(struct rules_pool *p, const char *s, size_t len);
void rules_pool_free(struct rules_pool *p);

/* ---- fields: types of the extra application columns ------------------ */

typedef enum {
    RULES_FIELD_TEXT,
    RULES_FIELD_INTEGER,
    RULES_FIELD_NUMBER,
    RULES_FIELD_MONEY,
    RULES_FIELD_DATE,
    RULES_FIELD_BOOLEAN,
    RULES_FIELD_ONEOF
} rules_field_type;

typedef struct rules_field {
    const char *key;            /* normalised column key, as in the file */
    rules_field_type type;
    const char **options;       /* RULES_FIELD_ONEOF: allowed values */
    size_t n_options;
} rules_field;

/* ---- the loaded rule file -------------------------------------------- */

struct rules {
    lua_State *L;
    char *path;                 /* as given, used in messages */
    rules_progress_fn progress; /* see rules_set_progress */
    void *progress_ctx;
    char *libdir;               /* NULL: require unavailable */

    /* memory accounting, see rules_alloc() */
    size_t mem_used, mem_limit;
    int mem_refused;            /* the limit refused an allocation */
    int mem_failed;             /* the C allocator itself failed */

    /* instruction budget of the current call, see rules_hook() */
    uint64_t instr_limit, instr_used;
    int instr_step;             /* instructions between hook calls */
    unsigned long random_calls; /* math.random(seed) calls, see
                                   rules_sandbox.c's counted_random */
    /* where print() goes: stderr, or (a second state, rules_par.c) kept
     * in prints to be written after the first state's, or dropped */
    int print_mode;             /* RULES_PRINT_* */
    char *prints;
    size_t prints_len, prints_cap;

    rules_config cfg;           /* arrays below, strings in strs */
    rules_check *checks;
    rules_criterion *criteria;
    double *crit_max;           /* criteria max in points, for clamping */
    rules_instalment *instalments;
    rules_field *fields;
    size_t n_fields;
    struct rules_pool strs;     /* every string of cfg and fields */

    /* registry reference to the table of rule functions:
     * [1..n_checks] tests, [n_checks+1..n_checks+n_criteria] scores,
     * then the optional functions at rules_slot(r, RULES_SLOT_...). */
    int funcs_ref;
};

/* The optional functions' places in the funcs table, after the checks
 * and criteria (see rules_slot). */
enum {
    RULES_SLOT_SPLIT = 1,
    RULES_SLOT_RANK,
    RULES_SLOT_TIEBREAK,
    RULES_SLOT_SCHEDULE,
    RULES_SLOT_ALLOCATE
};

static inline lua_Integer rules_slot(const struct rules *r, int which)
{
    return (lua_Integer)(r->cfg.n_checks + r->cfg.n_criteria) + which;
}

/* Stack slots a protected body reserves (luaL_checkstack) on entry: more
 * than its deepest use, which stays under 20. */
#define RULES_STACK 40

/* Common head of the state handed to a protected body. */
typedef struct rules_job {
    struct rules *r;
    diag *d;
    int status;                 /* set by the body */
} rules_job;

/* Runs body(L) under lua_pcall with job as its only argument (a light
 * userdata).  Returns job->status, or the status of a Lua error that
 * escaped the body (out of memory, mostly), already reported in job->d. */
int rules_protect(rules_job *job, lua_CFunction body);

/* Calls the function below the nargs arguments at the top of the stack
 * under the message handler at index msgh, with a fresh instruction
 * budget.  Returns the lua_pcall status. */
int rules_call(struct rules *r, int nargs, int nresults, int msgh);

/* What rules_call does before lua_pcall: a fresh instruction budget and
 * memory flags.  For a protected C function that calls several rule
 * functions with lua_call (rules_eval.c), before each of them. */
void rules_call_begin(struct rules *r);

/* Charges n instructions of work done in C (unseen by the count hook) to
 * the current call; raises the instruction-limit error, positioned at the
 * calling Lua line, when the budget is spent. */
void rules_charge(lua_State *L, uint64_t n);

/* Message handler for rules_call: keeps the "file:line:" position. */
int rules_msgh(lua_State *L);

/* Reports the error of a failed rules_call (its message is at the top of
 * the stack, and is popped) as "file:line: in <what>: message", where
 * what is printf-formatted.  Returns the diag status (DIAG_DATA, or
 * DIAG_OSERR when the C allocator failed). */
int rules_call_error(struct rules *r, diag *d, int status,
                     const char *what_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Pushes "file:line" of a Lua function at index fn (where it is defined)
 * or the rule file's path when it has none. */
void rules_push_funcpos(struct rules *r, int fn);

/* Reports "file:line: <message>" (DIAG_DATA) positioned where the
 * function at index fn is defined: a rule function that returned
 * something wrong. */
int rules_func_error(struct rules *r, diag *d, int fn, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- the sandbox (rules_sandbox.c) ------------------------------------ */

/* Opens the allowed libraries and installs the safe load, require, print
 * and collectgarbage.  Raises Lua errors (memory). */
void rules_sandbox_open(struct rules *r);

/* Pushes require()'s cache, module name -> its value (a light userdata
 * while the module loads or after it failed): rules_required.c lists the
 * library files a rule file used from it.  Does not allocate. */
void rules_sandbox_push_loaded(lua_State *L);

/* ---- rule file validation (rules_config.c, rules_config_lists.c) ------- */

/* Validates the table at index t returned by the rule file, fills r->cfg
 * and r->funcs_ref.  Returns a diag status. */
int rules_config_parse(struct rules *r, diag *d, int t);

/* The first error status wins, so every problem is reported but the
 * caller sees the first kind. */
static inline int rules_keep_status(int st, int now)
{
    return st ? st : now;
}

/* Helpers of the validation.  Each reports its problem as
 * "path: message" (DIAG_DATA) and returns the status; tables are read raw,
 * so no metamethod of the rule file runs. */
int rules_cfg_err(struct rules *r, diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rules_cfg_oom(struct rules *r, diag *d);
int rules_cfg_get(lua_State *L, int t, const char *key); /* pushes t[key] */
const char **rules_cfg_sorted_keys(lua_State *L, int t, size_t *n,
                                   size_t *n_other); /* pushes a userdata */
int rules_cfg_keys(struct rules *r, diag *d, int t,
                   const char *const *names, const char *where);
int rules_cfg_allowed(const char *key, const char *const *names); /* in the
                                                      NULL-ended list? */
int rules_cfg_is_list(lua_State *L, int t, size_t *n);
const char *rules_cfg_keep(struct rules *r, int idx); /* copy into strs */
int rules_cfg_string(struct rules *r, diag *d, int t, const char *key,
                     const char *where, const char **out);
int rules_cfg_number(struct rules *r, diag *d, int t, const char *key,
                     const char *where, double *out);
int rules_cfg_func(struct rules *r, diag *d, int e, const char *key,
                   const char *where, int funcs, size_t slot);
int rules_cfg_list(struct rules *r, diag *d, int t, const char *key,
                   size_t *n, const char *shape); /* pushes t[key] */

/* The list-shaped keys (rules_config_lists.c). */
int rules_cfg_checks(struct rules *r, diag *d, int t, int funcs);
int rules_cfg_criteria(struct rules *r, diag *d, int t, int funcs);
int rules_cfg_schedule(struct rules *r, diag *d, int t, int funcs);
int rules_cfg_fields(struct rules *r, diag *d, int t);

/* The allocate table (rules_allocate.c). */
int rules_cfg_allocate(struct rules *r, diag *d, int t, int funcs);

/* ---- values of cells (rules_fields.c) --------------------------------- */

/* A cell converted per its field, not yet pushed: the conversion is
 * done once per application, apart from pushing (rules_app.c pushes
 * options from strings it keeps). */
typedef enum {
    RULES_CELL_STRING,  /* s, len: text, or a date as written (trimmed) */
    RULES_CELL_INTEGER, /* i */
    RULES_CELL_NUMBER,  /* n */
    RULES_CELL_BOOLEAN, /* i: 0 or 1 */
    RULES_CELL_OPTION   /* i: index into the field's options */
} rules_cell_kind;

typedef struct rules_cell {
    rules_cell_kind kind;
    const char *s;
    size_t len;
    lua_Integer i;
    lua_Number n;
} rules_cell;

/* Converts an extra column's cell per its declared field (f NULL: text;
 * never called for ""), or returns -1 with *why completing "\"value\"
 * <why>".  Leaves the stack as it was and raises no error. */
int rules_read_cell(lua_State *L, const rules_field *f, const char *s,
                    rules_cell *c, const char **why);

/* Pushes the value of a converted cell. */
void rules_push_read(lua_State *L, const rules_field *f, const rules_cell *c);

/* Both: converts and pushes the value, or returns -1 (see above) and
 * pushes nothing. */
int rules_push_cell(lua_State *L, const rules_field *f, const char *s,
                    const char **why);

/* Pushes s as a number when it is a plain decimal number ("12 345,5",
 * "-3", "0.25"; plain, no-break and narrow no-break spaces as thousands
 * separators), else as the string itself. */
void rules_push_number_or_string(lua_State *L, const char *s);

/* ---- committee grades (rules_grades.c) -------------------------------- */

/* inputs.evals grouped by application: rows first[a]..first[a+1] of
 * order are application a's, in file order; crit[i] is evaluation i's
 * criterion index.  All NULL when there is no evaluation. */
typedef struct rules_grades {
    size_t *first;
    size_t *order;
    uint32_t *crit;
} rules_grades;

/* Groups and checks the evaluations (every criterion id known, no
 * evaluator twice on a criterion of an application).  Plain C: call it
 * outside a protected body.  Returns a diag status. */
int rules_grades_prepare(const struct rules *r, const inputs *in,
                         rules_grades *g, diag *d);
void rules_grades_free(rules_grades *g);

/* Pushes application app's grades table ({} when it has none). */
void rules_grades_push(const struct rules *r, const inputs *in,
                       const rules_grades *g, size_t app);

/* ---- evaluation (rules_eval.c, rules_app.c, rules_schedule.c) --------- */

#define RULES_REASONS 1024 /* distinct recent reasons shared (rules_eval.c) */

typedef struct rules_eval_job {
    rules_job job;
    const inputs *in;
    rules_results *out;
    const rules_field **col_field; /* per extra column, NULL: plain text */
    lua_Integer *col_base;         /* per one-of column, its options in the
                                      RULES_S_KEYS table (rules_app.c) */
    lua_Integer sub_base;          /* the sub-region names in it */
    const char **label_copy;       /* per check, its label in out->pool */
    const char *reasons[RULES_REASONS]; /* recent reasons in out->pool */
    size_t fail_cap, due_cap, label_cap;
    rules_grades grades;
    size_t max_errors;             /* rule errors before stopping */
    size_t n_rules;                /* rule functions per application */
    size_t cur_app;                /* the application being evaluated */
    size_t next;                   /* its next rule function to run */
    size_t lo, hi;                 /* the applications evaluated: lo..hi-1
                                      (all of them but in rules_par.c) */
    int closed;                    /* every offset of out is set */
} rules_eval_job;

/* Evaluates applications lo..hi-1 into out, whose arrays the caller sized
 * for every application (rules_results_alloc); stops at the first rule
 * error. Typed cells are checked (all of them) only when lo is 0. The
 * offsets first_failure[lo..hi-1] (and first_due) count from out's own
 * failures (dues); [hi] is set only when hi is the last application.
 * Returns a diag status; out is left for the caller to free
 * (rules_par.c). */
int rules_eval_part(struct rules *r, const inputs *in, rules_results *out,
                    size_t lo, size_t hi, diag *d);
int rules_results_alloc(rules_results *out, const rules_config *cfg,
                        size_t n);

enum { RULES_PRINT_STDERR, RULES_PRINT_KEEP, RULES_PRINT_DROP };

/* A second state for rules_par.c: the same rule file, library, limits and
 * program name as of, whose print() output is dropped while the file
 * loads, then kept in prints. */
int rules_open_sibling(struct rules **out, const struct rules *of, diag *d);

/* Moves every block of from into to (from is left empty). */
void rules_pool_take(struct rules_pool *to, struct rules_pool *from);

/* Stack slots inside the evaluation's body, after its light userdata. */
enum {
    RULES_S_MSGH = 2, /* message handler */
    RULES_S_FUNCS,    /* the rule functions */
    RULES_S_CTX,      /* ctx */
    RULES_S_KEYS,     /* the app table's interned keys */
    RULES_S_LABELS,   /* instalment label -> index into out->labels */
    RULES_S_DRIVER,   /* runs an application's rules (rules_eval.c) */
    RULES_S_APP       /* the current application's table */
};

/* The app and ctx tables, and the extra columns (rules_app.c). */
void rules_push_keys(rules_eval_job *ej);  /* also sets the bases below */
void rules_push_app(rules_eval_job *ej, size_t a);
int rules_map_fields(rules_eval_job *ej);   /* fields -> extra columns */
int rules_check_cells(rules_eval_job *ej);  /* every typed cell converts */

/* Pushes the ctx table handed to every rule function. */
void rules_push_ctx(struct rules *r, const inputs *in);

/* Reports a rule function (funcs[slot]) that returned the wrong thing,
 * positioned where the function is defined: "path:line: <kind> 'id' for
 * application A returned <got>, expected <expected>" (id may be NULL). */
int rules_bad_result(rules_eval_job *ej, lua_Integer slot, const char *kind,
                     const char *id, const char *appid, const char *got,
                     const char *expected);

/* "nil", "a string", "a table"... for messages about returned values. */
const char *rules_a_type(lua_State *L, int idx, char *buf, size_t cap);

/* Calls the schedule function on application a and stores its
 * instalments in out->dues (rules_schedule.c). */
int rules_schedule_app(rules_eval_job *ej, size_t a);

#endif
