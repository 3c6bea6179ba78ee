"""An independent reference for allocate.method = "equal_shares".

Written from the paper's definition (Peters, Pierczynski and Skowron,
"Proportional Participatory Budgeting with Additive Utilities", NeurIPS
2021, rule X / Method of Equal Shares) and from rules/README.md for what
alliance adds (cent payments, budgets split in cents, add1, completion),
not from the C code. Everything is exact: fractions.Fraction.

    rho(c) = min { r >= 0 : sum_i min(b_i, r * u_i(c)) >= cost(c) }

The function f(r) = sum_i min(b_i, r u_i) is nondecreasing and piecewise
linear with breakpoints b_i / u_i: rho is found on the first segment whose
right end reaches the cost, by solving the linear equation there.
"""
from fractions import Fraction
import math


def rho(cost, sup, budget):
    """sup: {voter: utility > 0}; budget: {voter: b}. None if unaffordable."""
    if sum(budget[i] for i in sup) < cost:
        return None

    def f(r):
        return sum(min(budget[i], r * u) for i, u in sup.items())

    prev = Fraction(0)
    for t in sorted({Fraction(budget[i]) / u for i, u in sup.items()}):
        if f(t) >= cost:
            fixed = sum(budget[i] for i, u in sup.items() if Fraction(budget[i]) / u <= prev)
            slope = sum(u for i, u in sup.items() if Fraction(budget[i]) / u > prev)
            return Fraction(cost - fixed) / slope
        prev = t
    raise AssertionError("unreachable: the budgets cover the cost")


def pay(cost, sup, budget, r, cents):
    """What each supporter pays at rho r: min(b_i, r u_i); in cents, per
    rules/README.md: the capped pay all they have, the others the floor of
    what they owe, and the missing cents go one each to the largest
    fractional parts, ties to the lower voter."""
    exact = {i: min(Fraction(budget[i]), r * u) for i, u in sup.items()}
    assert sum(exact.values()) == cost
    if not cents:
        return exact
    out = {i: math.floor(x) for i, x in exact.items()}
    missing = cost - sum(out.values())
    frac = sorted((i for i in sup if exact[i] != budget[i]),
                  key=lambda i: (-(exact[i] - math.floor(exact[i])), i))
    for i in frac[:missing]:
        out[i] += 1
    assert sum(out.values()) == cost
    assert all(out[i] <= budget[i] for i in sup)
    return out


def mes(projects, budget, accept=None, cents=True):
    """projects: list of (cost, {voter: utility}) in tie-break order;
    budget: {voter: b}. accept(p, spent) -> True (buy), False (skip) or
    None (stop: infeasible). Returns (bought in order, payments {p: {i:
    cents}}, budget left, infeasible)."""
    budget = dict(budget)
    left = set(range(len(projects)))
    bought, payments = [], {}
    while True:
        best = None
        for p in sorted(left):
            cost, sup = projects[p]
            r = rho(cost, sup, budget)
            if r is not None and (best is None or r < best[0]):
                best = (r, p)
        if best is None:
            return bought, payments, budget, False
        r, p = best
        left.discard(p)
        ok = accept(p) if accept else True
        if ok is None:
            return bought, payments, budget, True
        if not ok:
            continue
        cost, sup = projects[p]
        paid = pay(cost, sup, budget, r, cents)
        for i, x in paid.items():
            budget[i] -= x
        bought.append(p)
        payments[p] = paid


def equal_budgets(total, voters, cents=True):
    """total split equally; in cents the first total % n voters (in order)
    get one cent more."""
    n = len(voters)
    if not cents:
        return {v: Fraction(total, n) for v in voters}
    return {v: total // n + (k < total % n) for k, v in enumerate(voters)}


def election(projects, total, voters, completion, cents=True):
    """One sub-region (one fiscal year): total cents, voters sorted.
    Returns (bought, payments)."""
    base = equal_budgets(total, voters, cents)
    costs = [c for c, _ in projects]

    def run(extra, strict):
        spent = [0]

        def accept(p):
            if spent[0] + costs[p] > total:
                return None if strict else False
            spent[0] += costs[p]
            return True
        b, pay_, _, infeasible = mes(projects, {v: x + extra for v, x in base.items()},
                                     accept, cents)
        return b, pay_, infeasible, spent[0]

    bought, payments, _, _ = run(0, False)
    if completion != "add1":
        return bought, payments
    k = 0
    while True:
        valued = all(p in bought for p in range(len(projects)) if projects[p][1])
        if valued or k + 2 > 100000:
            return bought, payments
        b, p_, infeasible, _ = run(100 * (k + 1), True)
        if infeasible:
            return bought, payments
        bought, payments, k = b, p_, k + 1
