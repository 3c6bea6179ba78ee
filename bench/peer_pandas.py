#!/usr/bin/python3
"""The alternative an analyst would write instead of alliance: pandas.

usage: peer_pandas.py [-v] INPUT_DIR OUT_DIR

Does the job of `alliance run --rules rules/monteregie.lua` the way a
competent analyst would in pandas (Debian's python3-pandas, python3-numpy,
python3-xlsxwriter), and takes the same decisions to the cent:

- load: applications.csv, envelopes.csv, split.csv and, when present,
  evaluations.csv (`,` or `;`, UTF-8 with or without BOM, headers folded and
  matched to alliance's aliases, amounts in machine or French-Canadian form),
  with the basic refusals (unreadable amount or date, duplicate id, unknown
  sub-region, total cost below the request); the SHA-256 of every file read;
- the rule file, transcribed: the six eligibility checks with alliance's
  reason texts, the seven criteria computed in IEEE doubles like the Lua
  rules (the committee's mean grade averaged into `partenariat` when
  evaluations.csv grades it), points clamped and rounded half away from zero
  to the hundredth, threshold 60;
- the split of the envelope into sub-region x fiscal-year cells (largest
  remainder over the cumulative envelope, never taking a cent back), the
  50/40/10 instalment plan (dates clamped to the project's last day, an
  instalment outside the program's fiscal years makes the application
  ineligible), ranking (score, smaller request, id), greedy allocation per
  sub-region and fiscal year skipping what does not fit, instalments by
  largest remainder;
- outputs: decisions.csv, disbursements.csv and summary.csv with alliance's
  columns, order and number formats; peer.db, an SQLite database written in
  one transaction (run and input files, checks and criteria, sub-regions and
  envelope cells, applications as loaded, decisions with points, failed
  checks, what the envelope had left at each decision, instalments); and
  peer.xlsx through pandas' ExcelWriter (xlsxwriter) with alliance's sheets
  and columns: Sommaire, one ranking sheet per sub-region, Versements, Non
  retenues, Paramètres, with money, points and date formats, column widths,
  frozen headers, autofilters, status colours (conditional formats) and
  SUM/SUBTOTAL total rows.

Vectorised where pandas allows (parsing, checks, points, reasons, plan,
instalment amounts, ranking); the greedy allocation is a plain loop over
lists, sequential by nature. Where pandas itself only loops in Python, the
script takes the faster loop: amounts and points become text with a
comprehension rather than to_csv(float_format=), and the workbook's big
sheets are written with xlsxwriter's write_row rather than
DataFrame.to_excel (which builds a styled cell object per value: 1.5x the
time for the same cells).

What it leaves out, none of which the benchmark's inputs use: overrides.csv
and successive calls (commitments; it stops if those files are present);
the allocation options monteregie.lua does not set (caps, partial or stop on
overflow, carrying leftovers); the input contract's full diagnostics
(alliance lists every bad cell with its line and column; this stops at the
first problem, and does not check the grouping of French amounts or trim
spaces around cells); the workbook's charts and per-row heights; --lang en.
peer.db is written afresh each run (run id 1), where alliance appends runs
to its store.

Prints the elapsed seconds (load through the workbook) on stdout, nothing
else; -v adds the time of each stage on stderr.
"""
import csv
import datetime
import hashlib
import io
import os
import re
import sqlite3
import sys
import time
import unicodedata

import numpy as np
import pandas as pd
import xlsxwriter

# ---- the rule file (rules/monteregie.lua), transcribed ---------------------

PROGRAM = "Alliance pour la solidarité Montérégie 2024-2029"
TERRITOIRES = {
    "Ouest de la Montérégie": ["Vaudreuil-Soulanges", "Beauharnois-Salaberry", "Le Haut-Saint-Laurent",
                               "Roussillon", "Les Jardins-de-Napierville"],
    "Est de la Montérégie": ["Les Maskoutains", "Acton", "Pierre-De Saurel", "La Vallée-du-Richelieu",
                             "Marguerite-D'Youville", "Rouville", "Le Haut-Richelieu", "Brome-Missisquoi",
                             "La Haute-Yamaska"],
    "Agglomération de Longueuil": ["Longueuil", "Boucherville", "Brossard", "Saint-Lambert",
                                   "Saint-Bruno-de-Montarville"],
}
PRIORITES = {
    "Ouest de la Montérégie": ["securite_alimentaire", "logement_social", "reussite_educative",
                               "transport_collectif"],
    "Est de la Montérégie": ["securite_alimentaire", "insertion_emploi", "transport_collectif",
                             "participation_sociale"],
    "Agglomération de Longueuil": ["logement_social", "participation_sociale", "reussite_educative",
                                   "insertion_emploi"],
}
PRIORITY_VALUES = ["securite_alimentaire", "logement_social", "reussite_educative", "transport_collectif",
                   "insertion_emploi", "participation_sociale", "autre"]
TYPES = ["obnl", "cooperative", "municipalite", "mrc", "conseil_bande", "centre_recherche"]
PART_MAX = 80
DUREE_MIN, DUREE_MAX = 6, 36
THRESHOLD = 6000                      # hundredths of a point
CHECKS = [
    ("type_organisme", "Type d'organisme admissible"),
    ("territoire", "Projet réalisé dans le territoire de la sous-région"),
    ("non_recurrent", "Projet nouveau, hors de la mission de base"),
    ("part_fqis", "Part du FQIS d'au plus 80 % du coût du projet"),
    ("duree", "Durée de 6 à 36 mois"),
    ("echeance", "Projet réalisé pendant l'entente"),
]
CRITERIA = [
    ("priorites", "Adéquation aux priorités régionales", 25),
    ("personnes_rejointes", "Personnes en situation de pauvreté rejointes", 20),
    ("participation", "Participation des personnes en situation de pauvreté", 15),
    ("partenariat", "Partenariat et concertation", 15),
    ("effet_structurant", "Effet structurant et pérennité (autres financements)", 10),
    ("realisme_budget", "Réalisme du budget (coût par personne rejointe)", 10),
    ("innovation", "Innovation", 5),
]
CRIT = [c[0] for c in CRITERIA]
SCHEDULE = [("Signature", 50, 0), ("Mi-parcours", 40, 500), ("Rapport final", 10, 1000)]  # share %, at permille

STATUSES = ["funded", "partially_funded", "waitlisted", "below_threshold", "ineligible", "overridden"]
FUNDED, WAITLISTED, BELOW, INELIGIBLE = 0, 2, 3, 4
STATUS_FR = ["Financé", "Financé en partie", "En attente", "Sous le seuil", "Non admissible",
             "Décision du comité"]

# ---- loading ----------------------------------------------------------------

ALIASES = {
    "no": "id", "numero": "id", "no_demande": "id", "numero_demande": "id", "numero_de_demande": "id",
    "organisme": "organisation", "organization": "organisation", "promoteur": "organisation",
    "sous_region": "subregion", "territoire": "subregion",
    "montant_demande": "requested", "demande": "requested", "amount_requested": "requested",
    "cout_total": "total_cost", "cout_projet": "total_cost", "cout_du_projet": "total_cost",
    "titre": "title", "projet": "title", "nom_projet": "title", "nom_du_projet": "title",
    "type_organisme": "org_type", "type": "org_type", "type_d_organisme": "org_type",
    "debut": "start", "date_debut": "start", "date_de_debut": "start", "start_date": "start",
    "mois": "months", "duree": "months", "duree_mois": "months",
}
ENV_ALIASES = {"annee_financiere": "fiscal_year", "exercice": "fiscal_year", "annee": "fiscal_year",
               "montant": "amount", "enveloppe": "amount"}
