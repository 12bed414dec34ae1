#!/usr/bin/env python3
"""Regenerates testdata/flatfiles, testdata/bad-files and testdata/README.md.

Standard library only. Gzip members are written with mtime=0 and no file name, so a rerun
produces the same bytes (for the same zlib). Every row is declared together with the outcome
an ingestion run must give it (OK, DUP = exact duplicate dropped, or a quarantine reason code);
the README's expected-facts tables are computed from those declarations, never typed by hand.

Usage: python3 testdata/make-fixtures.py   (from anywhere; paths are relative to this file)
"""

import gzip
import json
import shutil
from collections import OrderedDict, defaultdict
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
FLAT = HERE / "flatfiles"
BAD = HERE / "bad-files"
NY = ZoneInfo("America/New_York")
HEADER = "ticker,volume,open,close,high,low,window_start,transactions"

STOCKS_DAY = "us_stocks_sip/day_aggs_v1"
STOCKS_MIN = "us_stocks_sip/minute_aggs_v1"
OPT_DAY = "us_options_opra/day_aggs_v1"
OPT_MIN = "us_options_opra/minute_aggs_v1"

# Sessions of the hand-made fixtures (NYSE: 2024-01-01 is New Year's Day).
DAILY_SESSIONS = [date(2024, 1, d) for d in (2, 3, 4, 5, 8, 9)]
MINUTE_SESSIONS = [date(2024, 1, 4), date(2024, 1, 5)]
OPTION_SESSIONS = [date(2024, 1, 3), date(2024, 1, 4)]

files = OrderedDict()  # relative key -> dict(rows=[(line, outcome)], note=str, official=bool)


def ns(d, hh=0, mm=0):
    """Nanoseconds since the epoch of d hh:mm America/New_York."""
    return int(datetime.combine(d, time(hh, mm), NY).timestamp()) * 1_000_000_000


def key(prefix, d):
    return f"{prefix}/{d:%Y}/{d:%m}/{d:%Y-%m-%d}.csv.gz"


def num(x, places=4):
    s = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def line(ticker, volume, o, c, h, lo, ws, n):
    return ",".join([ticker, str(volume), num(o), num(c), num(h), num(lo), str(ws), str(n)])


def ohlc(base, i, places=2):
    """Deterministic, internally consistent open/close/high/low around base for day/minute i."""
    o = round(base * (1 + 0.004 * i), places)
    c = round(o * (1 + (0.003 if i % 2 == 0 else -0.002)), places)
    h = round(max(o, c) * 1.005, places)
    lo = round(min(o, c) * 0.995, places)
    return o, c, h, lo


def add(rel, rows, note, official=False):
    files[rel] = {"rows": rows, "note": note, "official": official}


# ---------------------------------------------------------------------------------------------
# Official Polygon/Massive documentation examples, rows reproduced unchanged.

# massive.com/docs/flat-files/stocks/day-aggregates "Example Data" (= seed
# docs/examples/sample-data/stocks_day_candlesticks_example.csv). window_start is 16:00 EDT.
STOCKS_DAY_EXAMPLE = """\
BCC,248274,61.68,61.99,62.565,61.41,1680033600000000000,4073
CLDX,882958,35.03,34.78,35.81,34.39,1680033600000000000,9971
TRND,2084,26.73,26.7662,26.7662,26.7201,1680033600000000000,11
BFS,47818,37.15,37.25,37.68,36.885,1680033600000000000,962
NHTC,8284,4.9,4.85,4.92,4.85,1680033600000000000,107
HIMS,1830853,9.59,9.91,10.11,9.557,1680033600000000000,13748
ETHO,981,49.9,50.0959,50.0959,49.86,1680033600000000000,40
FSBC,37318,21.15,21.3,21.35,21,1680033600000000000,916
IPAY,19344,40.26,40.06,40.3,39.94,1680033600000000000,249
STLD,1168999,110.58,109.23,111.6801,108.91,1680033600000000000,20760
"""
add(key(STOCKS_DAY, date(2023, 3, 28)),
    [(r, "OK") for r in STOCKS_DAY_EXAMPLE.splitlines()],
    "official stocks day example (10 rows); window_start = 2023-03-28 16:00 EDT, not 00:00", True)

