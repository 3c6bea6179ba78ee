/* robust_text: a margin in words, for explain and the workbook. */
#include <stdio.h>

#include "robust.h"

void robust_describe(decision_status st, int64_t margin, int en, char *buf,
                     size_t cap)
{
    char m[32];
    int none = margin == ROBUST_NONE;
    int64_t a = none ? 0 : margin;
    snprintf(m, sizeof m, "%lld%c%02lld", (long long)(a / 100), en ? '.' : ',',
             (long long)(a % 100));
    const char *fr[3][2] = {
        {"financé ; perdrait son financement à %s points de moins",
         "financé ; le reste jusqu'au seuil"},
        {"financé en partie ; serait financé en entier à %s points de plus",
         "financé en partie ; aucun gain de points ne suffit pour l'être en "
         "entier"},
        {"en attente ; serait financé à %s points de plus",
         "en attente ; aucun gain de points ne suffit pour être financé"}};
    const char *english[3][2] = {
        {"funded; would lose its funding %s points lower",
         "funded; stays funded down to the threshold"},
        {"partially funded; would be funded in full %s points higher",
         "partially funded; no gain of points is enough to be funded in full"},
        {"waitlisted; would be funded %s points higher",
         "waitlisted; no gain of points is enough to be funded"}};
    int k = st == DECISION_FUNDED ? 0 : st == DECISION_PARTIAL ? 1
            : st == DECISION_WAITLISTED ? 2 : -1;
    if (k < 0) {
        snprintf(buf, cap, "%s", "");
        return;
    }
    snprintf(buf, cap, (en ? english : fr)[k][none], m);
}
