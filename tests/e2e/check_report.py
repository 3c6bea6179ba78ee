#!/usr/bin/python3
"""Checks a run's report.xlsx with a real reader (openpyxl), against the
CSV files of the same run and the files it read.

usage: check_report.py OUT_DIR INPUTS_DIR RULES_FILE [--lang en]
                       [--epoch SECONDS] [--text ID=ORGANISATION ...]

Sheet names and order; each sub-region sheet's rows (ids, ranks, grants,
statuses, one fill colour per status) and its SUM totals, formula and
cached value, against decisions.csv and summary.csv; Versements: every
instalment in its fiscal year's column with its date, SUBTOTAL per
sub-region and for the region equal to summary.csv; Non retenues: every
below-threshold and ineligible application with its failed checks (by
label) and its other reasons in one column;
Sommaire's figures; Paramètres' SHA-256 against the files; frozen header,
autofilter, print setup; no formula but the report's own sums; document
properties, zip entry dates (deterministic) and well-formed XML parts. --epoch: the run clock
(SOURCE_DATE_EPOCH) the document must carry. --text: an organisation
that must come back as exactly that text (formula injection).
Prints what it checked; exits 1 on the first problem.
"""
import csv
import datetime
import hashlib
import os
import re
import sys
import zipfile
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils import get_column_letter

LABELS = {
    "fr": {"sheets": ("Sommaire", "Versements", "Non retenues", "Paramètres"),
           "equity": "Équité territoriale", "furthest": "Les plus loin de la proportionnalité",
           "robust": "Robustesse", "margin": "Marge (points)",
           "margin_rank": "Rang à la marge", "by_one": "Décidée par un seul évaluateur",
           "words": "En clair", "robust_words": {"funded": "financé ; ",
                                                 "partially_funded": "financé en partie ; ",
                                                 "waitlisted": "en attente ; "},
           "ranking": "Classement — ", "total_of": "Total — ", "total": "Total",
           "id": "Dossier", "org": "Organisme", "status": "Statut", "rank": "Rang",
           "requested": "Montant demandé", "granted": "Montant accordé",
           "reasons": "Motifs", "subregion": "Sous-région",
           "envelope": "Enveloppe", "unspent": "Non dépensé", "due": "Date prévue",
           "committed": "Engagé (appels précédents)",
           "fy": "Exercice financier", "no": "N°", "run_id": "Identifiant du traitement",
           "statuses": {"funded": "Financé", "partially_funded": "Financé en partie",
                        "waitlisted": "En attente", "below_threshold": "Sous le seuil",
                        "ineligible": "Non admissible",
                        "overridden": "Décision du comité"}},
    "en": {"sheets": ("Summary", "Disbursements", "Not retained", "Parameters"),
           "equity": "Territorial equity", "furthest": "Furthest from proportional",
           "robust": "Robustness", "margin": "Margin (points)",
           "margin_rank": "Rank at the margin", "by_one": "Decided by one evaluator",
           "words": "In words", "robust_words": {"funded": "funded; ",
                                                 "partially_funded": "partially funded; ",
                                                 "waitlisted": "waitlisted; "},
           "ranking": "Ranking — ", "total_of": "Total — ", "total": "Total",
           "id": "Application", "org": "Organisation", "status": "Status", "rank": "Rank",
           "requested": "Requested", "granted": "Granted", "reasons": "Reasons",
           "subregion": "Sub-region", "envelope": "Envelope", "unspent": "Unspent",
           "committed": "Committed in earlier calls",
           "due": "Due date", "fy": "Fiscal year", "no": "No.", "run_id": "Run identifier",
           "statuses": {"funded": "Funded", "partially_funded": "Partially funded",
                        "waitlisted": "Waitlisted", "below_threshold": "Below threshold",
                        "ineligible": "Ineligible", "overridden": "Committee decision"}},
}
OWN_FORMULA = re.compile(r"^=(SUM|SUBTOTAL\(9,)\(?[A-Z]+[0-9]+:[A-Z]+[0-9]+\)$"
                         r"|^=[A-Z]+[0-9]+([+-][A-Z]+[0-9]+)+$")