# massive.com/docs/examples/stocks_minute_candlesticks_example.csv (first rows, as quoted by
# its users): 17-digit window_start = real value / 100, i.e. 1970-07-14 when read as ns.
STOCKS_MIN_EXAMPLE = """\
MSFT,1975,276.75,275.52,276.75,275.25,16799904000000000,83
MSFT,2349,275.2,274.46,275.2,274.46,16799904600000000,99
MSFT,1739,274.54,274.5,274.54,274.15,16799905200000000,55
"""
add(key(STOCKS_MIN, date(2023, 3, 28)),
    [(r, "WRONG_SESSION") for r in STOCKS_MIN_EXAMPLE.splitlines()],
    "official stocks minute example (3 MSFT rows); 17-digit window_start, every row quarantined", True)

# massive.com/docs/flat-files/options/day-aggregates "Example Data": the SPY row carries
# 2023-03-13 00:00 EDT, the other two 2023-03-27 00:00 EDT -> filed under 2023-03-27.
OPT_DAY_EXAMPLE = """\
O:SPY230327P00390000,200,11.82,9.83,11.82,8.09,1678680000000000000,62
O:IWM230327C00137000,1,35.77,35.77,35.77,35.77,1679889600000000000,1
O:NANOS230327C00400000,2,1.17,0.26,1.17,0.26,1679889600000000000,2
"""
opt_day_rows = OPT_DAY_EXAMPLE.splitlines()
add(key(OPT_DAY, date(2023, 3, 27)),
    [(opt_day_rows[0], "WRONG_SESSION"), (opt_day_rows[1], "OK"), (opt_day_rows[2], "OK")],
    "official options day example (3 rows); the SPY row is dated 2023-03-13 -> WRONG_SESSION", True)

# The options minute example file was not found; this one is BUILT from the documented
# options-day contracts (same tickers, 2023-03-27 regular-hours minutes, 19-digit ns).
d = date(2023, 3, 27)
add(key(OPT_MIN, d), [
    (line("O:SPY230327P00390000", 10, 0.05, 0.04, 0.05, 0.04, ns(d, 9, 30), 3), "OK"),
    (line("O:SPY230327P00390000", 4, 0.04, 0.03, 0.04, 0.03, ns(d, 9, 31), 2), "OK"),
    (line("O:IWM230327C00137000", 1, 35.77, 35.77, 35.77, 35.77, ns(d, 10, 2), 1), "OK"),
    (line("O:NANOS230327C00400000", 2, 1.17, 0.26, 1.17, 0.26, ns(d, 15, 59), 2), "OK"),
], "CONSTRUCTED stand-in for the official options minute example (not found): the documented contracts, 2023-03-27 minutes")

# ---------------------------------------------------------------------------------------------
# Hand-made stocks daily calendar: 2024-01-02 .. 2024-01-09 (six sessions).

BASE = {"AAPL": 185.0, "SPY": 470.0, "SDS": 27.5, "CON": 12.0, "ADSw": 40.0, "ADSW": 41.0,
        "ILLQ": 7.25, "PNNY": 0.0123, "MSFT": 370.0, "IPOX": 18.0, "DUPC": 55.0}


def day_bar(t, i, s, volume=None, n=None):
    places = 4 if BASE[t] < 1 else 2
    o, c, h, lo = ohlc(BASE[t] / split_divisor(t, s), i, places)
    v = volume if volume is not None else int((1_000_000 * (1 + (hash_t(t) % 7)) + 12_345 * i) * split_divisor(t, s))
    tx = n if n is not None else 1000 + 37 * i + hash_t(t) % 100
    return line(t, v, o, c, h, lo, ns(s), tx)


