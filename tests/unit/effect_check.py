"""Effect sizes and intervals worked out independently of planpack, for test_report_effect.

Reads cases from its arguments and prints one line per case with the estimate and the 95%
interval. Each case is computed from the individual answers, not from counts per level, and
checked against SciPy where SciPy has the statistic:

  cliff B A   before and after answers (comma-separated levels): Cliff's delta from the
              whole dominance matrix, checked against the Mann-Whitney U of scipy.stats;
              Cliff's (1993) unbiased variance and his asymmetric interval.
  pairs P     pairs "before:after,...": the matched-pairs rank-biserial correlation from
              scipy.stats.rankdata, checked against scipy.stats.wilcoxon; the interval of
              the R package effectsize (Fisher's z with the signed-rank statistic's spread).
  wilson X N  scipy.stats.binomtest(X, N).proportion_ci(method="wilson").
"""
import math
import sys

import numpy as np
from scipy import stats

Z = stats.norm.ppf(0.975)


def cliff(before, after):
    x = np.array(before, dtype=float)
    y = np.array(after, dtype=float)
    n1, n2 = len(x), len(y)
    dom = np.sign(np.subtract.outer(y, x)).T  # dom[i, j] = sign(after_j - before_i)
    d = dom.mean()
    u = stats.mannwhitneyu(y, x).statistic  # pairs with after > before, ties counted half
    assert abs((2 * u - n1 * n2) / (n1 * n2) - d) < 1e-12
    di = dom.mean(axis=1)
    dj = dom.mean(axis=0)
    s2 = (n2 * n2 * ((di - d) ** 2).sum() + n1 * n1 * ((dj - d) ** 2).sum()
          - ((dom - d) ** 2).sum()) / (n1 * n2 * (n1 - 1) * (n2 - 1))
    s2 = max(s2, 0.0)
    s = math.sqrt(s2)
    half = Z * s * math.sqrt((1 - d * d) ** 2 + Z * Z * s2)
    den = 1 - d * d + Z * Z * s2
    if den == 0:  # every pair agrees and nothing varies: the interval is the point
        return d, d, d
    return d, (d - d ** 3 - half) / den, (d - d ** 3 + half) / den


def pairs(ps):
    diff = np.array([a - b for b, a in ps], dtype=float)
    diff = diff[diff != 0]
    n = len(diff)
    ranks = stats.rankdata(np.abs(diff))
    tplus = ranks[diff > 0].sum()
    tminus = ranks[diff < 0].sum()
    w = stats.wilcoxon(diff, zero_method="wilcox", correction=False).statistic
    assert abs(min(tplus, tminus) - w) < 1e-9
    r = (tplus - tminus) / (tplus + tminus)
    se = math.sqrt((2 * n ** 3 + 3 * n ** 2 + n) / 6) / ((n ** 2 + n) / 2)
    rc = min(max(r, -1 + 1e-9), 1 - 1e-9)
    return r, math.tanh(math.atanh(rc) - Z * se), math.tanh(math.atanh(rc) + Z * se)


def wilson(x, n):
    ci = stats.binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    return x / n, ci.low, ci.high


def levels(arg):
    return [int(v) for v in arg.split(",")]


args = sys.argv[1:]
while args:
    kind = args.pop(0)
    if kind == "cliff":
        out = cliff(levels(args.pop(0)), levels(args.pop(0)))
    elif kind == "pairs":
        out = pairs([tuple(int(v) for v in p.split(":")) for p in args.pop(0).split(",")])
    elif kind == "wilson":
        out = wilson(int(args.pop(0)), int(args.pop(0)))
    else:
        sys.exit("effect_check.py: unknown case " + kind)
    print(kind, " ".join(repr(float(v)) for v in out))