FISCAL_YEAR = re.compile(r"^[0-9]{4}-[0-9]{4}$")


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def cents(value):
    """Cents of a CSV amount ("1234.56") or of a cell's number (dollars)."""
    if isinstance(value, str):
        whole, _, frac = value.partition(".")
        sign = -1 if whole.startswith("-") else 1
        return sign * (abs(int(whole)) * 100 + int((frac + "00")[:2]))
    expect(isinstance(value, (int, float)), f"not a number: {value!r}")
    return round(value * 100)


def raw_text(value):
    """The text behind a CSV cell neutralised against formulas ("'=x")."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Run:
    """The CSV side of the run: what the workbook must agree with."""

    def __init__(self, out, inputs):
        self.decisions = {d["id"]: d for d in rows(f"{out}/decisions.csv")}
        self.disbursements = rows(f"{out}/disbursements.csv")
        self.summary = rows(f"{out}/summary.csv")
        self.sub_total = {s["subregion"]: s for s in self.summary
                          if s["fiscal_year"] == "total" and s["subregion"] != "total"}
        self.cell = {(s["subregion"], s["fiscal_year"]): s for s in self.summary}
        self.years = [s["fiscal_year"] for s in self.summary
                      if s["subregion"] == "total" and s["fiscal_year"] != "total"]
        split = rows(f"{inputs}/split.csv")
        self.sheets = [s["subregion"] for s in split
                       if s.get("reserve", "").strip().lower() not in ("oui", "yes", "1", "true")]


def header_columns(ws, row):
    return {ws.cell(row, c).value: c for c in range(1, ws.max_column + 1)}


def check_package(path, epoch, wb):
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            expect(info.date_time == (1980, 1, 1, 0, 0, 0),
                   f"zip entry {info.filename} dated {info.date_time}")
            try:  # a part that is not well-formed XML makes Excel repair
                ElementTree.fromstring(z.read(info))
            except ElementTree.ParseError as e:
                fail(f"{info.filename}: {e}")
        names = z.namelist()
    expect("xl/charts/chart1.xml" in names and "xl/charts/chart2.xml" in names,
           "the two charts are missing")
    props = wb.properties
    expect(props.creator == "alliance", f"author {props.creator!r}")
    if epoch is not None:
        when = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
        expect(props.created == when.replace(tzinfo=None),
               f"created {props.created}, expected {when}")
        expect(props.modified == props.created, "modified is not the run clock")


def check_print_setup(ws, header_rows):
    expect(ws.page_setup.orientation == "landscape", f"{ws.title}: not landscape")
    expect(ws.sheet_properties.pageSetUpPr.fitToPage, f"{ws.title}: not fit to page")
    expect(ws.page_setup.fitToHeight == 0, f"{ws.title}: not one page wide only")
    expect("&P" in (ws.oddFooter.center.text or ""), f"{ws.title}: no page number")
    if header_rows:
        expect(ws.print_title_rows == f"$1:${header_rows}",
               f"{ws.title}: repeated rows {ws.print_title_rows}")
        expect(ws.freeze_panes == f"A{header_rows + 1}",
               f"{ws.title}: frozen at {ws.freeze_panes}")


def check_formulas(wb):
    """Every formula is one of the report's sums; no text became one."""
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    expect(OWN_FORMULA.match(str(c.value)),
                           f"{ws.title}!{c.coordinate}: unexpected formula {c.value!r}")
                    n += 1
    return n


def check_total(ws, wsv, row, col, first, want, what):
    letter = get_column_letter(col)
    formula = ws.cell(row, col).value
    expect(formula == f"=SUM({letter}{first}:{letter}{row - 1})",
           f"{ws.title}!{letter}{row}: {what} is {formula!r}, not a SUM of the rows")
    got = cents(wsv.cell(row, col).value)
    expect(got == want, f"{ws.title}: {what} total {got}, expected {want}")