# Corporate actions (flatfiles/corporate_actions/, the provider's REST response format): ADSW
# splits 4-for-1 on 2024-01-05 (its raw prices drop to a quarter from then on; the split is listed
# twice with different ids, as the provider sometimes does) and pays 0.10 USD ex 2024-01-09; IPOX's
# dividend falls on its first bar (no earlier close: skipped and counted); NOBAR never trades.
SPLITS = [
    {"id": "E1a2b3ADSW", "ticker": "ADSW", "execution_date": "2024-01-05", "split_from": 1, "split_to": 4},
    {"id": "E9f8e7ADSW", "ticker": "ADSW", "execution_date": "2024-01-05", "split_from": 1, "split_to": 4},
    {"id": "E5d6c7NOBAR", "ticker": "NOBAR", "execution_date": "2024-01-03", "split_from": 1, "split_to": 2},
]
DIVIDENDS = [
    {"id": "Ed1ADSW", "ticker": "ADSW", "cash_amount": 0.1, "currency": "USD", "declaration_date": "2023-12-15",
     "dividend_type": "CD", "ex_dividend_date": "2024-01-09", "frequency": 4, "pay_date": "2024-01-25",
     "record_date": "2024-01-10"},
    {"id": "Ed2IPOX", "ticker": "IPOX", "cash_amount": 0.05, "currency": "USD", "declaration_date": "2023-12-20",
     "dividend_type": "CD", "ex_dividend_date": "2024-01-04", "frequency": 0, "pay_date": "2024-01-20",
     "record_date": "2024-01-05"},
]


def split_divisor(t, s):
    d = 1
    for e in SPLITS:
        if e["ticker"] == t and s >= date.fromisoformat(e["execution_date"]) and e["id"] != "E9f8e7ADSW":
            d *= e["split_to"] / e["split_from"]
    return d


def hash_t(t):
    return sum(ord(ch) * (k + 1) for k, ch in enumerate(t))  # stable, unlike hash()


BAD_ROWS_A = [  # in 2024-01-05
    ("XCOL,1000,10.1,10.2,10.3,10,{ws}", "WRONG_COLUMN_COUNT"),
    ("XEMP,1200,10.5,,10.6,10.4,{ws},12", "EMPTY_FIELD"),
    ("XNUM,1300,abc,10.2,10.3,10,{ws},13", "BAD_NUMBER"),
    ("XNAN,1400,NaN,10.2,10.3,10,{ws},14", "NOT_FINITE"),
    ("XINF,1500,10.1,inf,10.3,10,{ws},15", "NOT_FINITE"),
    ("XNEGP,1600,-1.5,-1.5,-1.5,-1.5,{ws},16", "NEGATIVE_PRICE"),
    ("XNEGV,-1700,10.1,10.2,10.3,10,{ws},17", "NEGATIVE_VOLUME"),
]
BAD_ROWS_B = [  # in 2024-01-08
    ("XHBL,1800,10.1,10.2,9.9,10.4,{ws},18", "HIGH_BELOW_LOW"),
    ("XRNG,1900,10.9,10.2,10.3,10,{ws},19", "OPEN_CLOSE_OUTSIDE_RANGE"),
    ("XSES,2000,10.1,10.2,10.3,10,{next_ws},20", "WRONG_SESSION"),
    ("BRK/B,2100,10.1,10.2,10.3,10,{ws},21", "BAD_TICKER"),
    ("A..B,2200,10.1,10.2,10.3,10,{ws},22", "BAD_TICKER"),
    ("AB C,2300,10.1,10.2,10.3,10,{ws},23", "BAD_TICKER"),
]

for i, s in enumerate(DAILY_SESSIONS):
    good = []
    for t in ("AAPL", "SPY", "SDS", "CON", "ADSw", "ADSW", "ILLQ", "PNNY", "MSFT", "IPOX", "DUPC"):
        if t == "MSFT" and s in (date(2024, 1, 4), date(2024, 1, 5)):
            continue  # gap: two sessions missing in the middle
        if t == "IPOX" and i < 2:
            continue  # late listing: first bar on the third session
        if t == "DUPC" and s not in (date(2024, 1, 8), date(2024, 1, 9)):
            continue
        if t == "AAPL" and s == date(2024, 1, 3):
            good.append((day_bar(t, i, s, volume="58414460.7"), "OK"))  # fractional volume
        elif t == "PNNY" and s == date(2024, 1, 8):
            good.append((day_bar(t, i, s, volume=3_012_345_678), "OK"))  # above 2^31
        elif t == "ILLQ" and s == date(2024, 1, 5):
            px = ohlc(BASE[t], i - 1)[1]  # no trade: O=H=L=C = previous close
            good.append((line(t, 0, px, px, px, px, ns(s), 0), "OK"))
        elif t == "CON" and s == date(2024, 1, 8):
            good.append((day_bar(t, i, s).rsplit(",", 1)[0] + ",", "OK"))  # empty transactions
        elif t == "DUPC" and s == date(2024, 1, 9):
            r = day_bar(t, i, s)
            f = r.split(",")
            f[3] = num(float(f[3]) + 0.37)  # same ticker and window_start, different close
            good.append((r, "DUPLICATE_CONFLICT"))
            good.append((",".join(f), "DUPLICATE_CONFLICT"))
        else:
            good.append((day_bar(t, i, s), "OK"))
        if t == "AAPL" and s == date(2024, 1, 8):
            good.append((good[-1][0], "DUP"))  # exact duplicate, kept once
    bad = []
    if s == date(2024, 1, 5):
        bad = BAD_ROWS_A
    elif s == date(2024, 1, 8):
        bad = BAD_ROWS_B
    bad = [(b.format(ws=ns(s), next_ws=ns(DAILY_SESSIONS[i + 1])), why) for b, why in bad]
    rows = []
    for k, g in enumerate(good):  # bad lines interleaved with good ones
        rows.append(g)
        if k % 2 == 1 and bad:
            rows.append(bad.pop(0))
    rows.extend(bad)
    add(key(STOCKS_DAY, s), rows, "hand-made stocks daily session")

