#!/usr/bin/python3
"""The alternative an analyst would write instead of alliance: pandas.

usage: peer_pandas.py INPUT_DIR OUT_DIR

Does the same job as `alliance run` with rules/monteregie.lua on a folder
written by bench/gen_apps.py, the way a competent analyst would in pandas
(Debian's python3-pandas, python3-xlsxwriter): load the CSV files (amounts in
both machine and French forms), eligibility checks (organisation type, FQIS
share <= 80 %, 6 to 36 months, within the program, territory, not recurring),
the scoring grid, the threshold, greedy allocation by score within each
sub-region's envelope per fiscal year (50/40/10 instalments), then an SQLite
write of the decisions and instalments and an Excel workbook (one sheet per
sub-region, instalments, rejected). Vectorised where pandas allows; the greedy
allocation is inherently sequential, as in any tool. It is a peer for timing,
not a reimplementation of every rule detail.
"""
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

TERRITORY = {
    "Ouest de la Montérégie": {"Vaudreuil-Soulanges", "Beauharnois-Salaberry", "Le Haut-Saint-Laurent",
                               "Roussillon", "Les Jardins-de-Napierville"},
    "Est de la Montérégie": {"Les Maskoutains", "Acton", "Pierre-De Saurel", "La Vallée-du-Richelieu",
                             "Marguerite-D'Youville", "Rouville", "Le Haut-Richelieu", "Brome-Missisquoi",
                             "La Haute-Yamaska"},
    "Agglomération de Longueuil": {"Longueuil", "Boucherville", "Brossard", "Saint-Lambert",
                                   "Saint-Bruno-de-Montarville"},
}
TYPES = {"obnl", "cooperative", "municipalite", "mrc", "conseil_bande", "centre_recherche"}
PRIORITIES = {
    "Ouest de la Montérégie": {"securite_alimentaire", "logement_social", "reussite_educative", "transport_collectif"},
    "Est de la Montérégie": {"securite_alimentaire", "insertion_emploi", "transport_collectif", "participation_sociale"},
    "Agglomération de Longueuil": {"logement_social", "participation_sociale", "reussite_educative", "insertion_emploi"},
}


def money(col):
    s = col.astype(str).str.replace("\u00a0", "", regex=False).str.replace("\u202f", "", regex=False)
    s = s.str.replace(" ", "", regex=False).str.replace("$", "", regex=False)
    french = s.str.contains(",", regex=False)
    s = s.where(~french, s.str.replace(",", ".", regex=False))
    return (pd.to_numeric(s, errors="coerce") * 100).round().astype("Int64")


def load(d):
    apps = pd.read_csv(f"{d}/applications.csv", dtype=str, keep_default_na=False)
    env = pd.read_csv(f"{d}/envelopes.csv", dtype=str)
    split = pd.read_csv(f"{d}/split.csv", dtype=str, keep_default_na=False)
    apps["requested_c"] = money(apps["requested"])
    apps["total_cost_c"] = money(apps["total_cost"])
    apps["autres_c"] = money(apps["autres_financements"].replace("", "0"))
    apps["start_d"] = pd.to_datetime(apps["start"], errors="coerce")
    apps["months_i"] = pd.to_numeric(apps["months"], errors="coerce")
    for c in ("personnes_rejointes", "partenaires"):
        apps[c] = pd.to_numeric(apps[c], errors="coerce").fillna(0)
    for c in ("participation", "innovation", "activite_recurrente"):
        apps[c] = apps[c].str.lower().isin(["oui", "yes", "true", "1", "vrai"])
    env["amount_c"] = money(env["amount"])
    split["amount_c"] = money(split["amount"])
    return apps, env, split