def check_ranking(ws, wsv, name, run, L, fills):
    """One sub-region sheet; returns the ids it lists."""
    expect(ws.cell(1, 1).value == L["ranking"] + name, f"{ws.title}: title {ws.cell(1, 1).value!r}")
    cols = header_columns(ws, 2)
    for key in ("rank", "id", "org", "requested", "granted", "status"):
        expect(L[key] in cols, f"{ws.title}: no column {L[key]!r}")
    last = ws.max_row
    expect(ws.cell(last, 1).value == L["total"], f"{ws.title}: no total row")
    status_of = {v: k for k, v in L["statuses"].items()}
    ids, requested, granted, present = [], 0, 0, set()
    for r in range(3, last):
        app = run.decisions.get(ws.cell(r, cols[L["id"]]).value)
        expect(app is not None and app["subregion"] == name, f"{ws.title} row {r}: unknown application")
        status = status_of.get(ws.cell(r, cols[L["status"]]).value)
        expect(status == app["status"], f"{app['id']}: status {status}, decisions.csv {app['status']}")
        expect(status not in ("below_threshold", "ineligible"), f"{app['id']} should be in the rejected sheet")
        rank = ws.cell(r, cols[L["rank"]]).value
        expect(str(rank or "") == app["rank"], f"{app['id']}: rank {rank}, decisions.csv {app['rank']}")
        got = cents(wsv.cell(r, cols[L["granted"]]).value)
        expect(got == cents(app["granted"]), f"{app['id']}: granted {got}")
        org = ws.cell(r, cols[L["org"]])
        expect(org.data_type == "s" and org.value == raw_text(app["organisation"]),
               f"{app['id']}: organisation {org.value!r}")
        money = ws.cell(r, cols[L["granted"]]).number_format
        expect("#,##0.00" in money and "$" in money and "C0C" in money, f"money format {money!r}")
        fill = ws.cell(r, cols[L["id"]]).fill.fgColor.rgb
        expect(fills.setdefault(status, fill) == fill, f"{app['id']}: {status} in another colour")
        present.add(status)
        ids.append(app["id"])
        requested += cents(app["requested"])
        granted += got
    check_total(ws, wsv, last, cols[L["requested"]], 3, requested, "requested")
    check_total(ws, wsv, last, cols[L["granted"]], 3, granted, "granted")
    # summary.csv counts what each envelope paid: add what the reserve paid
    # for this sub-region's committee overrides, if any
    want = cents(run.sub_total[name]["granted"]) + sum(
        cents(d["amount"]) for d in run.disbursements
        if d["subregion"] == name and d.get("envelope", name) != name)
    expect(granted == want, f"{name}: sheet grants {granted}, summary.csv {want}")
    expect(ws.auto_filter.ref == f"A2:{get_column_letter(ws.max_column)}{last - 1}",
           f"{ws.title}: autofilter {ws.auto_filter.ref}")
    check_status_fills(ws, last, cols[L["status"]], L, {st: fills[st] for st in present})
    expect(all(ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)),
           f"{ws.title}: a column without a width")
    check_print_setup(ws, 2)
    return ids


def check_status_fills(ws, last, status_col, L, fills):
    """Empty cells are left out of the rows; a conditional format per
    status present (fills: status -> the cells' colour) gives them the
    row's fill."""
    if last == 3:
        return
    want_range = f"A3:{get_column_letter(ws.max_column)}{last - 1}"
    rules = {}
    for cf in ws.conditional_formatting:
        expect(str(cf.sqref) == want_range, f"{ws.title}: conditional format on {cf.sqref}")
        for rule in cf.rules:
            rules[tuple(rule.formula)] = rule.dxf.fill.bgColor.rgb
    ref = f"${get_column_letter(status_col)}3"
    for status, fill in fills.items():
        formula = (f'{ref}="{L["statuses"][status]}"',)
        expect(rules.get(formula) == fill,
               f"{ws.title}: {status} rows filled by {rules.get(formula)}, cells {fill}")