# ---------------------------------------------------------------------------------------------
# Hand-made stocks minute: 2 sessions (EST), AAPL/SPY/SDS, 04:00 pre-market to 19:59 after-hours.

MINUTES = [(4, 0), (9, 30), (9, 31), (9, 32), (15, 59), (19, 59)]
for s in MINUTE_SESSIONS:
    rows = []
    for t in ("AAPL", "SPY", "SDS"):
        for k, (hh, mm) in enumerate(MINUTES):
            if t == "SDS" and (hh, mm) in ((9, 31), (19, 59)):
                continue  # missing minutes
            o, c, h, lo = ohlc(BASE[t] * (1 + 0.01 * (s.day - 4)), k)
            v = (200 if hh in (4, 19) else 15_000) + 11 * k
            rows.append((line(t, v, o, c, h, lo, ns(s, hh, mm), 3 + k), "OK"))
    add(key(STOCKS_MIN, s), rows, "hand-made stocks minute session; 19:59 ET is 00:59Z of the next UTC day")

# ---------------------------------------------------------------------------------------------
# Hand-made options: SPY call+put (same underlying, same strike), adjusted root SDS1, one bad ticker.

SPY_C, SPY_P = "O:SPY240119C00470000", "O:SPY240119P00470000"
SDS1_C = "O:SDS1240119C00030000"
BAD_OPT = "O:SPY24XX19P00470000"
for j, s in enumerate(OPTION_SESSIONS):
    add(key(OPT_DAY, s), [
        (line(SPY_C, 41_230 + j, 5.1 - j, 4.6 - j, 5.4 - j, 4.3 - j, ns(s), 9_876 + j), "OK"),
        (line(SPY_P, 38_004 + j, 4.2 + j, 4.9 + j, 5.2 + j, 4.0 + j, ns(s), 8_765 + j), "OK"),
        (line(SDS1_C, 12 + j, 0.35, 0.3, 0.35, 0.25, ns(s), 4), "OK"),
        (line(BAD_OPT, 5, 4.2, 4.9, 5.2, 4.0, ns(s), 2), "BAD_OPTIONS_TICKER"),
    ], "hand-made options daily session")
    add(key(OPT_MIN, s), [
        (line(SPY_C, 310, 5.1 - j, 5.0 - j, 5.12 - j, 4.98 - j, ns(s, 9, 30), 41), "OK"),
        (line(SPY_P, 280, 4.2 + j, 4.25 + j, 4.3 + j, 4.18 + j, ns(s, 9, 30), 37), "OK"),
        (line(BAD_OPT, 3, 4.2, 4.2, 4.2, 4.2, ns(s, 9, 30), 1), "BAD_OPTIONS_TICKER"),
        (line(SPY_C, 120, 5.0 - j, 4.95 - j, 5.02 - j, 4.9 - j, ns(s, 9, 31), 18), "OK"),
        (line(SPY_P, 95, 4.4 + j, 4.5 + j, 4.55 + j, 4.38 + j, ns(s, 10, 0), 12), "OK"),
        (line(SDS1_C, 2, 0.35, 0.35, 0.35, 0.35, ns(s, 10, 15), 1), "OK"),
        (line(SPY_C, 64, 4.7 - j, 4.6 - j, 4.72 - j, 4.58 - j, ns(s, 16, 14), 9), "OK"),
    ], "hand-made options minute session (09:30-16:14 ET)")

