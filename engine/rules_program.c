/* rules_program: the program's name given on the command line (alliance
 * run --program), in place of the rule file's: successive calls of one
 * program are matched by it, so a region can run a new call with last
 * year's rule file under this year's program name. */
#include <string.h>

#include "rules_internal.h"

int rules_set_program(rules *r, const char *program, diag *d)
{
    const char *kept = rules_pool_dup(&r->strs, program, strlen(program));
    if (!kept)
        return rules_cfg_oom(r, d);
    r->cfg.program = kept;
    return DIAG_OK;
}