def subtotal_formula(ws, row, col, first, last):
    letter = get_column_letter(col)
    formula = ws.cell(row, col).value
    expect(formula == f"=SUBTOTAL(9,{letter}{first}:{letter}{last})",
           f"{ws.title}!{letter}{row}: {formula!r}")


def check_schedule(ws, wsv, run, L):
    cols = header_columns(ws, 2)
    expect(L["fy"] not in cols, "Versements: a fiscal-year column beside the year columns")
    expect(all(FISCAL_YEAR.match(fy) for fy in run.years), f"fiscal years {run.years}")
    year_col = {fy: cols[fy] for fy in run.years}
    paid = {(d["id"], d["instalment"]): d for d in run.disbursements}
    first, n = 3, 0
    for r in range(3, ws.max_row + 1):
        label = ws.cell(r, 1).value
        if label == L["total"]:
            for fy, c in year_col.items():
                subtotal_formula(ws, r, c, 3, r - 1)
                want = cents(run.cell[("total", fy)]["granted"])
                expect(cents(wsv.cell(r, c).value) == want, f"region total {fy}")
            expect(r == ws.max_row, "rows after the region's total")
            break
        if label.startswith(L["total_of"]):
            name = label[len(L["total_of"]):]
            for fy, c in year_col.items():
                subtotal_formula(ws, r, c, first, r - 1)
                want = cents(run.cell[(name, fy)]["granted"])
                expect(cents(wsv.cell(r, c).value) == want, f"{name} {fy}: subtotal")
            first = r + 1
            continue
        d = paid.get((ws.cell(r, cols[L["id"]]).value, str(ws.cell(r, cols[L["no"]]).value)))
        expect(d is not None, f"Versements row {r}: no such instalment")
        due = wsv.cell(r, cols[L["due"]])
        expect(isinstance(due.value, datetime.datetime) and due.number_format == "yyyy-mm-dd"
               and due.value.date().isoformat() == d["due_date"], f"row {r}: due date {due.value!r}")
        # the fiscal year is the column the amount stands in
        fy = d["fiscal_year"]
        amounts = {y: wsv.cell(r, c).value for y, c in year_col.items() if wsv.cell(r, c).value is not None}
        expect(list(amounts) == [fy] and cents(amounts[fy]) == cents(d["amount"]),
               f"row {r}: amounts {amounts}, disbursements.csv {fy} {d['amount']}")
        n += 1
    expect(n == len(run.disbursements), f"{n} instalments, disbursements.csv has {len(run.disbursements)}")
    check_print_setup(ws, 2)
    return n


def check_rejected(ws, run, L, check_labels):
    """One column of reasons: each failed check by its label, and every
    other reason of decisions.csv word for word."""
    cols = header_columns(ws, 2)
    expect(len(cols) == 8, f"{ws.title}: columns {list(cols)}")
    ids = []
    for r in range(3, ws.max_row + 1):
        app = run.decisions[ws.cell(r, cols[L["id"]]).value]
        expect(app["status"] in ("below_threshold", "ineligible"), f"{app['id']} is {app['status']}")
        text = ws.cell(r, cols[L["reasons"]]).value or ""
        expect(text, f"{app['id']}: no reason")
        for part in app["reasons"].split("; "):
            check_id = part.split(":")[0]
            if check_id in check_labels:
                expect(check_labels[check_id] in text, f"{app['id']}: {check_id} not listed")
            else:
                expect(part in text, f"{app['id']}: reason {part!r} missing")
        ids.append(app["id"])
    check_print_setup(ws, 2)
    return ids