# ---------------------------------------------------------------------------------------------
# Whole-file rejects, kept apart so the main fixture run exits 0.

bad_files = OrderedDict()
s = date(2024, 1, 10)
body = (HEADER + "\n" + "\n".join(day_bar(t, 6, s) for t in ("AAPL", "SPY", "SDS", "CON", "MSFT")) + "\n").encode()
whole = gzip.compress(body, compresslevel=9, mtime=0)
bad_files[key(STOCKS_DAY, s)] = (whole[: len(whole) // 2], "CORRUPT_GZIP",
                                 f"valid gzip of 5 rows cut to its first {len(whole) // 2} of {len(whole)} bytes")
s = date(2024, 1, 11)
no_close_header = "ticker,volume,open,high,low,window_start,transactions"
body = no_close_header + "\n" + "\n".join(
    ",".join(day_bar(t, 7, s).split(",")[:3] + day_bar(t, 7, s).split(",")[4:])
    for t in ("AAPL", "SPY", "SDS")) + "\n"
bad_files[key(STOCKS_DAY, s)] = (gzip.compress(body.encode(), compresslevel=9, mtime=0), "MISSING_COLUMN",
                                 "header without `close` (7 columns), 3 rows")


# ---------------------------------------------------------------------------------------------
def write():
    for root in (FLAT, BAD):
        if root.exists():
            shutil.rmtree(root)
    for rel, f in files.items():
        p = FLAT / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        text = HEADER + "\n" + "".join(r + "\n" for r, _ in f["rows"])
        p.write_bytes(gzip.compress(text.encode(), compresslevel=9, mtime=0))
    actions = FLAT / "corporate_actions"
    actions.mkdir(parents=True, exist_ok=True)
    for name, results in (("splits.json", SPLITS), ("dividends.json", DIVIDENDS)):
        body = {"status": "OK", "request_id": "fixture", "results": results}
        (actions / name).write_text(json.dumps(body, indent=1) + "\n")
    for rel, (data, _, _) in bad_files.items():
        p = BAD / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def dataset_of(rel):
    return rel.split("/")[0] + "/" + rel.split("/")[1]


def ticker_of(row):
    return row.split(",")[0]


def readme():
    out = [README_HEAD]
    out.append("## Fixture files\n")
    out.append("| file | rows | what it holds |\n|---|---|---|")
    for rel, f in files.items():
        out.append(f"| `flatfiles/{rel}` | {len(f['rows'])} | {f['note']} |")
    for rel, (_, reason, note) in bad_files.items():
        out.append(f"| `bad-files/{rel}` | - | {reason}: {note} |")
    out.append("| `stocknet/...` | 108,592 | real Yahoo daily bars, 88 tickers, 1,258 sessions 2012-09-04..2017-09-01 (see stocknet/README.md) |")

    out.append("\n## Expected facts per file (flatfiles/)\n")
    out.append("`good` = rows written to the lake; `dup` = exact duplicates dropped (not quarantined); "
               "quarantine = rows sent to dead letters, by reason code.\n")
    out.append("| dataset | session | lines | good | dup | quarantined by reason | good symbols |\n|---|---|---|---|---|---|---|")
    totals = defaultdict(lambda: defaultdict(int))
    for rel, f in files.items():
        ds, sess = dataset_of(rel), rel.rsplit("/", 1)[1][:10]
        good = [r for r, o in f["rows"] if o == "OK"]
        dup = sum(1 for _, o in f["rows"] if o == "DUP")
        q = defaultdict(int)
        for _, o in f["rows"]:
            if o not in ("OK", "DUP"):
                q[o] += 1
        for k, v in q.items():
            totals[ds][k] += v
        totals[ds]["good"] += len(good)
        totals[ds]["dup"] += dup
        syms = sorted({ticker_of(r) for r in good})
        qs = ", ".join(f"{k} {v}" for k, v in sorted(q.items())) or "-"
        out.append(f"| {ds} | {sess} | {len(f['rows'])} | {len(good)} | {dup} | {qs} | {' '.join(syms) or '-'} |")

    out.append("\n## Totals per dataset (flatfiles/)\n")
    out.append("| dataset | good | dup | quarantined by reason |\n|---|---|---|---|")
    for ds, t in totals.items():
        qs = ", ".join(f"{k} {v}" for k, v in sorted(t.items()) if k not in ("good", "dup")) or "-"
        out.append(f"| {ds} | {t['good']} | {t['dup']} | {qs} |")

    for ds in (STOCKS_DAY, STOCKS_MIN, OPT_DAY, OPT_MIN):
        out.append(f"\n## Sessions per symbol, {ds} (good rows only)\n")
        out.append("| symbol | sessions |\n|---|---|")
        per = defaultdict(list)
        for rel, f in files.items():
            if dataset_of(rel) != ds:
                continue
            sess = rel.rsplit("/", 1)[1][:10]
            counts = defaultdict(int)
            for r, o in f["rows"]:
                if o == "OK":
                    counts[ticker_of(r)] += 1
            for t, n in counts.items():
                per[t].append(sess if ds.endswith("day_aggs_v1") else f"{sess} ({n} bars)")
        for t in sorted(per):
            out.append(f"| `{t}` | {', '.join(sorted(per[t]))} |")

    out.append("\n## Underlying closes for moneyness (strike / underlying close)\n")
    out.append("| session | SPY close | SDS close | SPY 470 strike moneyness | SDS1 30 strike moneyness |\n|---|---|---|---|---|")
    for s in OPTION_SESSIONS:
        closes = {ticker_of(r): float(r.split(",")[3]) for r, o in files[key(STOCKS_DAY, s)]["rows"] if o == "OK"}
        out.append(f"| {s} | {num(closes['SPY'])} | {num(closes['SDS'])} | {470 / closes['SPY']:.6f} | {30 / closes['SDS']:.6f} |")
    out.append(README_TAIL)
    (HERE / "README.md").write_text("\n".join(out) + "\n")


README_HEAD = """\
# testdata

Fixtures for unit and end-to-end tests. **Generated** by `make-fixtures.py` (python3, standard
library only; gzip with mtime=0, so bytes are reproducible): edit the script, rerun it, commit
the script, the `.gz` files and this README together. Tests find this folder through the system
property `testdata.dir` (the root pom sets it for surefire), falling back to `../testdata`.

- `flatfiles/` - object keys exactly as in the provider bucket:
  `<us_stocks_sip|us_options_opra>/<day_aggs_v1|minute_aggs_v1>/YYYY/MM/YYYY-MM-DD.csv.gz`, one file
  per NYSE session, header `ticker,volume,open,close,high,low,window_start,transactions`,
  window_start in ns since the epoch. Day bars carry 00:00 America/New_York of the session
  (05:00Z in EST) except the official stocks-day example (16:00 EDT). A run over `flatfiles/`
  quarantines rows but rejects no file: it must exit 0.
- `bad-files/` - same layout, two files a run must reject **whole** (CORRUPT_GZIP,
  MISSING_COLUMN). Kept apart so the main run stays clean.
- `stocknet/` - unchanged copy of /work/shared/data/stocknet (real daily bars, MIT, see its
  README and LICENSE); its `transactions` field is empty on every row.

## Official example files

| file here | source | status |
|---|---|---|
| `flatfiles/us_stocks_sip/day_aggs_v1/2023/03/2023-03-28.csv.gz` | massive.com/docs/flat-files/stocks/day-aggregates "Example Data" (10 rows; same rows as `stocks_day_candlesticks_example.csv`) | found, rows unchanged |
| `flatfiles/us_stocks_sip/minute_aggs_v1/2023/03/2023-03-28.csv.gz` | massive.com/docs/examples/stocks_minute_candlesticks_example.csv - the 3 leading MSFT rows as quoted verbatim, with that URL, in a public Swift client's test suite; the full file was not reachable | found (first 3 rows only), rows unchanged |
| `flatfiles/us_options_opra/day_aggs_v1/2023/03/2023-03-27.csv.gz` | massive.com/docs/flat-files/options/day-aggregates "Example Data" (3 rows) | found, rows unchanged |
| `flatfiles/us_options_opra/minute_aggs_v1/2023/03/2023-03-27.csv.gz` | **not found** (neither `options_minute_candlesticks_example.csv` nor a docs example table was reachable) | **constructed**: the three documented options-day contracts with made-up 2023-03-27 minute bars |

The seed repository's copies (`docs/examples/sample-data/*.csv` of nittygritty-zzy/quantmini)
are not in the code index, so the byte layout used is: header line, rows, `\\n` line ends, final
newline. Real quirks kept: stocks-day window_start = 2023-03-28 16:00 EDT (still the key's
session in New York time, so OK); stocks-minute window_start has 17 digits (value/100, i.e.
1970-07-14 when read as ns, so WRONG_SESSION); the options-day example mixes two sessions (the
SPY row carries 2023-03-13 00:00 EDT, filed here under 2023-03-27, so WRONG_SESSION); root
`NANOS` (5 letters) is a valid OCC root.

## Rules the expectations assume

- Session of a row = date in its object key; a row is WRONG_SESSION when window_start, read as
  ns and converted to America/New_York, is not on that date (minute bars at 19:59 ET in EST are
  00:59Z of the next UTC day and are NOT wrong).
- Required fields: ticker, volume, open, close, high, low, window_start; `transactions` may be
  empty (row kept, transactions missing).
- Reason precedence when several apply: WRONG_COLUMN_COUNT, EMPTY_FIELD, BAD_NUMBER, NOT_FINITE
  (`NaN`, `inf`, `-inf`, `Infinity` - note Java's `Double.parseDouble("inf")` throws, so map it
  to NOT_FINITE explicitly), BAD_TICKER / BAD_OPTIONS_TICKER, NEGATIVE_PRICE, NEGATIVE_VOLUME,
  HIGH_BELOW_LOW, OPEN_CLOSE_OUTSIDE_RANGE, WRONG_SESSION, then DUPLICATE_CONFLICT. Each bad row
  here triggers one reason only, except `XHBL` (high < low leaves no range for open/close: it is
  HIGH_BELOW_LOW).
- BAD_TICKER: contains `/`, `\\`, `..` or whitespace. Case is significant: `ADSw` and `ADSW` are
  two symbols (paths and Qlib's lower-cased names must not merge them); `CON` is a normal symbol
  (a Windows reserved file name). BAD_OPTIONS_TICKER: not `O:` + root (1-6 chars, letters then
  optional digit) + YYMMDD + C|P + 8 digits; adjusted roots like `SDS1` are valid.
- Duplicates are judged per (dataset, ticker, window_start) among rows that passed the row
  checks: identical copies -> keep one, count the rest as `dup`; differing copies -> every
  copy DUPLICATE_CONFLICT.
- Volume is a number: `58414460.7` (fractional) and `3012345678` (> 2^31) are valid.
"""

README_TAIL = """
## Corporate actions (flatfiles/corporate_actions/)

`splits.json` and `dividends.json`, each one response object in the provider's REST format, so the
README's default run adjusts prices (`--corporateActions=auto` finds `<input>/corporate_actions/`):

| event | effect on the factor (anchored at each symbol's first bar) |
|---|---|
| ADSW split 1:4 executed 2024-01-05 (raw prices divided by 4 from that session) | F = 4 from 2024-01-05 |
| the same split again under another id | counted as a duplicate, applied once |
| ADSW cash dividend 0.10 USD ex 2024-01-09 | F *= P / (P - 0.10), P = raw close of 2024-01-08 |
| IPOX cash dividend 0.05 USD ex 2024-01-04, its first bar | skipped and counted (no earlier close) |
| NOBAR split 1:2 on 2024-01-03 | counted as an event for a ticker without bars |
## File-level rejects (bad-files/)

| file | reason | rows written |
|---|---|---|
| `bad-files/us_stocks_sip/day_aggs_v1/2024/01/2024-01-10.csv.gz` | CORRUPT_GZIP | 0 (the whole file is rejected, even rows before the cut) |
| `bad-files/us_stocks_sip/day_aggs_v1/2024/01/2024-01-11.csv.gz` | MISSING_COLUMN | 0 |
"""

if __name__ == "__main__":
    write()
    readme()
    print(f"wrote {len(files)} files under {FLAT}, {len(bad_files)} under {BAD}, and README.md")