def evaluate(apps):
    share = apps["requested_c"] / apps["total_cost_c"]
    end = apps["start_d"] + pd.to_timedelta(apps["months_i"] * 30.44, unit="D")
    checks = pd.DataFrame({
        "type_organisme": apps["org_type"].isin(TYPES),
        "part_fqis": share <= 0.8,
        "duree": apps["months_i"].between(6, 36),
        "echeance": (apps["start_d"] >= "2024-04-01") & (end <= "2029-03-31"),
        "territoire": pd.Series([m in TERRITORY.get(s, ()) for m, s in zip(apps["mrc"], apps["subregion"])],
                                index=apps.index),
        "non_recurrent": ~apps["activite_recurrente"],
    })
    apps["eligible"] = checks.all(axis=1)
    apps["reasons"] = checks.apply(lambda r: "; ".join(c for c, ok in r.items() if not ok), axis=1)
    prio = [p in PRIORITIES.get(s, ()) for p, s in zip(apps["priorite"], apps["subregion"])]
    pts = pd.DataFrame({
        "priorites": np.where(prio, 25, np.where(apps["priorite"] != "autre", 12, 5)),
        "personnes": np.select([apps["personnes_rejointes"] >= t for t in (400, 200, 100, 50, 20)],
                               [20, 16, 12, 8, 4], 0),
        "participation": np.where(apps["participation"], 15, 0),
        "partenariat": np.clip(apps["partenaires"] / 8 * 15, 0, 15),
        "effet": np.clip(apps["autres_c"] / apps["requested_c"] / 0.5 * 10, 0, 10),
        "innovation": np.where(apps["innovation"], 5, 0),
    })
    apps = pd.concat([apps, pts.round(2)], axis=1)
    apps["score"] = pts.round(2).sum(axis=1)
    return apps


def allocate(apps, env, split):
    years = list(env["fiscal_year"])
    total = int(env["amount_c"].sum())
    cells = {}
    for _, s in split.iterrows():
        if s["amount_c"] is pd.NA:
            continue
        for _, e in env.iterrows():
            cells[(s["subregion"], e["fiscal_year"])] = int(s["amount_c"]) * int(e["amount_c"]) // total
    cand = apps[apps["eligible"] & (apps["score"] >= 60)].sort_values(
        ["subregion", "score", "requested_c", "id"], ascending=[True, False, True, True])
    granted, rows = {}, []
    for r in cand.itertuples():
        req = int(r.requested_c)
        parts = [req * 50 // 100, req * 40 // 100]
        parts.append(req - sum(parts))
        dates = [r.start_d, r.start_d + pd.DateOffset(months=int(round(r.months_i / 2))),
                 r.start_d + pd.DateOffset(months=int(r.months_i))]
        fys = [f"{d.year}-{d.year + 1}" if d.month >= 4 else f"{d.year - 1}-{d.year}" for d in dates]
        need = {}
        for fy, p in zip(fys, parts):
            need[fy] = need.get(fy, 0) + p
        if all(fy in years and cells.get((r.subregion, fy), 0) >= n for fy, n in need.items()):
            for fy, n in need.items():
                cells[(r.subregion, fy)] -= n
            granted[r.id] = req
            rows += [(r.id, r.subregion, fy, i + 1, p, str(d.date())) for i, (fy, p, d) in enumerate(zip(fys, parts, dates))]
    apps["granted_c"] = apps["id"].map(granted).fillna(0).astype("int64")
    apps["status"] = np.where(apps["granted_c"] > 0, "funded",
                              np.where(~apps["eligible"], "ineligible",
                                       np.where(apps["score"] < 60, "below_threshold", "waitlisted")))
    return apps, pd.DataFrame(rows, columns=["id", "subregion", "fiscal_year", "instalment", "amount_c", "due"])


def store(apps, inst, path):
    con = sqlite3.connect(path)
    cols = ["id", "organisation", "subregion", "status", "score", "requested_c", "granted_c", "reasons"]
    apps[cols].to_sql("decision", con, if_exists="replace", index=False)
    inst.to_sql("instalment", con, if_exists="replace", index=False)
    con.commit()
    con.close()


def report(apps, inst, path):
    with pd.ExcelWriter(path, engine="xlsxwriter") as xw:
        for sub, g in apps[apps["status"].isin(["funded", "waitlisted"])].groupby("subregion"):
            g.sort_values("score", ascending=False)[
                ["id", "organisation", "title", "score", "requested_c", "granted_c", "status"]
            ].to_excel(xw, sheet_name=sub[:31], index=False)
        inst.to_excel(xw, sheet_name="Versements", index=False)
        apps[apps["status"].isin(["ineligible", "below_threshold"])][
            ["id", "organisation", "subregion", "score", "reasons"]].to_excel(xw, sheet_name="Non retenues", index=False)


def main():
    src, out = sys.argv[1], sys.argv[2]
    import os
    os.makedirs(out, exist_ok=True)
    t = time.perf_counter()
    apps, env, split = load(src)
    apps = evaluate(apps)
    apps, inst = allocate(apps, env, split)
    store(apps, inst, f"{out}/peer.db")
    report(apps, inst, f"{out}/peer.xlsx")
    print(f"{time.perf_counter() - t:.3f}")


main()