def check_robust(ws, run, L):
    """Robustesse lists exactly the candidates of decisions.csv with a
    margin under 5 points and every application decided by one evaluator,
    per sub-region by margin (none last), rank, id, with decisions.csv's
    margin, rank at the margin and evaluators, and a sentence that starts
    with the status and names the margin."""
    head = next((r for r in range(1, 5) if ws.cell(r, 1).value == L["subregion"]), None)
    expect(head, f"{ws.title}: no header")
    cols = header_columns(ws, head)
    order = {name: i for i, name in enumerate(run.sheets)}
    want = []
    for d in run.decisions.values():
        near = d["margin"] and d["status"] in L["robust_words"] and float(d["margin"]) < 5
        if near or d["decided_by_one_evaluator"]:
            want.append(d)
    want.sort(key=lambda d: (order.get(d["subregion"], len(order)),
                             float(d["margin"]) if d["margin"] else float("inf"),
                             int(d["rank"]) if d["rank"] else 10 ** 9, d["id"]))
    got = [ws.cell(r, cols[L["id"]]).value for r in range(head + 1, ws.max_row + 1)]
    expect(got == [d["id"] for d in want], f"{ws.title}: rows {got}, expected {[d['id'] for d in want]}")
    for r, d in zip(range(head + 1, ws.max_row + 1), want):
        margin = ws.cell(r, cols[L["margin"]]).value
        expect((margin is None and not d["margin"]) or
               (margin is not None and abs(margin - float(d["margin"])) < 1e-9),
               f"{d['id']}: margin {margin}, decisions.csv {d['margin']!r}")
        mrank = ws.cell(r, cols[L["margin_rank"]]).value
        expect(str(mrank or "") == d["margin_rank"], f"{d['id']}: rank at the margin {mrank}")
        by = ws.cell(r, cols[L["by_one"]]).value or ""
        expect(by == d["decided_by_one_evaluator"], f"{d['id']}: evaluators {by!r}")
        words = ws.cell(r, cols[L["words"]]).value or ""
        start = L["robust_words"].get(d["status"])
        if start:
            expect(words.startswith(start), f"{d['id']}: {words!r}")
        if d["decided_by_one_evaluator"]:
            names = d["decided_by_one_evaluator"].split(";")
            if L is LABELS["fr"]:  # "d'Amélie Bouchard ou de Marc Gagnon"
                names = [("d'" if n[0] in "AEIOUYÀÂÄÈÉÊËÎÏÔÖÙÛÜaeiouyàâäèéêëîïôöùûü" else "de ") + n
                         for n in names]
            tail = (" ou " if L is LABELS["fr"] else " or ").join(names)
            expect(tail in words, f"{d['id']}: {words!r} lacks {tail!r}")
        if d["margin"]:
            sep = "," if L is LABELS["fr"] else "."
            expect(d["margin"].replace(".", sep) in words, f"{d['id']}: {words!r} lacks the margin")
    return got


def check_summary(ws, wsv, run, L):
    head = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == L["subregion"]
                 and ws.cell(r, 2).value == L["envelope"]), None)
    expect(head, "Sommaire: no table of the money by sub-region")
    # a later call for projects has a committed column after the envelope
    calls = ws.cell(head, 3).value == L["committed"]
    gcol, ucol = (5, 6) if calls else (4, 5)
    for r in range(head + 1, ws.max_row + 1):
        name = ws.cell(r, 1).value
        if name == L["total"]:
            for c in range(2, ucol + 1):
                expect(str(ws.cell(r, c).value).startswith("=SUM("), f"Sommaire total {c}")
            break
        s = run.sub_total[name]
        committed = cents(s.get("committed") or "0")
        expect(cents(wsv.cell(r, 2).value) == cents(s["envelope"]), f"{name}: envelope")
        if calls:
            expect(cents(wsv.cell(r, 3).value) == committed, f"{name}: committed")
        expect(cents(wsv.cell(r, gcol).value) == cents(s["granted"]), f"{name}: granted")
        want = f"=B{r}-C{r}-E{r}" if calls else f"=B{r}-D{r}"
        expect(ws.cell(r, ucol).value == want, f"{name}: unspent formula")
        expect(cents(wsv.cell(r, ucol).value) ==
               cents(s["envelope"]) - committed - cents(s["granted"]), f"{name}: unspent")
    check_print_setup(ws, 0)