SPLIT_ALIASES = {"sous_region": "subregion", "territoire": "subregion", "mrc": "subregion",
                 "montant": "amount", "enveloppe": "amount", "reserve_regionale": "reserve"}
EVAL_ALIASES = {"id": "application", "demande": "application", "no_demande": "application",
                "numero_demande": "application", "numero_de_demande": "application",
                "evaluateur": "evaluator", "evaluatrice": "evaluator", "membre": "evaluator",
                "critere": "criterion", "pointage": "points", "note": "points"}
YES = ["oui", "yes", "true", "vrai", "1"]


def normalise(name):
    """'Montant demandé' -> 'montant_demande', 'Durée (mois)' -> 'duree_mois'."""
    s = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s\-.'’()_\u00a0\u202f]+", "_", s).strip("_")


def read_table(path, aliases, dtypes=None):
    with open(path, "rb") as f:
        head = f.readline().decode("utf-8-sig")
    sep = ";" if head.count(";") > head.count(",") else ","
    names = [aliases.get(n, n) for n in map(normalise, next(csv.reader(io.StringIO(head), delimiter=sep)))]
    dtype = {n: (dtypes or {}).get(n, str) for n in names}
    df = pd.read_csv(path, sep=sep, header=0, names=names, dtype=dtype, keep_default_na=False,
                     na_values={n: [""] for n, t in dtype.items() if t == "float64"}, encoding="utf-8-sig")
    if len(df) and (df[names[0]].astype(str) == "").any():      # rows left empty by Excel
        df = df[(df.astype(str) != "").any(axis=1)].reset_index(drop=True)
    return df


def fail(msg):
    sys.exit(f"peer_pandas: {msg}")


SPACES = str.maketrans("", "", " \t\u00a0\u202f")
DOLLAR = str.maketrans("", "", "$")