def check_params(ws, inputs, rules_path):
    values = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(1, ws.max_row + 1)}
    expect(values.get(os.path.basename(rules_path)) == sha256(rules_path), "rule file hash")
    for name in ("applications.csv", "envelopes.csv", "split.csv", "evaluations.csv", "overrides.csv",
                 "territories.csv"):
        path = f"{inputs}/{name}"
        if os.path.exists(path):
            expect(values.get(name) == sha256(path), f"{name}: hash")
    expect(any(str(ws.cell(r, 3).value).startswith("=SUM(") for r in range(1, ws.max_row + 1)),
           "criteria grid without its total")
    # checks table: id in column A, label in B, after the grid
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)
            if ws.cell(r, 1).value and ws.cell(r, 2).value}


def check_texts(wb, texts):
    for app_id, text in texts.items():
        found = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                if any(c.value == app_id for c in row):
                    cell = next((c for c in row if c.value == text), None)
                    expect(cell is not None and cell.data_type == "s",
                           f"{ws.title}: {app_id}'s organisation is not the text {text!r}")
                    found += 1
        expect(found >= 1, f"{app_id}: organisation {text!r} not found as text")


def check_equity(ws, summary, out, L):
    """The equity sheet shows equity.csv's rows: figures, shares as
    percentages, one bar chart per level; the Sommaire names the rows
    furthest from proportional."""
    with open(f"{out}/equity.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    levels = [lv for lv in ("subregion", "territory") if any(r["level"] == lv for r in rows)]
    # the tables' data rows, in order: a number of inhabitants in column C
    # and a name other than the total's
    body = [r for r in range(1, ws.max_row + 1)
            if isinstance(ws.cell(r, 3).value, int) and ws.cell(r, 1).value != L["total"]]
    data = [row for row in rows if row["territory"] != "total"]
    expect(len(body) == len(data), f"equity sheet: {len(body)} rows, equity.csv {len(data)}")
    for r, row in zip(body, data):
        expect(ws.cell(r, 1).value == row["territory"],
               f"equity sheet row {r}: {ws.cell(r, 1).value!r}, expected {row['territory']!r}")
        got = [ws.cell(r, c).value for c in range(2, 13)]
        expect(got[0] == row["subregion"], f"{row['territory']}: sub-region {got[0]!r}")
        expect(got[1] == int(row["population"]) and got[2] == int(row["low_income"]),
               f"{row['territory']}: people {got[1:3]}")
        for c, key in ((3, "granted"), (4, "committed"), (6, "per_inhabitant"),
                       (7, "per_low_income")):
            want = round(float(row[key]), 2) if row[key] else None
            expect(got[c] == want, f"{row['territory']}: {key} {got[c]!r}, expected {want!r}")
        expect(str(got[5]).startswith("=E") and "+F" in str(got[5]),
               f"{row['territory']}: money is not =E+F: {got[5]!r}")
        for c, key in ((8, "money_share"), (9, "low_income_share"), (10, "ratio")):
            want = float(row[key]) if row[key] else None
            expect(got[c] == want, f"{row['territory']}: {key} {got[c]!r}, expected {want!r}")
        for c in (10, 11):
            fmt = ws.cell(r, c).number_format
            expect(got[8] is None or "%" in fmt, f"{row['territory']}: share format {fmt!r}")
    # each level's spread: max/min, then Gini, below its table
    spread = [ws.cell(r, 12).value for r in range(1, ws.max_row + 1)
              if ws.cell(r, 1).value and ("max/min" in ws.cell(r, 1).value.lower()
                                          or "Gini" in ws.cell(r, 1).value)]
    want = []
    for row in rows:
        if row["territory"] == "total":
            want += [float(row[k]) if row[k] else None for k in ("max_min", "gini")]
    expect(spread == want, f"equity sheet: spread {spread}, expected {want}")
    charts = ws._charts
    expect(len(charts) == len(levels), f"{len(charts)} charts for {len(levels)} levels")
    for ch in charts:
        expect(ch.tagname == "barChart" and ch.type == "bar" and len(ch.series) == 2,
               f"chart {ch.tagname} {getattr(ch, 'type', '')} with {len(ch.series)} series")
    texts = [summary.cell(r, 1).value or "" for r in range(1, summary.max_row + 1)]
    at = [i for i, t in enumerate(texts) if t.startswith(L["furthest"])]
    expect(len(at) == 1, f"Sommaire: no paragraph {L['furthest']!r}")
    finest = [r for r in rows if r["level"] == levels[-1] and r["territory"] != "total" and r["ratio"]]
    lowest = min(finest, key=lambda r: float(r["ratio"]))
    highest = max(finest, key=lambda r: float(r["ratio"]))
    para = "\n".join(texts[at[0]:at[0] + 8])
    for r in (lowest, highest):
        expect(r["territory"] in para, f"Sommaire's paragraph does not name {r['territory']!r}")


def main():
    out, inputs, rules_path = sys.argv[1:4]
    lang, epoch, texts = "fr", None, {}
    args = sys.argv[4:]
    while args:
        opt, value = args[0], args[1]
        args = args[2:]
        if opt == "--lang":
            lang = value
        elif opt == "--epoch":
            epoch = int(value)
        elif opt == "--text":
            key, _, text = value.partition("=")
            texts[key] = text
    L = LABELS[lang]
    run = Run(out, inputs)
    path = f"{out}/report.xlsx"
    wb = openpyxl.load_workbook(path)
    wbv = openpyxl.load_workbook(path, data_only=True)
    want = [L["sheets"][0]] + run.sheets + list(L["sheets"][1:3]) + [L["robust"], L["sheets"][3]]
    has_equity = os.path.exists(f"{out}/equity.csv")
    if has_equity:  # without figures, no sheet (and no equity.csv)
        want.insert(len(want) - 1, L["equity"])
    expect(wb.sheetnames == want, f"sheets {wb.sheetnames}, expected {want}")
    if has_equity:
        check_equity(wb[L["equity"]], wb[L["sheets"][0]], out, L)
    check_package(path, epoch, wb)
    fills, listed = {}, []
    for name in run.sheets:
        listed += check_ranking(wb[name], wbv[name], name, run, L, fills)
    expect(len(set(fills.values())) == len(fills), f"statuses share a colour: {fills}")
    check_labels = check_params(wb[L["sheets"][3]], inputs, rules_path)
    rejected = check_rejected(wb[L["sheets"][2]], run, L, check_labels)
    expect(sorted(listed + rejected) == sorted(run.decisions), "applications missing or listed twice")
    check_robust(wb[L["robust"]], run, L)
    n = check_schedule(wb[L["sheets"][1]], wbv[L["sheets"][1]], run, L)
    check_summary(wb[L["sheets"][0]], wbv[L["sheets"][0]], run, L)
    ids = [next((ws.cell(r, 2).value for r in range(1, 10) if ws.cell(r, 1).value == L["run_id"]), None)
           for ws in (wb[L["sheets"][0]], wb[L["sheets"][3]])]
    expect(ids[0] and ids[0] == ids[1], f"run ids {ids}")
    formulas = check_formulas(wb)
    check_texts(wb, texts)
    print(f"checked: {len(wb.sheetnames)} sheets, {len(listed)} ranked and {len(rejected)} "
          f"rejected applications, {n} instalments, {formulas} formulas")


main()