def money(col, what):
    """Cents (int64) from '12345.67', '12 345,67 $', '$12,345.67', '12345'."""
    s = col.astype(str)
    x = pd.to_numeric(s, errors="coerce")              # machine form: the fast path
    odd = x.isna() & (s != "")
    if odd.any():
        t = s[odd].str.translate(SPACES)
        english = t.str.startswith("$")
        t = t.str.translate(DOLLAR)
        comma, dot = t.str.rfind(","), t.str.rfind(".")
        decimal_comma = (comma > dot) & ~(english & (dot < 0) & (t.str.count(",") == 1)) \
            & ~((dot < 0) & (t.str.count(",") > 1))
        t = t.where(~decimal_comma, t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
        t = t.where(decimal_comma, t.str.replace(",", "", regex=False))
        t = t.where(t.str.count(r"\.") <= 1, t.str.replace(".", "", regex=False))
        x[odd] = pd.to_numeric(t, errors="coerce")
    if (x.isna() & (s != "")).any():
        bad = s[x.isna() & (s != "")]
        fail(f"{what}: line {bad.index[0] + 2}: {bad.iloc[0]!r} is not an amount")
    return (x * 100).round()                            # float cents, NaN where empty


def load(src):
    apps = read_table(f"{src}/applications.csv", ALIASES, {
        "subregion": "category", "mrc": "category", "org_type": "category", "priorite": "category",
        "months": "float64", "personnes_rejointes": "float64", "partenaires": "float64",
        "participation": "category", "innovation": "category", "activite_recurrente": "category"})
    for c in ("id", "organisation", "subregion", "requested", "total_cost"):
        if c not in apps:
            fail(f"applications.csv: missing required column {c!r}")
    for c in ("title", "org_type", "start", "months", "mrc", "priorite", "personnes_rejointes",
              "partenaires", "participation", "innovation", "activite_recurrente", "autres_financements"):
        if c not in apps:
            apps[c] = np.nan if c in ("months", "personnes_rejointes", "partenaires") else ""
    env = read_table(f"{src}/envelopes.csv", ENV_ALIASES)
    split = read_table(f"{src}/split.csv", SPLIT_ALIASES)
    evals = None
    if os.path.exists(f"{src}/evaluations.csv"):
        evals = read_table(f"{src}/evaluations.csv", EVAL_ALIASES)
    for extra in ("overrides.csv", "commitments.csv"):
        if os.path.exists(f"{src}/{extra}"):
            fail(f"{extra}: not supported by this script")

    # the money, in cents
    apps["requested_c"] = money(apps["requested"], "requested").astype("int64")
    apps["total_cost_c"] = money(apps["total_cost"], "total_cost").astype("int64")
    apps["autres_c"] = money(apps["autres_financements"], "autres_financements")     # NaN: empty
    env["fy"] = env["fiscal_year"].str.strip().str[:4].astype(int)
    env = env.sort_values("fy").reset_index(drop=True)
    env["amount_c"] = money(env["amount"], "envelopes.csv amount").astype("int64")
    split["amount_c"] = money(split["amount"], "split.csv amount") if "amount" in split else np.nan
    split["is_reserve"] = split.get("reserve", pd.Series("", index=split.index)).str.strip().str.lower().isin(YES)

    # the contract's basic refusals
    if apps["id"].duplicated().any():
        fail(f"applications.csv: id {apps['id'][apps['id'].duplicated()].iloc[0]!r} appears twice")
    subs = list(split["subregion"])
    unknown = set(apps["subregion"].unique()) - set(split["subregion"][~split["is_reserve"]])
    if unknown:
        fail(f"applications.csv: subregion {sorted(unknown)[0]!r} is not a sub-region of split.csv")
    if (apps["requested_c"] <= 0).any() or (apps["total_cost_c"] < apps["requested_c"]).any():
        fail("applications.csv: an amount requested is not positive or above the total cost")
    apps["sub"] = apps["subregion"].cat.set_categories(subs).cat.codes.astype(np.int64)
    start = pd.to_datetime(apps["start"], format="%Y-%m-%d", errors="coerce")
    if (start.isna() & (apps["start"].astype(str) != "")).any():
        fail("applications.csv: a start date is not YYYY-MM-DD")
    apps["start_d"] = start
    m = apps["months"]
    if ((m.notna()) & ((m < 1) | (m > 1200) | (m != m.round()))).any():
        fail("applications.csv: months must be a whole number from 1 to 1200")
    for c in ("participation", "innovation", "activite_recurrente"):
        col = apps[c].astype("category")
        apps[c] = col.isin([v for v in col.cat.categories if str(v).strip().lower() in YES]).to_numpy()
    if evals is not None:
        evals["points_c"] = money(evals["points"], "evaluations.csv points")
    return apps, env, split, evals


# ---- rules: checks, points, plan --------------------------------------------

def ymd(dates):
    """Years, months, days (int64 arrays) of a datetime64[D] array."""
    mo = dates.astype("datetime64[M]")
    ye = dates.astype("datetime64[Y]")
    return (ye.astype(np.int64) + 1970, (mo - ye.astype("datetime64[M]")).astype(np.int64) + 1,
            (dates - mo.astype("datetime64[D]")).astype(np.int64) + 1)


def add_months(y, m, d, k):
    """start + k months, the day clamped to the month's end (datetime64[D])."""
    months = ((y - 1970) * 12 + (m - 1) + k).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    last_day = ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    return first + (np.minimum(d, last_day) - 1)


def llround(x):
    """C's llround for x >= 0: halves away from zero, exact."""
    f = np.floor(x)
    return (f + (x - f >= 0.5)).astype(np.int64)


def dollars_fr(cents):
    """12 345,67 $ from cents, as the rules' dollars() writes it."""
    out = []
    for c in cents:
        units = f"{c // 100:,}".replace(",", " ")
        out.append(f"{units},{c % 100:02d} $")
    return out


def evaluate(apps, env, evals):
    n = len(apps)
    first_year, n_years = int(env["fy"].iloc[0]), len(env)
    prog_start = np.datetime64(f"{first_year}-04-01")
    prog_end = np.datetime64(f"{first_year + n_years}-03-31")
    req = apps["requested_c"].to_numpy()
    cost = apps["total_cost_c"].to_numpy()
    org_type = apps["org_type"].astype(str).to_numpy(dtype=object)
    sub_name = apps["subregion"].astype(str).to_numpy(dtype=object)
    mrc = apps["mrc"]
    has_start = apps["start_d"].notna().to_numpy()
    months = apps["months"].fillna(0).to_numpy().astype(np.int64)
    has_months = months > 0
    start = apps["start_d"].to_numpy().astype("datetime64[D]")
    start = np.where(has_start, start, prog_start)           # no start: planned from the program's first day
    y, m, d = ymd(start)
    end = np.where(has_months, add_months(y, m, d, months) - 1, start)
    fails = {}

    # type_organisme
    bad = ~apps["org_type"].isin(TYPES).to_numpy()
    fails["type_organisme"] = (bad, np.where(org_type[bad] == "", "type d'organisme non précisé",
                                             "type d'organisme « " + org_type[bad] + " » non admissible"))
    # territoire
    pairs = pd.MultiIndex.from_tuples([(s, x) for s, l in TERRITOIRES.items() for x in l])
    inside = pd.MultiIndex.from_arrays([apps["subregion"].astype(str), mrc.astype(str)]).isin(pairs)
    bad = ~inside
    known_sub = apps["subregion"].isin(list(TERRITOIRES)).to_numpy()[bad]
    no_mrc = (mrc.astype(str) == "").to_numpy()[bad]
    fails["territoire"] = (bad, np.where(
        ~known_sub, "« " + sub_name[bad] + " » n'est pas une sous-région qui reçoit des projets",
        np.where(no_mrc, "MRC ou ville du projet non précisée",
                 "« " + mrc.astype(str).to_numpy(dtype=object)[bad] + " » est hors du territoire « "
                 + sub_name[bad] + " »")))
    # non_recurrent
    bad = apps["activite_recurrente"].to_numpy(dtype=bool)
    fails["non_recurrent"] = (bad, np.full(bad.sum(), "activité récurrente ou mission de base de l'organisme",
                                           dtype=object))
    # part_fqis, on whole cents
    bad = req * 100 > cost * PART_MAX
    share = req[bad] / cost[bad]
    fails["part_fqis"] = (bad, np.array(
        [f"part FQIS de {p:.1f} % ({a} sur {b}) > {PART_MAX} %".replace(".", ",", 1)
         for p, a, b in zip(share * 100, dollars_fr(req[bad]), dollars_fr(cost[bad]))], dtype=object))
    # duree
    bad = ~has_months | (months < DUREE_MIN) | (months > DUREE_MAX)
    mb = months[bad]
    fails["duree"] = (bad, np.where(mb == 0, "durée du projet non précisée",
                                    "durée de " + mb.astype(str).astype(object) + f" mois, hors de {DUREE_MIN} à "
                                    f"{DUREE_MAX} mois"))
    # echeance: start >= program start, last day <= program end
    no_dates = ~has_start | ~has_months
    early = ~no_dates & (start < prog_start)
    late = ~no_dates & ~early & (end > prog_end)
    bad = no_dates | early | late
    s_txt = np.datetime_as_string(start[bad]).astype(object)
    e_txt = np.datetime_as_string(end[bad]).astype(object)
    fails["echeance"] = (bad, np.where(
        no_dates[bad], "date de début ou durée du projet non précisée",
        np.where(early[bad], "début le " + s_txt + f", avant le début de l'entente ({prog_start})",
                 "fin prévue le " + e_txt + f", après la fin de l'entente ({prog_end})")))
    eligible = ~np.logical_or.reduce([f[0] for f in fails.values()])

    # the plan: 50/40/10 at 0, round(0.5 x months), months; never after the last day
    dues = np.empty((n, len(SCHEDULE)), dtype="datetime64[D]")
    for k, (_, _, at) in enumerate(SCHEDULE):
        dues[:, k] = np.minimum(add_months(y, m, d, (at * months + 500) // 1000), end)
    dy, dm, _ = ymd(dues)
    years = (dy - (dm < 4)) - first_year                        # fiscal-year index
    outside = (years < 0) | (years >= n_years)
    plan_inside = ~outside.any(axis=1)

    # points, in hundredths, as the Lua rules compute them in doubles
    pts = np.zeros((n, len(CRITERIA)), dtype=np.int64)
    in_plan = pd.MultiIndex.from_arrays([apps["subregion"].astype(str), apps["priorite"].astype(str)]).isin(
        pd.MultiIndex.from_tuples([(s, p) for s, l in PRIORITES.items() for p in l]))
    prio = apps["priorite"].astype(str).to_numpy(dtype=object)
    raw = {}
    raw["priorites"] = np.where(in_plan, 25.0, np.where((prio != "") & (prio != "autre"), 12.0, 5.0))
    pers = apps["personnes_rejointes"].to_numpy()
    raw["personnes_rejointes"] = np.select([pers >= 400, pers >= 200, pers >= 100, pers >= 50, pers >= 20],
                                           [20.0, 16.0, 12.0, 8.0, 4.0], 0.0)
    raw["participation"] = np.where(apps["participation"].to_numpy(dtype=bool), 15.0, 0.0)
    part = apps["partenaires"].to_numpy()
    partner = np.where(np.isnan(part), 0.0, np.clip((part - 0) / 8, 0, 1) * 15)
    if evals is not None:
        g = evals[evals["criterion"].str.strip() == "partenariat"]
        g = g.groupby("application")["points_c"].agg(["sum", "count"])
        mean = apps["id"].map(g["sum"] / 100.0 / g["count"]).to_numpy()
        partner = np.where(np.isnan(mean), partner, (1 - 0.5) * partner + 0.5 * mean)
    raw["partenariat"] = partner
    autres = apps["autres_c"].fillna(0).to_numpy() / 100.0
    raw["effet_structurant"] = np.clip((autres / (req / 100.0) - 0) / (0.5 - 0), 0, 1) * 10
    per_person = (cost / 100.0) / np.where(pers > 0, pers, 1)
    raw["realisme_budget"] = np.where(
        np.isnan(pers) | (pers <= 0), 0.0,
        np.select([per_person <= 750, per_person <= 1500, per_person <= 3000, per_person <= 6000],
                  [10.0, 8.0, 5.0, 2.0], 0.0))
    raw["innovation"] = np.where(apps["innovation"].to_numpy(dtype=bool), 5.0, 0.0)
    for k, (cid, _, mx) in enumerate(CRITERIA):
        pts[:, k] = np.minimum(llround(np.clip(raw[cid], 0, mx) * 100), mx * 100)
    score = pts.sum(axis=1)

    # the instalments of a grant of the whole request: largest remainder,
    # ties to the earlier instalment (shares in millionths)
    w = np.array([s * 10000 for _, s, _ in SCHEDULE], dtype=np.int64)
    prod = req[:, None] * w[None, :]
    amounts = prod // 1_000_000
    rem = prod % 1_000_000
    left = req - amounts.sum(axis=1)
    order = np.argsort(-rem, axis=1, kind="stable")
    bump = np.arange(len(SCHEDULE))[None, :] < left[:, None]
    np.add.at(amounts, (np.repeat(np.arange(n), len(SCHEDULE)), order.ravel()), bump.ravel().astype(np.int64))

    apps = apps.assign(eligible=eligible, plan_inside=plan_inside, score=score)
    for k, cid in enumerate(CRIT):
        apps["p_" + cid] = pts[:, k]
    plan = {"dues": dues, "years": years, "outside": outside, "amounts": amounts}
    ctx = {"first_year": first_year, "n_years": n_years, "prog_start": prog_start, "prog_end": prog_end}
    return apps, fails, plan, ctx


# ---- money division and allocation ------------------------------------------

def apportion(total, weights):
    """Largest remainder, ties to the earlier part (alliance's apportion)."""
    s = sum(weights)
    q = [total * w // s for w in weights]
    rem = [total * w % s for w in weights]
    for i in sorted(range(len(weights)), key=lambda i: (-rem[i], i))[:total - sum(q)]:
        q[i] += 1
    return q


def split_cells(env, split):
    """Sub-region x fiscal-year cells (cents): each row's total over the
    years in proportion to the cumulative envelope, never taking back a cent."""
    envelope = int(env["amount_c"].sum())
    total = [0 if pd.isna(a) else int(a) for a in split["amount_c"]]
    reserve = [i for i, r in enumerate(split["is_reserve"]) if r]
    names = list(split["subregion"])
    is_res = list(split["is_reserve"])
    if sum(total) > envelope:
        fail("split.csv: amounts above the envelope")
    if reserve:
        total[reserve[0]] += envelope - sum(total)
    elif envelope > sum(total):
        total.append(envelope - sum(total))
        names.append("Réserve régionale (non répartie)")
        is_res.append(True)
    cells = np.zeros((len(total), len(env)), dtype=np.int64)
    prev, cum = [0] * len(total), 0
    for y, amount in enumerate(env["amount_c"]):
        cum += int(amount)
        if cum == 0:
            continue
        cur = apportion(cum, total)
        owed = 0
        for s in range(len(total)):
            if cur[s] < prev[s]:
                owed, cur[s] = owed + prev[s] - cur[s], prev[s]
        while owed > 0:                       # the Alabama paradox: gainers give back
            best = max((s for s in range(len(total)) if cur[s] > prev[s]),
                       key=lambda s: (cur[s] * envelope - cum * total[s], s))
            cur[best] -= 1
            owed -= 1
        cells[:, y] = np.subtract(cur, prev)
        prev = cur
    return names, is_res, total, cells


def allocate(apps, plan, ctx, cells):
    n_years = ctx["n_years"]
    n = len(apps)
    cand = apps["eligible"].to_numpy() & apps["plan_inside"].to_numpy() & (apps["score"].to_numpy() >= THRESHOLD)
    ranked = apps.loc[cand, ["sub", "score", "requested_c", "id"]].sort_values(
        ["sub", "score", "requested_c", "id"], ascending=[True, False, True, True])
    idx = ranked.index.to_numpy()
    rank = np.zeros(n, dtype=np.int64)
    rank[idx] = ranked.groupby("sub").cumcount().to_numpy() + 1
    # what each candidate needs in each fiscal year
    need = np.zeros((len(idx), n_years), dtype=np.int64)
    rows = np.arange(len(idx))
    for k in range(plan["amounts"].shape[1]):
        np.add.at(need, (rows, plan["years"][idx, k]), plan["amounts"][idx, k])
    left = cells.tolist()
    granted = np.zeros(n, dtype=np.int64)
    short = np.full(n, -1, dtype=np.int64)
    seen = []
    status = np.where(apps["eligible"].to_numpy() & apps["plan_inside"].to_numpy(), BELOW, INELIGIBLE)
    status[idx] = WAITLISTED
    years = range(n_years)
    for a, s, req, nd in zip(idx.tolist(), ranked["sub"].tolist(), ranked["requested_c"].tolist(), need.tolist()):
        cell = left[s]
        seen.append(tuple(cell))
        for y in years:
            if nd[y] > cell[y]:
                short[a] = y
                break
        else:
            for y in years:
                cell[y] -= nd[y]
            granted[a] = req
            status[a] = FUNDED
    envelope_left = np.full((n, n_years), -1, dtype=np.int64)
    if len(idx):
        envelope_left[idx] = np.array(seen, dtype=np.int64)
    return apps.assign(rank=rank, granted_c=granted, status=status, short_year=short), \
        envelope_left, np.array(left, dtype=np.int64)


# ---- texts --------------------------------------------------------------------

def join_parts(parts, n, sep):
    """Element-wise join of the non-empty (mask, texts) parts with sep."""
    out = np.full(n, "", dtype=object)
    for mask, texts in parts:
        cur = out[mask]
        out[mask] = np.where(cur == "", texts, cur + sep + texts)
    return out


def points_text(h):
    """Hundredths (or cents) as alliance writes them: 7250 -> '72.50'. A
    comprehension over the column: pandas' own str methods loop in Python too,
    and slower; to_csv(float_format=) slower still."""
    return np.array([f"{v // 100}.{v % 100:02d}" for v in np.asarray(h, dtype=np.int64).tolist()], dtype=object)


def reasons_of(apps, fails, plan, ctx):
    n = len(apps)
    failures = join_parts([(mask, cid + ": " + texts) for cid, (mask, texts) in fails.items()], n, "; ")
    # the first instalment outside the program
    outside = plan["outside"]
    bad = outside.any(axis=1)
    k = outside[bad].argmax(axis=1)
    due = plan["dues"][bad, k]
    labels = np.array([s[0] for s in SCHEDULE], dtype=object)
    plan_txt = ("versement " + (k + 1).astype(str).astype(object) + " (" + labels[k] + ") dû le "
                + np.datetime_as_string(due).astype(object)
                + f", hors du programme ({ctx['prog_start']} au {ctx['prog_end']})")
    reasons = join_parts([(failures != "", failures[failures != ""]), (bad, plan_txt)], n, "; ")
    status = apps["status"].to_numpy()
    below = status == BELOW
    reasons[below] = "pointage " + points_text(apps["score"].to_numpy()[below]) + \
        f" sous le seuil de {THRESHOLD // 100}.{THRESHOLD % 100:02d}"
    wait = status == WAITLISTED
    fy = ctx["first_year"] + apps["short_year"].to_numpy()[wait]
    reasons[wait] = "enveloppe " + fy.astype(str).astype(object) + "-" + (fy + 1).astype(str).astype(object) \
        + " insuffisante"
    # the Non retenues sheet: one line per failed check, "label : reason"
    labels = dict(CHECKS)
    checks_txt = join_parts([(mask, labels[cid] + " : " + texts) for cid, (mask, texts) in fails.items()], n, "\n")
    return reasons, checks_txt


def safe_text(s):
    """Text from the inputs, never a formula in a spreadsheet (alliance's rule)."""
    s = pd.Series(s, copy=False)
    risky = s.str.startswith(("=", "+", "-", "@", "\t", "\r"))
    return s.where(~risky, "'" + s) if risky.any() else s


def fiscal_year_text(fy):
    return [f"{y}-{y + 1}" for y in fy]


# ---- outputs ------------------------------------------------------------------

def output_order(apps):
    status = apps["status"].to_numpy()
    rank = apps["rank"].to_numpy()
    group = np.where(rank > 0, 0, np.where(status == BELOW, 1, 2))
    key = np.where(rank > 0, rank, np.where(status == BELOW, -apps["score"].to_numpy(), 0))
    return pd.DataFrame({"sub": apps["sub"], "g": group, "k": key, "id": apps["id"]}).sort_values(
        ["sub", "g", "k", "id"]).index.to_numpy()


def write_csvs(out, apps, order, reasons, inst, summary, names):
    a = apps.iloc[order]
    rank = a["rank"].to_numpy()
    dec = pd.DataFrame({
        "rank": np.where(rank > 0, rank.astype(str).astype(object), ""),
        "id": safe_text(a["id"]).to_numpy(),
        "organisation": safe_text(a["organisation"]).to_numpy(),
        "subregion": safe_text(a["subregion"].astype(str)).to_numpy(),
        "status": np.array(STATUSES, dtype=object)[a["status"].to_numpy()],
        "score": points_text(a["score"])})
    for cid in CRIT:
        dec[cid] = points_text(a["p_" + cid])
    dec["requested"] = points_text(a["requested_c"])
    dec["granted"] = points_text(a["granted_c"])
    dec["reasons"] = reasons[order]
    dec["override_justification"] = ""
    dec.to_csv(f"{out}/decisions.csv", index=False)
    disb = pd.DataFrame({
        "id": safe_text(inst["id"]).to_numpy(), "subregion": safe_text(inst["subregion"]).to_numpy(),
        "envelope": safe_text(inst["subregion"]).to_numpy(), "fiscal_year": inst["fiscal_year"].to_numpy(),
        "instalment": inst["number"].to_numpy(), "label": inst["label"].to_numpy(),
        "due_date": inst["due_txt"].to_numpy(), "amount": points_text(inst["amount"])})
    disb.to_csv(f"{out}/disbursements.csv", index=False)
    summary.to_csv(f"{out}/summary.csv", index=False)


def build_schedule(apps, plan, ctx, names):
    """Every instalment of every grant, in application then instalment order."""
    granted = np.flatnonzero(apps["granted_c"].to_numpy() > 0)
    k = len(SCHEDULE)
    amt = plan["amounts"][granted]
    app = np.repeat(granted, k)
    num = np.tile(np.arange(1, k + 1), len(granted))
    amount = amt.ravel()
    keep = amount > 0
    fy = ctx["first_year"] + plan["years"][granted].ravel()
    due = plan["dues"][granted].ravel()
    sub = apps["sub"].to_numpy()[app]
    inst = pd.DataFrame({"app": app, "number": num, "amount": amount, "fy": fy, "due": due, "sub": sub})[keep]
    inst["id"] = apps["id"].to_numpy()[inst["app"]]
    inst["subregion"] = np.array(names, dtype=object)[inst["sub"]]
    inst["label"] = np.array([s[0] for s in SCHEDULE], dtype=object)[inst["number"] - 1]
    inst["fiscal_year"] = inst["fy"].astype(str) + "-" + (inst["fy"] + 1).astype(str)
    inst["due_txt"] = np.datetime_as_string(inst["due"].to_numpy().astype("datetime64[D]"))
    return inst.reset_index(drop=True)


def build_summary(apps, names, cells, remaining, ctx):
    n_sub, n_years = cells.shape
    fys = fiscal_year_text(range(ctx["first_year"], ctx["first_year"] + n_years))
    granted = cells - remaining
    counts = np.zeros((n_sub, len(STATUSES)), dtype=np.int64)
    np.add.at(counts, (apps["sub"].to_numpy(), apps["status"].to_numpy()), 1)
    rows = []
    money_cols = ["envelope", "committed", "carried_in", "granted", "unspent", "carried_out", "to_reserve"]

    def row(sub, fy, env, gr, unspent, cnt):
        return [sub, fy] + [env, 0, 0, gr, unspent, 0, unspent] + (list(cnt) if cnt is not None else [None] * 6)

    for s in range(n_sub):
        for y in range(n_years):
            rows.append(row(names[s], fys[y], cells[s, y], granted[s, y], remaining[s, y], None))
        rows.append(row(names[s], "total", cells[s].sum(), granted[s].sum(), remaining[s].sum(), counts[s]))
    for y in range(n_years):
        rows.append(row("total", fys[y], cells[:, y].sum(), granted[:, y].sum(), remaining[:, y].sum(), None))
    rows.append(row("total", "total", cells.sum(), granted.sum(), remaining.sum(), counts.sum(axis=0)))
    df = pd.DataFrame(rows, columns=["subregion", "fiscal_year"] + money_cols + STATUSES)
    for c in money_cols:
        df[c] = points_text(df[c].to_numpy())
    for c in STATUSES:
        df[c] = df[c].astype("Int64")
    df["subregion"] = safe_text(df["subregion"])
    return df, counts


def write_store(path, run, files, apps, fails, reasons, envelope_left, inst, names, is_res, totals, cells,
                remaining, ctx, extra_cols):
    if os.path.exists(path):
        os.remove(path)
    con = sqlite3.connect(path, isolation_level=None)      # BEGIN and COMMIT by hand: one transaction
    con.execute("BEGIN")
    n_years, fy0 = ctx["n_years"], ctx["first_year"]
    left_cols = [f"left_{fy0 + y}" for y in range(n_years)]
    extra_sql = "".join(f", {c} {t}" for c, t, _ in extra_cols)
    ddl = f"""
        CREATE TABLE run (id INTEGER PRIMARY KEY, started_at TEXT, finished_at TEXT, program TEXT,
            inputs_dir TEXT, rules TEXT, first_year INTEGER, n_years INTEGER, threshold INTEGER,
            on_overflow TEXT, leftover TEXT, n_apps INTEGER, n_eligible INTEGER, n_ranked INTEGER,
            n_funded INTEGER, n_partial INTEGER, n_waitlisted INTEGER, n_below INTEGER,
            n_ineligible INTEGER, n_overridden INTEGER, granted INTEGER, envelope INTEGER);
        CREATE TABLE run_file (role TEXT, name TEXT, path TEXT, sha256 TEXT, PRIMARY KEY (role, name));
        CREATE TABLE rule_check (idx INTEGER PRIMARY KEY, id TEXT, label TEXT);
        CREATE TABLE rule_criterion (idx INTEGER PRIMARY KEY, id TEXT, label TEXT, max INTEGER);
        CREATE TABLE subregion (sub INTEGER PRIMARY KEY, name TEXT, is_reserve INTEGER, total INTEGER);
        CREATE TABLE envelope_cell (sub INTEGER, fiscal_year INTEGER, envelope INTEGER, carried_in INTEGER,
            granted INTEGER, remaining INTEGER, carried_out INTEGER, to_reserve INTEGER, committed INTEGER,
            PRIMARY KEY (sub, fiscal_year));
        CREATE TABLE application (app INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, organisation TEXT,
            sub INTEGER, title TEXT, org_type TEXT, requested INTEGER, total_cost INTEGER, start TEXT,
            months INTEGER, line INTEGER{extra_sql});
        CREATE TABLE decision (app INTEGER PRIMARY KEY REFERENCES application, status TEXT, rank INTEGER,
            eligible INTEGER, score INTEGER, {", ".join(f"{c} INTEGER" for c in CRIT)}, granted INTEGER,
            source INTEGER, short_year INTEGER, reasons TEXT, {", ".join(f"{c} INTEGER" for c in left_cols)});
        CREATE TABLE check_failure (app INTEGER REFERENCES application, check_idx INTEGER, reason TEXT,
            PRIMARY KEY (app, check_idx));
        CREATE TABLE instalment (app INTEGER REFERENCES application, number INTEGER, label TEXT, due TEXT,
            fiscal_year INTEGER, source INTEGER, amount INTEGER, PRIMARY KEY (app, number))
    """
    for statement in ddl.split(";"):
        con.execute(statement)
    n = len(apps)
    status = apps["status"].to_numpy()
    rank = apps["rank"].to_numpy()
    none_if = lambda mask, values: np.where(mask, None, np.asarray(values, dtype=object))  # noqa: E731
    con.execute(f"INSERT INTO run VALUES ({', '.join('?' * 22)})", run)
    con.executemany("INSERT INTO run_file VALUES (?, ?, ?, ?)", files)
    con.executemany("INSERT INTO rule_check VALUES (?, ?, ?)", [(i, c, l) for i, (c, l) in enumerate(CHECKS)])
    con.executemany("INSERT INTO rule_criterion VALUES (?, ?, ?, ?)",
                    [(i, c, l, m * 100) for i, (c, l, m) in enumerate(CRITERIA)])
    con.executemany("INSERT INTO subregion VALUES (?, ?, ?, ?)",
                    [(s, names[s], int(is_res[s]), int(totals[s])) for s in range(len(names))])
    con.executemany("INSERT INTO envelope_cell VALUES (?, ?, ?, 0, ?, ?, 0, ?, 0)",
                    [(s, fy0 + y, int(cells[s, y]), int(cells[s, y] - remaining[s, y]),
                      int(remaining[s, y]), int(remaining[s, y]))
                     for s in range(cells.shape[0]) for y in range(n_years)])
    start = apps["start"].astype(str)
    months = apps["months"]
    cols = [np.arange(n), apps["id"], apps["organisation"], apps["sub"], apps["title"].astype(str),
            apps["org_type"].astype(str), apps["requested_c"], apps["total_cost_c"],
            none_if(start.to_numpy() == "", start), none_if(months.isna().to_numpy(), months.fillna(0).astype(int)),
            np.arange(2, n + 2)] + [values for _, _, values in extra_cols]
    con.executemany(f"INSERT INTO application VALUES ({', '.join('?' * len(cols))})",
                    zip(*[np.asarray(c).tolist() for c in cols]))
    cols = [np.arange(n), np.array(STATUSES, dtype=object)[status], none_if(rank == 0, rank),
            apps["eligible"].astype(int), apps["score"]] + [apps["p_" + c] for c in CRIT] + \
           [apps["granted_c"], apps["sub"], none_if(apps["short_year"].to_numpy() < 0,
                                                    fy0 + apps["short_year"].to_numpy()), reasons] + \
           [none_if(envelope_left[:, y] < 0, envelope_left[:, y]) for y in range(n_years)]
    con.executemany(f"INSERT INTO decision VALUES ({', '.join('?' * len(cols))})",
                    zip(*[np.asarray(c).tolist() for c in cols]))
    failed = [(np.flatnonzero(mask), np.full(mask.sum(), i), texts)
              for i, (mask, texts) in enumerate(fails.values())]
    con.executemany("INSERT INTO check_failure VALUES (?, ?, ?)",
                    zip(np.concatenate([f[0] for f in failed]).tolist(),
                        np.concatenate([f[1] for f in failed]).tolist(),
                        np.concatenate([f[2] for f in failed]).tolist()))
    con.executemany("INSERT INTO instalment VALUES (?, ?, ?, ?, ?, ?, ?)",
                    zip(inst["app"].tolist(), inst["number"].tolist(), inst["label"].tolist(),
                        inst["due_txt"].tolist(), inst["fy"].tolist(), inst["sub"].tolist(),
                        inst["amount"].tolist()))
    con.execute("COMMIT")
    con.close()


# ---- the workbook -------------------------------------------------------------

MONEY_FMT = '[$-C0C]#,##0.00\\ "$"'
POINTS_FMT = "[$-C0C]0.00"
FILLS = {"Financé": "#C6EFCE", "Financé en partie": "#E2F0D9", "En attente": "#FFEB9C",
         "Décision du comité": "#DDEBF7", "Sous le seuil": "#FCE4D6", "Non admissible": "#FFC7CE"}


def write_report(path, apps, order, reasons, checks_txt, inst, names, is_res, totals, cells, remaining, counts,
                 ctx, run_id, run_date, files):
    n_sub, n_years = cells.shape
    fys = fiscal_year_text(range(ctx["first_year"], ctx["first_year"] + n_years))
    # text stays text (an organisation called "=1+1" is not a formula), as in alliance's workbook
    with pd.ExcelWriter(path, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        wb = xw.book
        f_title = wb.add_format({"bold": True, "font_size": 14})
        f_head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                "valign": "top"})
        f_money = wb.add_format({"num_format": MONEY_FMT})
        f_points = wb.add_format({"num_format": POINTS_FMT})
        f_int = wb.add_format({"num_format": "0"})
        f_when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm", "align": "left"})
        f_date = wb.add_format({"num_format": "yyyy-mm-dd"})
        f_tot = wb.add_format({"bold": True, "top": 1})
        f_tot_money = wb.add_format({"bold": True, "top": 1, "num_format": MONEY_FMT})
        f_tot_points = wb.add_format({"bold": True, "top": 1, "num_format": POINTS_FMT})
        f_fill = {k: wb.add_format({"bg_color": v}) for k, v in FILLS.items()}

        def sheet(name, df, title, widths, formats=None, status_col=None, head_height=30):
            ws = wb.add_worksheet(name)
            ws.write(0, 0, title, f_title)
            ws.write_row(1, 0, list(df.columns), f_head)
            ws.set_row(1, head_height)          # wrapped headers
            put_rows(ws, 2, df)
            for col, wid in enumerate(widths):
                ws.set_column(col, col, wid, (formats or {}).get(col))
            ws.freeze_panes(2, 0)
            last = max(len(df) + 1, 2)
            ws.autofilter(1, 0, last, len(df.columns) - 1)
            if status_col is not None and len(df):
                letter = xlsxwriter.utility.xl_col_to_name(status_col)
                for label, fmt in f_fill.items():
                    ws.conditional_format(2, 0, len(df) + 1, len(df.columns) - 1, {
                        "type": "formula", "criteria": f'=${letter}3="{label}"', "format": fmt})
            page(ws)
            return ws

        def page(ws, repeat=True):
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
            if repeat:
                ws.repeat_rows(0, 1)
            ws.set_header(f"&C{PROGRAM.replace('&', '&&')}")
            ws.set_footer("&CPage &P de &N")

        # Sommaire
        ws = wb.add_worksheet("Sommaire")
        ws.set_column(0, 0, 45)
        ws.set_column(1, n_years + 2, 19)
        ws.write(0, 0, "Rapport au comité de sélection", f_title)
        ws.write_row(1, 0, ["Programme", PROGRAM])
        ws.write_row(2, 0, ["Identifiant du traitement", str(run_id)])
        ws.write(3, 0, "Date du traitement (UTC)")
        ws.write_datetime(3, 1, run_date, f_when)
        ws.write(4, 0, "Demandes reçues")
        ws.write_number(4, 1, len(apps), f_int)
        r = 6
        ws.write(r, 0, "Enveloppe par sous-région et exercice financier", f_title)
        ws.write_row(r + 1, 0, ["Sous-région"] + fys + ["Total"], f_head)
        top = r + 2
        for s in range(n_sub):
            ws.write(top + s, 0, names[s])
            for y in range(n_years):
                ws.write_number(top + s, 1 + y, cells[s, y] / 100, f_money)
            ws.write_formula(top + s, 1 + n_years, f"=SUM(B{top + s + 1}:{xl(n_years)}{top + s + 1})", f_money,
                             cells[s].sum() / 100)
        tr = top + n_sub
        ws.write(tr, 0, "Total", f_tot)
        for y in range(n_years + 1):
            c = xl(1 + y)
            ws.write_formula(tr, 1 + y, f"=SUM({c}{top + 1}:{c}{tr})", f_tot_money,
                             (cells[:, y].sum() if y < n_years else cells.sum()) / 100)
        r = tr + 2
        ws.write(r, 0, "Demandé, accordé et non dépensé par sous-région", f_title)
        ws.write_row(r + 1, 0, ["Sous-région", "Enveloppe", "Montant demandé", "Montant accordé", "Non dépensé"],
                     f_head)
        top = r + 2
        requested = np.bincount(apps["sub"].to_numpy(), apps["requested_c"].to_numpy(), minlength=n_sub)
        granted = cells - remaining
        for s in range(n_sub):
            ws.write(top + s, 0, names[s])
            ws.write_number(top + s, 1, cells[s].sum() / 100, f_money)
            ws.write_number(top + s, 2, requested[s] / 100, f_money)
            ws.write_number(top + s, 3, granted[s].sum() / 100, f_money)
            ws.write_formula(top + s, 4, f"=B{top + s + 1}-D{top + s + 1}", f_money, remaining[s].sum() / 100)
        tr = top + n_sub
        ws.write(tr, 0, "Total", f_tot)
        for i, v in enumerate([cells.sum(), requested.sum(), granted.sum(), remaining.sum()]):
            c = xl(1 + i)
            ws.write_formula(tr, 1 + i, f"=SUM({c}{top + 1}:{c}{tr})", f_tot_money, v / 100)
        r = tr + 2
        ws.write(r, 0, "Par exercice financier", f_title)
        ws.write_row(r + 1, 0, ["Exercice financier", "Enveloppe", "Montant accordé", "Solde de l'exercice"], f_head)
        top = r + 2
        for y in range(n_years):
            ws.write(top + y, 0, fys[y])
            ws.write_number(top + y, 1, cells[:, y].sum() / 100, f_money)
            ws.write_number(top + y, 2, granted[:, y].sum() / 100, f_money)
            ws.write_formula(top + y, 3, f"=B{top + y + 1}-C{top + y + 1}", f_money, remaining[:, y].sum() / 100)
        tr = top + n_years
        ws.write(tr, 0, "Total", f_tot)
        ws.write_formula(tr, 1, f"=SUM(B{top + 1}:B{tr})", f_tot_money, cells.sum() / 100)
        ws.write_formula(tr, 2, f"=SUM(C{top + 1}:C{tr})", f_tot_money, granted.sum() / 100)
        ws.write_formula(tr, 3, f"=B{tr + 1}-C{tr + 1}", f_tot_money, remaining.sum() / 100)
        r = tr + 2
        ws.write(r, 0, "Décisions par statut", f_title)
        ws.write_row(r + 1, 0, ["Sous-région"] + STATUS_FR + ["Total"], f_head)
        top = r + 2
        subs = [s for s in range(n_sub) if not is_res[s]]
        for i, s in enumerate(subs):
            ws.write(top + i, 0, names[s])
            ws.write_row(top + i, 1, counts[s].tolist(), f_int)
            ws.write_formula(top + i, 1 + len(STATUSES), f"=SUM(B{top + i + 1}:{xl(len(STATUSES))}{top + i + 1})",
                             f_int, int(counts[s].sum()))
        tr = top + len(subs)
        ws.write(tr, 0, "Total", f_tot)
        for k in range(len(STATUSES) + 1):
            c = xl(1 + k)
            ws.write_formula(tr, 1 + k, f"=SUM({c}{top + 1}:{c}{tr})", f_tot,
                             int(counts[subs, k].sum() if k < len(STATUSES) else counts[subs].sum()))
        page(ws, repeat=False)

        # one ranking sheet per sub-region: the applications still in the running
        a = apps.iloc[order]
        status_fr = np.array(STATUS_FR, dtype=object)
        ranked = a[a["rank"].to_numpy() > 0]
        reasons_o = pd.Series(reasons[order], index=a.index)
        crit_labels = [c[1] for c in CRITERIA]
        used = set()
        for s in subs:
            g = ranked[ranked["sub"].to_numpy() == s]
            df = pd.DataFrame({"Rang": g["rank"], "Dossier": g["id"], "Organisme": g["organisation"],
                               "Projet": g["title"].astype(str), "Pointage": g["score"] / 100})
            for cid, label in zip(CRIT, crit_labels):
                df[label] = g["p_" + cid] / 100
            df["Montant demandé"] = g["requested_c"] / 100
            df["Montant accordé"] = g["granted_c"] / 100
            df["Statut"] = status_fr[g["status"].to_numpy()]
            df["Motifs"] = reasons_o[g.index]
            df["Justification de la dérogation"] = ""
            name = sheet_name(names[s], used)
            nc = len(CRITERIA)
            fmts = {0: f_int, 4: f_points, 5 + nc: f_money, 6 + nc: f_money}
            fmts.update({5 + k: f_points for k in range(nc)})
            ws = sheet(name, df, f"Classement — {names[s]}",
                       [8, 14, 32, 34, 10] + [12] * nc + [18, 18, 16, 40, 30], fmts, status_col=7 + nc,
                       head_height=75)
            tr = len(df) + 2
            ws.write(tr, 0, "Total", f_tot)
            for col in (5 + nc, 6 + nc):
                c = xl(col)
                ws.write_formula(tr, col, f"=SUM({c}3:{c}{tr})" if len(df) else "=0", f_tot_money,
                                 df.iloc[:, col].sum())

        # Versements: every instalment by sub-region, in the sheets' order
        pos = np.empty(len(apps), dtype=np.int64)
        pos[order] = np.arange(len(apps))
        v = inst.assign(pos=pos[inst["app"].to_numpy()]).sort_values(["sub", "pos", "number"])
        df = pd.DataFrame({"Sous-région": v["subregion"], "Dossier": v["id"],
                           "Organisme": apps["organisation"].to_numpy()[v["app"].to_numpy()],
                           "N°": v["number"], "Versement": v["label"],
                           "Date prévue": v["due"].to_numpy().astype("datetime64[D]").astype(object),
                           "Exercice financier": v["fiscal_year"]})
        yidx = v["fy"].to_numpy() - ctx["first_year"]
        for y, fy in enumerate(fys):
            df[fy] = np.where(yidx == y, (v["amount"].to_numpy() / 100).astype(object), None)
        ws = wb.add_worksheet("Versements")
        ws.write(0, 0, "Calendrier des versements", f_title)
        ws.write_row(1, 0, list(df.columns), f_head)
        ws.set_row(1, 30)
        r = 2
        for s in subs:
            g = df[v["sub"].to_numpy() == s]
            if not len(g):
                continue
            put_rows(ws, r, g)
            r += len(g)
            ws.write(r, 0, f"Total — {names[s]}", f_tot)
            for y in range(n_years):
                c = xl(7 + y)
                ws.write_formula(r, 7 + y, f"=SUBTOTAL(9,{c}{r - len(g) + 1}:{c}{r})", f_tot_money,
                                 granted[s, y] / 100)
            r += 1
        ws.write(r, 0, "Total", f_tot)
        for y in range(n_years):
            c = xl(7 + y)
            ws.write_formula(r, 7 + y, f"=SUBTOTAL(9,{c}3:{c}{r})" if r > 2 else "=0", f_tot_money,
                             granted[:, y].sum() / 100)
        for col, wid in enumerate([30, 14, 35, 5, 15, 12, 12] + [16] * n_years):
            ws.set_column(col, col, wid, f_money if col >= 7 else {3: f_int, 5: f_date}.get(col))
        ws.freeze_panes(2, 0)
        page(ws)

        # Non retenues: below the threshold, then ineligible, with every failed check
        rej = a[a["rank"].to_numpy() == 0]
        df = pd.DataFrame({"Sous-région": rej["subregion"].astype(str), "Dossier": rej["id"],
                           "Organisme": rej["organisation"], "Projet": rej["title"].astype(str),
                           "Statut": status_fr[rej["status"].to_numpy()], "Pointage": rej["score"] / 100,
                           "Montant demandé": rej["requested_c"] / 100,
                           "Vérifications échouées": checks_txt[rej.index.to_numpy()],
                           "Motifs": reasons_o[rej.index]})
        sheet("Non retenues", df, "Demandes non retenues (non admissibles ou sous le seuil)",
              [30, 14, 32, 34, 16, 10, 18, 45, 45],
              {5: f_points, 6: f_money}, status_col=4)

        # Paramètres
        ws = wb.add_worksheet("Paramètres")
        ws.set_column(0, 0, 36)
        ws.set_column(1, 1, 55)
        ws.set_column(2, 2, 66)
        ws.write(0, 0, "Paramètres du traitement", f_title)
        rows = [["Programme", PROGRAM], ["Version de pandas", pd.__version__],
                ["Version de xlsxwriter", xlsxwriter.__version__], ["Identifiant du traitement", str(run_id)]]
        for i, row in enumerate(rows):
            ws.write_row(1 + i, 0, row)
        ws.write(5, 0, "Date du traitement (UTC)")
        ws.write_datetime(5, 1, run_date, f_when)
        ws.write(7, 0, "Fichiers utilisés", f_title)
        ws.write_row(8, 0, ["Rôle", "Fichier", "SHA-256"], f_head)
        r = 9
        for role, name, _, digest in files:
            ws.write_row(r, 0, ["Fichier de règles" if role == "rules" else "Fichier d'entrée", name, digest])
            r += 1
        ws.write(r, 0, "Seuil de pointage")
        ws.write_number(r, 1, THRESHOLD / 100, f_points)
        for i, row in enumerate([["Quand l'enveloppe est insuffisante", "passer à la demande suivante"],
                                 ["Solde annuel non dépensé", "retourne à la réserve"],
                                 ["Plafond par demande", "aucun"], ["Plafond par organisme", "aucun"]]):
            ws.write_row(r + 1 + i, 0, row)
        r += 6
        ws.write(r, 0, "Grille d'analyse", f_title)
        ws.write_row(r + 1, 0, ["Critère", "Libellé", "Points maximum"], f_head)
        for i, (cid, label, mx) in enumerate(CRITERIA):
            ws.write_row(r + 2 + i, 0, [cid, label])
            ws.write_number(r + 2 + i, 2, mx, f_points)
        tr = r + 2 + len(CRITERIA)
        ws.write(tr, 0, "Total", f_tot)
        ws.write_formula(tr, 2, f"=SUM(C{r + 3}:C{tr})", f_tot_points, sum(c[2] for c in CRITERIA))
        r = tr + 2
        ws.write(r, 0, "Vérifications d'admissibilité", f_title)
        ws.write_row(r + 1, 0, ["Vérification", "Libellé"], f_head)
        for i, row in enumerate(CHECKS):
            ws.write_row(r + 2 + i, 0, list(row))
        r += 3 + len(CHECKS)
        ws.write(r, 0, "Calendrier des versements", f_title)
        ws.write_row(r + 1, 0, ["Versement", "Part (%)", "Moment (% de la durée du projet)"], f_head)
        for i, (label, share, at) in enumerate(SCHEDULE):
            ws.write(r + 2 + i, 0, label)
            ws.write_number(r + 2 + i, 1, share, f_points)
            ws.write_number(r + 2 + i, 2, at / 10, f_points)
        page(ws, repeat=False)


def put_rows(ws, first, df):
    """The frame's cells from row `first`, row by row: DataFrame.to_excel makes
    a styled cell object per value and takes half again as long; the column
    formats (set_column) give numbers and dates their format. None and ""
    leave the cell empty."""
    for r, row in enumerate(zip(*(df[c].tolist() for c in df.columns)), first):
        ws.write_row(r, 0, row)


def xl(col):
    return xlsxwriter.utility.xl_col_to_name(col)


def sheet_name(name, used):
    """A tab name Excel accepts: 31 characters, no []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31]
    cand, i = base, 2
    while cand.lower() in used or cand in ("Sommaire", "Versements", "Non retenues", "Paramètres"):
        cand = f"{base[:31 - len(str(i)) - 1]}~{i}"
        i += 1
    used.add(cand.lower())
    return cand


# ---- the run --------------------------------------------------------------------

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    if len(args) != 2:
        sys.exit("usage: peer_pandas.py [-v] INPUT_DIR OUT_DIR")
    src, out = args
    os.makedirs(out, exist_ok=True)
    stages = []
    t0 = t = time.perf_counter()
    cpu = time.process_time()

    def lap(name):
        nonlocal t, cpu
        now, now_cpu = time.perf_counter(), time.process_time()
        stages.append((name, now - t, now_cpu - cpu))
        t, cpu = now, now_cpu

    started = datetime.datetime.now(datetime.timezone.utc)
    apps, env, split, evals = load(src)
    files = [("rules", os.path.basename(__file__), os.path.abspath(__file__), sha256(__file__))]
    for name in ("applications.csv", "envelopes.csv", "split.csv", "evaluations.csv"):
        if os.path.exists(f"{src}/{name}"):
            files.append(("input", name, os.path.abspath(f"{src}/{name}"), sha256(f"{src}/{name}")))
    lap("load")

    apps, fails, plan, ctx = evaluate(apps, env, evals)
    lap("checks+scores")

    names, is_res, totals, cells = split_cells(env, split)
    apps, envelope_left, remaining = allocate(apps, plan, ctx, cells)
    inst = build_schedule(apps, plan, ctx, names)
    lap("allocation")

    reasons, checks_txt = reasons_of(apps, fails, plan, ctx)
    summary, counts = build_summary(apps, names, cells, remaining, ctx)
    order = output_order(apps)              # decisions.csv's order, the workbook's too
    write_csvs(out, apps, order, reasons, inst, summary, names)
    lap("csv")

    c = counts.sum(axis=0)
    run_id = 1
    finished = datetime.datetime.now(datetime.timezone.utc)
    run = (run_id, started.isoformat(timespec="milliseconds"), finished.isoformat(timespec="milliseconds"),
           PROGRAM, os.path.abspath(src), os.path.abspath(__file__), ctx["first_year"], ctx["n_years"], THRESHOLD,
           "skip", "reserve", len(apps), int(apps["eligible"].sum()), int((apps["rank"] > 0).sum()),
           int(c[0]), int(c[1]), int(c[2]), int(c[3]), int(c[4]), int(c[5]),
           int(apps["granted_c"].sum()), int(env["amount_c"].sum()))
    # the rule file's extra columns, as loaded (typed; NULL where empty)
    as_int = lambda col: np.where(col.isna(), None, col.fillna(0).astype(np.int64).astype(object))  # noqa: E731
    extra_cols = [("mrc", "TEXT", apps["mrc"].astype(str)), ("priorite", "TEXT", apps["priorite"].astype(str)),
                  ("autres_financements", "INTEGER", as_int(apps["autres_c"])),
                  ("personnes_rejointes", "INTEGER", as_int(apps["personnes_rejointes"])),
                  ("partenaires", "INTEGER", as_int(apps["partenaires"]))] + \
                 [(col, "INTEGER", apps[col].astype(int)) for col in ("participation", "innovation",
                                                                      "activite_recurrente")]
    write_store(f"{out}/peer.db", run, files, apps, fails, reasons, envelope_left, inst, names, is_res, totals,
                cells, remaining, ctx, extra_cols)
    lap("sqlite")

    write_report(f"{out}/peer.xlsx", apps, order, reasons, checks_txt, inst, names, is_res, totals,
                 cells, remaining, counts, ctx, run_id, started.replace(tzinfo=None, microsecond=0), files)
    lap("excel")
    print(f"{time.perf_counter() - t0:.3f}")
    if verbose:
        for name, sec, cpu_sec in stages:
            print(f"peer: {name:14s} {sec:7.3f} s  (cpu {cpu_sec:.3f} s)", file=sys.stderr)
        print(f"peer: {'total':14s} {sum(s[1] for s in stages):7.3f} s  (cpu {sum(s[2] for s in stages):.3f} s)",
              file=sys.stderr)


main()
