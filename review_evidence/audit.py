"""Statistical consistency audits for numbers printed in papers.

The checks follow the logic of *statcheck* (Nuijten et al. 2016; Epskamp & Nuijten's R package:
recompute a p-value from the printed test statistic and degrees of freedom, allow for rounding,
and flag "decision errors" that flip significance) and of the *GRIM* test (Brown & Heathers 2017,
Social Psychological and Personality Science 8(4), 363-369: a mean of integer data must equal
some integer divided by the number of values).  Every check uses only the printed numbers, so it
can show that numbers *cannot all be right as printed*; it can never show which one is wrong, nor
that consistent numbers are true.

Rounding intervals
------------------
A number printed with ``d`` decimals stands for any value within half a unit of its last digit,
``x +/- 0.5 * 10**-d`` (``93.8`` -> [93.75, 93.85]; ``92`` -> [91.5, 92.5]).  The number of decimals
is read from the printed form: pass strings (``"0.10"``) or an explicit ``decimals=`` when trailing
zeros matter, because a Python float ``0.10`` prints as ``0.1`` and would be treated as one decimal.
Reading too few decimals only widens the intervals, so it can hide an inconsistency but never
create one.

Verdicts (``AuditResult.verdict``)
----------------------------------
``"consistent"``
    The value recomputed from the printed inputs *as printed* agrees with the reported value at
    the reported precision (the recomputed point lies within the reported value's rounding
    interval; for ``p < .05`` style reports, the recomputed p satisfies the inequality).
``"rounding"``
    The point recomputation disagrees, but some combination of inputs inside their rounding
    intervals reproduces the reported value (the recomputed range overlaps the reported value's
    rounding interval).  Not evidence of an error.
``"inconsistent"``
    No inputs compatible with the printed ones reproduce the reported value, but the discrepancy
    does not cross a decision threshold.
``"changes the conclusion"``
    Inconsistent AND the whole recomputed range lies on the other side of a decision threshold
    from the reported value: significance at ``alpha`` (reported significant, recomputed not, or
    vice versa); the sign of a change (reported increase, recomputed decrease); the sign of a
    standardised coefficient; or the order of two models (reported F1 beats a competitor's
    printed F1, recomputed F1 cannot).
``None``
    Only :func:`p_from_r` when neither a p-value nor a significance claim is given: there is
    nothing to audit, and the result just carries the recomputed p and ``significant``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from statistics import NormalDist

import numpy as np

VERDICTS = ("consistent", "rounding", "inconsistent", "changes the conclusion")
ALPHA = 0.05


@dataclass(frozen=True)
class AuditResult:
    """Outcome of one check. ``recomputed_range`` is the (low, high) range the printed inputs
    allow after rounding; ``significant`` is set by the p-value checks (recomputed p < alpha)."""

    check: str
    reported: object
    recomputed: float | None
    verdict: str | None
    reasoning: str
    recomputed_range: tuple | None = None
    significant: bool | None = None

    def __post_init__(self):
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS} or None, got {self.verdict!r}")


# ----------------------------------------------------------------------------- helpers

_STRIP = re.compile(r"[\s%+$,×xX]")


def _digits(x) -> str:
    """A printed number as text Decimal reads: units and separators dropped, a typographic minus made "-"."""
    if isinstance(x, str):
        return _STRIP.sub("", x.replace("\u2212", "-"))  # also accept a typographic minus
    return str(x)  # str, not repr: numpy 2 reprs read "np.float64(…)"; str(float) is its shortest round-trip form


def _parse(x, decimals: int | None, name: str) -> tuple[float, int]:
    """Return (value, printed decimals) of a printed number (str, int, float or Decimal).
    Strings may carry '%', '+', '$', ',' or a trailing '×'/'x' (e.g. "2×", "+57.7%", "$43.20")."""
    if isinstance(x, bool) or x is None:
        raise ValueError(f"{name} must be a number or a numeric string, got {x!r}")
    try:
        dec = Decimal(_digits(x))
    except InvalidOperation:
        raise ValueError(f"{name}: cannot read a number from {x!r}") from None
    if not dec.is_finite():
        raise ValueError(f"{name} must be finite, got {x!r}")
    if decimals is None:
        decimals = max(0, -dec.as_tuple().exponent)
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    return float(dec), int(decimals)


def _half(d: int) -> float:
    return 0.5 * 10.0 ** (-d)


def printed_interval(printed) -> tuple[float, float]:
    """The interval a printed number stands for after rounding: "18%" -> (17.5, 18.5), "+57.7%" -> (57.65, 57.75)."""
    value, decimals = _parse(printed, None, "printed")
    return value - _half(decimals), value + _half(decimals)


def _fmt(v: float, sig: int = 4) -> str:
    return f"{v:.{sig}g}" if abs(v) < 1e-3 else f"{v:.{sig}f}".rstrip("0").rstrip(".")  # both print 0 as "0"


def _verdict(point: float, lo: float, hi: float, rep: float, h_rep: float, crosses: bool) -> str:
    """Shared rule: point inside the reported rounding interval -> consistent; recomputed range
    overlapping it -> rounding; otherwise inconsistent, escalated when a threshold is crossed."""
    tol = 1e-12 * max(1.0, abs(rep))
    if rep - h_rep - tol <= point <= rep + h_rep + tol:
        return "consistent"
    if lo <= rep + h_rep + tol and hi >= rep - h_rep - tol:
        return "rounding"
    return "changes the conclusion" if crosses else "inconsistent"


# ----------------------------------------------------------------------------- F1


def f1_from_precision_recall(
    precision, recall, reported_f1, decimals: int | None = None, scale: float | None = None, competitor_f1=None
) -> AuditResult:
    """Is a printed F1 the harmonic mean 2PR/(P+R) of the printed precision and recall?

    Why it works: F1 is a deterministic function of P and R and increases in both, so the F1
    range allowed by rounding is [F1(P-h, R-h), F1(P+h, R+h)].  ``scale`` is 1 (proportions)
    or 100 (percent); by default 100 if any value exceeds 1.  ``competitor_f1`` (printed F1 of a
    rival model) lets the check say whether the discrepancy changes which model ranks higher.
    Limits: only valid if all three were computed on the same data with the same averaging
    (macro-F1 is the mean of per-class F1s, NOT the harmonic mean of macro-P and macro-R, so a
    mismatch there may be legitimate); the scale of mixed-scale inputs cannot be detected.
    """
    p, dp = _parse(precision, decimals, "precision")
    r, dr = _parse(recall, decimals, "recall")
    f, df_ = _parse(reported_f1, decimals, "reported_f1")
    if scale is None:
        scale = 100.0 if max(p, r, f) > 1 else 1.0
    if scale not in (1, 100):
        raise ValueError(f"scale must be 1 or 100, got {scale}")
    for name, v in (("precision", p), ("recall", r), ("reported_f1", f)):
        if not 0 <= v <= scale:
            raise ValueError(f"{name} = {v} is outside [0, {scale:g}]")

    def f1(a, b):
        return 0.0 if a + b == 0 else 2 * a * b / (a + b)

    point = f1(p, r)
    lo = f1(max(p - _half(dp), 0), max(r - _half(dr), 0))
    hi = f1(min(p + _half(dp), scale), min(r + _half(dr), scale))
    crosses, note = False, ""
    if competitor_f1 is not None:
        c, _ = _parse(competitor_f1, None, "competitor_f1")
        crosses = (f > c and hi <= c) or (f < c and lo >= c)
        note = (
            f" Against competitor F1 {_fmt(c)}: reported {'>' if f > c else '<='} competitor; "
            f"recomputed range {'reverses' if crosses else 'does not reverse'} that order."
        )
    verdict = _verdict(point, lo, hi, f, _half(df_), crosses)
    reasoning = (
        f"2*{_fmt(p)}*{_fmt(r)}/({_fmt(p)}+{_fmt(r)}) = {_fmt(point)}; rounding of the "
        f"inputs allows [{_fmt(lo)}, {_fmt(hi)}]; reported {_fmt(f)} stands for "
        f"[{_fmt(f - _half(df_))}, {_fmt(f + _half(df_))}].{note}"
    )
    return AuditResult("F1 = 2PR/(P+R)", reported_f1, point, verdict, reasoning, (lo, hi))


# ----------------------------------------------------------------------------- changes


def percent_change(before, after, reported_change, kind: str = "percent", decimals: int | None = None) -> AuditResult:
    """Is a printed change consistent with the printed before/after values?

    ``kind="percent"``: reported_change is (after/before - 1) * 100 (e.g. ``"+57.7%"``; a
    reduction is negative).  ``kind="multiplier"``: reported_change is after/before (e.g. ``"2×"``).
    Why it works: the ratio rises in ``after`` and falls in ``before`` (before > 0), so rounding
    bounds give [a_lo/b_hi, a_hi/b_lo].  The conclusion changes if the recomputed range lies
    wholly on the other side of "no change" (0 % or 1×).  Limits: assumes both values measure the
    same quantity on the same base; percentage-point changes (4.1 % - 2.6 % = 1.5 pp) are a
    different quantity and will (correctly) be flagged if printed as a percent change.
    """
    if kind not in ("percent", "multiplier"):
        raise ValueError(f"kind must be 'percent' or 'multiplier', got {kind!r}")
    b, db = _parse(before, decimals, "before")
    a, da = _parse(after, decimals, "after")
    rep, dr = _parse(reported_change, decimals, "reported_change")
    if b - _half(db) <= 0:  # covers b <= 0 too
        raise ValueError(f"before must be positive (and not round to zero), got {before!r}")
    if a < 0:
        raise ValueError(f"after must be non-negative, got {after!r}")
    if kind == "multiplier" and rep <= 0:
        raise ValueError(f"a multiplier must be positive, got {reported_change!r}")

    def conv(ratio):
        return (ratio - 1) * 100 if kind == "percent" else ratio

    point = conv(a / b)
    lo = conv(max(a - _half(da), 0) / (b + _half(db)))
    hi = conv((a + _half(da)) / (b - _half(db)))
    null = 0.0 if kind == "percent" else 1.0
    crosses = (rep > null and hi <= null) or (rep < null and lo >= null)
    verdict = _verdict(point, lo, hi, rep, _half(dr), crosses)
    unit = "%" if kind == "percent" else "×"
    formula = f"({_fmt(a)}/{_fmt(b)} - 1)*100" if kind == "percent" else f"{_fmt(a)}/{_fmt(b)}"
    reasoning = (
        f"{formula} = {_fmt(point)}{unit}; rounding of before/after allows "
        f"[{_fmt(lo)}, {_fmt(hi)}]{unit}; reported {_fmt(rep)}{unit} stands for "
        f"[{_fmt(rep - _half(dr))}, {_fmt(rep + _half(dr))}]{unit}."
    )
    return AuditResult(f"{kind} change", reported_change, point, verdict, reasoning, (lo, hi))


def ratio_change(before, after, reported_multiplier, decimals: int | None = None) -> AuditResult:
    """Multiplicative change ("2×", "3.6x"): after/before vs the printed multiplier.
    Same logic and limits as :func:`percent_change` with ``kind="multiplier"``; note that a
    one-significant-digit multiplier such as "2×" stands for anything in [1.5, 2.5]."""
    return percent_change(before, after, reported_multiplier, kind="multiplier", decimals=decimals)


# ----------------------------------------------------------------------------- p-values

_P_RE = re.compile(r"^\s*(?:p\s*)?(<=|>=|≤|≥|<|>|=)?\s*(\d*\.?\d+)\s*$", re.IGNORECASE)


def _parse_p(reported_p) -> tuple[str, float, int]:
    if isinstance(reported_p, str):
        m = _P_RE.match(reported_p)
        if not m:
            raise ValueError(f"cannot read a p-value from {reported_p!r} (use e.g. '.03', '< .05')")
        op = {"≤": "<=", "≥": ">=", None: "="}.get(m.group(1), m.group(1))
        val, dec = _parse(m.group(2), None, "reported_p")
    else:
        op, (val, dec) = "=", _parse(reported_p, None, "reported_p")
    if not 0 <= val <= 1:
        raise ValueError(f"reported_p = {val} is outside [0, 1]")
    return op, val, dec


def _p_of_t(t: float, df: float, alternative: str) -> float:
    from scipy import stats  # here, not at the top: a chapter pays for SciPy only if it computes a p-value

    if alternative == "two-sided":
        return float(2 * stats.t.sf(abs(t), df))
    return float(stats.t.sf(t, df) if alternative == "greater" else stats.t.cdf(t, df))


def _check_p(
    t: float, t_lo: float, t_hi: float, df: float, reported_p, alternative: str, alpha: float, check: str, how: str
) -> AuditResult:
    """statcheck-style comparison of a reported p with the p implied by t in [t_lo, t_hi]."""
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}")
    if not df > 0:
        raise ValueError(f"df must be positive, got {df}")
    point = _p_of_t(t, df, alternative)
    ends = [_p_of_t(t_lo, df, alternative), _p_of_t(t_hi, df, alternative)]
    lo, hi = min(ends), max(ends)
    if alternative == "two-sided" and t_lo < 0 < t_hi:
        hi = 1.0
    sig = point < alpha
    op, x, dec = _parse_p(reported_p)
    if op == "=":
        verdict = _verdict(point, lo, hi, x, _half(dec), False)
        rep_sig = x <= alpha  # statcheck's default: a printed p = .05 counts as significant
    else:
        holds = {"<": lambda v: v < x, "<=": lambda v: v <= x, ">": lambda v: v > x, ">=": lambda v: v >= x}[op]
        verdict = "consistent" if holds(point) else "rounding" if holds(lo) or holds(hi) else "inconsistent"
        rep_sig = True if op in ("<", "<=") and x <= alpha else (False if op in (">", ">=") and x >= alpha else None)
    if verdict == "inconsistent" and rep_sig is not None:
        if (rep_sig and lo >= alpha) or (not rep_sig and hi < alpha):
            verdict = "changes the conclusion"
    reasoning = (
        f"{how}; {alternative} p = {_fmt(point)} ({'<' if sig else '>='} {alpha:g}); "
        f"rounding of the inputs allows p in [{_fmt(lo)}, {_fmt(hi)}]; reported "
        f"p {op} {_fmt(x)}"
        + (f" (stands for [{_fmt(max(x - _half(dec), 0))}, {_fmt(x + _half(dec))}])" if op == "=" else "")
        + "."
    )
    return AuditResult(check, reported_p, point, verdict, reasoning, (lo, hi), sig)


def p_from_t_value(
    t, df: float, reported_p, alternative: str = "two-sided", decimals: int | None = None, alpha: float = ALPHA
) -> AuditResult:
    """statcheck for a printed t statistic: p from t(df), with t's rounding interval.
    Limits: df must be the test's real df; a printed "p < .05" can only be checked one way."""
    tv, d = _parse(t, decimals, "t")
    return _check_p(
        tv,
        tv - _half(d),
        tv + _half(d),
        float(df),
        reported_p,
        alternative,
        alpha,
        "p from t(df)",
        f"t({_fmt(float(df))}) = {_fmt(tv)}",
    )


def p_from_t(
    beta, se, df: float, reported_p, alternative: str = "two-sided", decimals: int | None = None, alpha: float = ALPHA
) -> AuditResult:
    """Does a regression row (coefficient, SE, p) hang together?  t = beta/se, p from t(df).

    Why it works: the Wald t of a coefficient is estimate/SE and its p follows from t(df).  The
    printed beta and SE carry rounding intervals, so |t| lies in
    [(|b|-h)/(se+h), (|b|+h)/(se-h)] and p in the matching range.  Limits: df (n - k - 1 for OLS)
    must be known or bounded by the caller (try both plausible values when the number of dummy
    predictors is unclear); if the printed "β" is standardised but the SE belongs to the
    unstandardised b, the ratio is meaningless; z-based software output differs slightly from t.
    """
    b, db = _parse(beta, decimals, "beta")
    s, ds = _parse(se, decimals, "se")
    if s <= 0:
        raise ValueError(f"se must be positive, got {se!r}")
    hb, hs = _half(db), _half(ds)
    t = b / s
    t_abs_lo = max(abs(b) - hb, 0) / (s + hs)
    t_abs_hi = math.inf if s - hs <= 0 else (abs(b) + hb) / (s - hs)
    sign = 1 if b >= 0 else -1
    if abs(b) - hb <= 0:  # beta's interval straddles zero: t can have either sign
        t_lo, t_hi = -t_abs_hi, t_abs_hi
    else:
        t_lo, t_hi = sorted((sign * t_abs_lo, sign * t_abs_hi))
    return _check_p(
        t,
        t_lo,
        t_hi,
        float(df),
        reported_p,
        alternative,
        alpha,
        "p from beta/SE",
        f"t({_fmt(float(df))}) = {_fmt(b)}/{_fmt(s)} = {_fmt(t)}",
    )


def p_from_r(
    r,
    n: int,
    reported_p=None,
    claimed_significant: bool | None = None,
    decimals: int | None = None,
    alpha: float = ALPHA,
) -> AuditResult:
    """p of a Pearson correlation: t = r*sqrt((n-2)/(1-r^2)) on n-2 df (two-sided).

    With ``reported_p`` the check is statcheck-style.  Without it, ``claimed_significant`` (the
    text calls the association significant/real = True, or "no association" = False) is judged
    against the recomputed p; with neither, verdict is None and ``significant`` says whether
    p < alpha.  Limits: assumes a plain Pearson r on n complete pairs (pairwise deletion, Spearman
    or partial correlations have other df or distributions).
    """
    rv, d = _parse(r, decimals, "r")
    if not -1 <= rv <= 1:
        raise ValueError(f"r = {rv} is outside [-1, 1]")
    if int(n) != n or n < 3:
        raise ValueError(f"n must be an integer >= 3 (df = n - 2 >= 1), got {n!r}")
    n = int(n)

    def t_of(x):
        x = min(max(x, -1.0), 1.0)
        return math.copysign(math.inf, x) if abs(x) == 1 else x * math.sqrt((n - 2) / (1 - x * x))

    h = _half(d)
    t, t_lo, t_hi = t_of(rv), t_of(rv - h), t_of(rv + h)
    how = f"t({n - 2}) = {_fmt(rv)}*sqrt({n - 2}/(1-({_fmt(rv)})^2)) = {_fmt(t)}"
    if reported_p is not None:
        return _check_p(t, t_lo, t_hi, n - 2, reported_p, "two-sided", alpha, "p from r", how)
    point = _p_of_t(t, n - 2, "two-sided")
    ends = [_p_of_t(t_lo, n - 2, "two-sided"), _p_of_t(t_hi, n - 2, "two-sided")]
    lo, hi = min(ends), 1.0 if t_lo < 0 < t_hi else max(ends)
    sig = point < alpha
    if claimed_significant is None:
        verdict, claim = None, "no p-value or claim to compare"
    else:
        if bool(claimed_significant) == sig:
            verdict = "consistent"
        elif (lo < alpha) if claimed_significant else (hi >= alpha):
            verdict = "rounding"
        else:
            verdict = "changes the conclusion"
        claim = f"text claims {'a significant' if claimed_significant else 'no significant'} association"
    reasoning = (
        f"{how}; two-sided p = {_fmt(point)} ({'significant' if sig else 'not significant'}"
        f" at {alpha:g}); rounding of r allows p in [{_fmt(lo)}, {_fmt(hi)}]; {claim}."
    )
    return AuditResult("p from r", reported_p, point, verdict, reasoning, (lo, hi), sig)


# ----------------------------------------------------------------------------- GRIM


def grim(mean, n: int, decimals: int, items: int = 1) -> AuditResult:
    """GRIM (Brown & Heathers 2017): can a mean of integer data be printed as ``mean``?

    Why it works: the sum of N = n * items integers is an integer S, so the mean is S/N and,
    printed to ``decimals`` places, only some values are reachable.  The test only bites when
    N < 10**decimals; otherwise every printed value is reachable and the verdict is (vacuously)
    "consistent".  "rounding" = reachable only if the exact half (e.g. 1.125 -> 1.12) was rounded
    down rather than up.  Limits: integer data only (Likert items, counts - not continuous
    measures, not means of percentages); n must be the n actually averaged (missing data
    lower it); composite scores need the right ``items``.
    """
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if int(items) != items or items < 1:
        raise ValueError(f"items must be a positive integer, got {items!r}")
    if int(decimals) != decimals or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")
    m_val, _ = _parse(mean, decimals, "mean")
    # The mean exactly as printed (a typographic minus read as "-", like everywhere else in this module).
    M = Fraction(Decimal(_digits(mean))).limit_denominator(10 ** (decimals + 6))
    N, half = int(n) * int(items), Fraction(1, 2 * 10 ** int(decimals))
    centre = math.floor(M * N)
    sums = range(centre - 2, centre + 3)
    half_up = [S for S in sums if M - half <= Fraction(S, N) < M + half]
    boundary = [S for S in sums if Fraction(S, N) == M + half]
    near = [f"{S}/{N} = {float(Fraction(S, N)):.{decimals + 2}f}" for S in (centre, centre + 1)]
    how = f"{_fmt(m_val)} × {N} = {float(M * N):.{decimals}f}; " + ", ".join(near)
    nearest = min(sums, key=lambda S: abs(Fraction(S, N) - M))
    recomputed = round(float(Fraction(nearest, N)), int(decimals))
    if N >= 10**decimals:
        verdict, why = (
            "consistent",
            (
                f"N = {N} >= 10^{decimals}: every {decimals}-decimal mean is "
                f"reachable, so GRIM cannot detect anything here"
            ),
        )
    elif half_up:
        verdict, why = "consistent", f"reachable (sum {half_up[0]})"
    elif boundary:
        verdict, why = "rounding", f"reachable only by rounding the half {boundary[0]}/{N} down"
    else:
        verdict, why = "inconsistent", f"no integer sum over N = {N} gives {_fmt(m_val)} at {decimals} dp"
    return AuditResult("GRIM", mean, recomputed, verdict, f"{how}: {why}.")


# ----------------------------------------------------------------------------- matrices


def correlation_matrix_validity(matrix, labels: Sequence[str], decimals: int = 2) -> AuditResult:
    """Can ``matrix`` be a correlation matrix (printed to ``decimals`` places)?

    Checks: square, matching labels, symmetric, unit diagonal, entries in [-1, 1], and positive
    semi-definite.  Any correlation matrix computed from complete data is PSD; rounding every
    off-diagonal entry by at most h = 0.5*10^-d moves each eigenvalue by at most (p-1)*h (Weyl's
    inequality with the row-sum bound on the perturbation's norm), so the smallest eigenvalue is
    accepted as "rounding" down to -(p-1)*h.  Limits: the tolerance is a conservative (lenient)
    bound; pairwise-deletion matrices can be legitimately non-PSD; a valid matrix can still be
    wrong.  ``recomputed`` is the smallest eigenvalue.
    """
    R = np.asarray(matrix, dtype=float)
    if R.ndim != 2 or R.shape[0] != R.shape[1]:
        raise ValueError(f"correlation matrix must be square, got shape {R.shape}")
    p = R.shape[0]
    if len(labels) != p:
        raise ValueError(f"{len(labels)} labels for a {p}x{p} matrix")
    if not np.all(np.isfinite(R)):
        raise ValueError("correlation matrix has missing or non-finite entries")
    h, problems = _half(decimals), []
    asym = [(labels[i], labels[j]) for i in range(p) for j in range(i + 1, p) if abs(R[i, j] - R[j, i]) > 1e-9]
    if asym:
        problems.append(f"asymmetric at {asym[:5]}")
    # One tolerance (float noise) for the test and the listing: np.allclose's default rtol let 1e-5 through.
    not_unit = [labels[i] for i in range(p) if abs(R[i, i] - 1) > 1e-9]
    if not_unit:
        problems.append(f"diagonal is not 1 for {not_unit}")
    if np.any(np.abs(R) > 1 + 1e-9):
        problems.append("entries outside [-1, 1]")
    lam = float(np.linalg.eigvalsh((R + R.T) / 2).min())
    tol = (p - 1) * h
    eig = f"smallest eigenvalue {lam:.4f} (rounding tolerance -{tol:.4f})"
    if problems:
        verdict, why = "inconsistent", "; ".join(problems) + f"; {eig}"
    elif lam >= -1e-12:
        verdict, why = "consistent", f"symmetric, unit diagonal, in [-1, 1], PSD: {eig}"
    elif lam >= -tol:
        verdict, why = "rounding", f"slightly non-PSD, within what rounding allows: {eig}"
    else:
        verdict, why = "inconsistent", f"not positive semi-definite: {eig}"
    return AuditResult("correlation matrix validity", f"{p}x{p} matrix", lam, verdict, why)


def standardized_beta(b: float, sd_x: float, sd_y: float) -> float:
    """Standardised coefficient from an unstandardised one: beta = b * sd_x / sd_y.
    Limits: needs the SDs of the analysis sample; meaningless for dummy predictors' 'SD' unless
    the paper standardised them too."""
    if sd_x <= 0 or sd_y <= 0:
        raise ValueError(f"standard deviations must be positive, got sd_x={sd_x}, sd_y={sd_y}")
    return float(b) * float(sd_x) / float(sd_y)


def standardized_betas_from_correlations(r_xx, r_xy) -> np.ndarray:
    """Standardised OLS coefficients from correlations: beta = R_xx^{-1} r_xy.
    Exact for OLS on z-scored variables with complete data and exactly these predictors."""
    Rxx, rxy = np.asarray(r_xx, dtype=float), np.asarray(r_xy, dtype=float).ravel()
    if Rxx.ndim != 2 or Rxx.shape[0] != Rxx.shape[1]:
        raise ValueError(f"r_xx must be square, got shape {Rxx.shape}")
    if rxy.shape[0] != Rxx.shape[0]:
        raise ValueError(f"r_xy has {rxy.shape[0]} entries for {Rxx.shape[0]} predictors")
    if np.linalg.cond(Rxx) > 1e12:
        raise ValueError("r_xx is singular: predictors are collinear")
    return np.linalg.solve(Rxx, rxy)


def beta_plausibility(r_xx, r_xy, reported_betas, labels: Sequence[str], decimals: int = 2) -> list[AuditResult]:
    """Are printed β the standardised coefficients implied by the printed correlations?

    Recomputes beta = R_xx^{-1} r_xy; the rounding band per coefficient is the first-order bound
    |d beta_i| <= sum_j |(R_xx^{-1})_ij| * h * (1 + sum_{k!=j} |beta_k|) with h = 0.5*10^-decimals
    (from d beta = R_xx^{-1}(d r_xy - d R_xx beta)).  A sign reversal beyond the band
    "changes the conclusion".  Limits: only valid when the regression has exactly these
    predictors (no extra dummies or covariates), the same complete-case sample, and the
    printed β really are standardised; the band is a linearisation, not a hard bound.
    """
    beta = standardized_betas_from_correlations(r_xx, r_xy)
    reps = [_parse(b, decimals, "beta")[0] for b in reported_betas]
    if len(reps) != len(beta) or len(labels) != len(beta):
        raise ValueError(f"need {len(beta)} reported betas and labels, got {len(reps)} and {len(labels)}")
    inv, h = np.linalg.inv(np.asarray(r_xx, dtype=float)), _half(decimals)
    tot = np.abs(beta).sum()
    band = np.abs(inv) @ (h * (1 + tot - np.abs(beta)))
    out = []
    for lab, b, rep, w in zip(labels, beta, reps, band):
        lo, hi = b - w, b + w
        crosses = (rep > 0 and hi <= 0) or (rep < 0 and lo >= 0)
        verdict = _verdict(b, lo, hi, rep, h, crosses)
        why = (
            f"{lab}: R_xx^-1 r_xy gives beta = {b:.4f}; rounding of the correlations allows about "
            f"[{lo:.4f}, {hi:.4f}]; reported {_fmt(rep)} stands for [{_fmt(rep - h)}, {_fmt(rep + h)}]."
        )
        out.append(
            AuditResult("standardised beta from correlations", rep, float(b), verdict, why, (float(lo), float(hi)))
        )
    return out


# ----------------------------------------------------------------------------- "no effect" claims

#: Smallest effect of interest for "no effect" claims: Cohen's (1988) "small" correlation, r = .10.
#: It is this book's named assumption; a reader who cares about smaller effects needs a smaller bound.
SMALLEST_EFFECT_OF_INTEREST = 0.10


def r_interval(r, n: int, level: float = 0.95) -> tuple[float, float]:
    """Confidence interval of a Pearson r by Fisher's z: tanh(atanh(r) ± z_{(1+level)/2} / sqrt(n - 3)).
    Limits: assumes bivariate normality and n complete pairs; r printed to d decimals adds rounding."""
    rv, _ = _parse(r, None, "r")
    if not -1 < rv < 1:
        raise ValueError(f"r = {rv} must lie strictly between -1 and 1 for an interval")
    if int(n) != n or n < 4:
        raise ValueError(f"n must be an integer >= 4, got {n!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level}")
    half = NormalDist().inv_cdf((1 + level) / 2) / math.sqrt(n - 3)
    z = math.atanh(rv)
    return math.tanh(z - half), math.tanh(z + half)


def smallest_detectable_r(n: int, alpha: float = ALPHA, power: float = 0.80) -> float:
    """The smallest |r| a two-sided test at ``alpha`` detects with probability ``power`` at this n
    (Fisher-z approximation): tanh((z_{1-alpha/2} + z_power) / sqrt(n - 3))."""
    if int(n) != n or n < 4:
        raise ValueError(f"n must be an integer >= 4, got {n!r}")
    return math.tanh((NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)) / math.sqrt(n - 3))


def smallest_detectable_coefficient(se, df: float, alpha: float = ALPHA, power: float = 0.80) -> float:
    """The smallest |coefficient| a two-sided t test at ``alpha`` detects with probability ``power``,
    given its standard error: (t_{1-alpha/2, df} + t_{power, df}) × SE (the usual approximation)."""
    from scipy import stats  # here, not at the top: only the chapters that use it pay for SciPy

    s, _ = _parse(se, None, "se")
    if s <= 0 or not df > 0:
        raise ValueError(f"need a positive SE and df, got se={se!r}, df={df!r}")
    return (float(stats.t.ppf(1 - alpha / 2, df)) + float(stats.t.ppf(power, df))) * s


@dataclass(frozen=True)
class NoEffectAssessment:
    """Whether data can support a claim of *no* (or negligible) effect, by equivalence reasoning.

    ``verdict`` is ``"equivalent"`` (the 90% interval lies inside ±bound: a two one-sided tests
    (TOST) procedure at alpha = .05 rules out any effect as large as the bound), ``"effect"``
    (the 95% interval excludes zero: the data contradict "no effect"), or
    ``"cannot rule out an effect"`` (the 95% interval holds zero *and* values at or beyond the
    bound: the data cannot tell).  A p-value above .05 alone never yields ``"equivalent"``.
    """

    estimate: float
    ci95: tuple[float, float]
    ci90: tuple[float, float]
    bound: float
    smallest_detectable: float
    verdict: str
    reasoning: str


def _no_effect(estimate: float, ci95, ci90, bound: float, detectable: float, what: str) -> NoEffectAssessment:
    if ci95[0] > 0 or ci95[1] < 0:
        verdict = "effect"
        why = f"the 95% interval [{ci95[0]:.3f}, {ci95[1]:.3f}] excludes zero"
    elif -bound < ci90[0] and ci90[1] < bound:
        verdict = "equivalent"
        why = f"the 90% interval [{ci90[0]:.3f}, {ci90[1]:.3f}] lies inside ±{bound:g} (TOST at .05)"
    else:
        verdict = "cannot rule out an effect"
        why = (
            f"the 95% interval [{ci95[0]:.3f}, {ci95[1]:.3f}] holds zero but also effects of {bound:g} or more, "
            f"so a p above .05 here is absence of evidence, not evidence of absence"
        )
    reasoning = (
        f"{what} = {estimate:g}: {why}. Smallest effect of interest ±{bound:g} (this book's assumption); "
        f"the smallest effect this design detects with 80% power at .05 is {detectable:.3f}."
    )
    return NoEffectAssessment(estimate, tuple(ci95), tuple(ci90), bound, detectable, verdict, reasoning)


def no_correlation_claim(r, n: int, bound: float = SMALLEST_EFFECT_OF_INTEREST) -> NoEffectAssessment:
    """Can a printed r on n rows support "no (or negligible) association"?  Equivalence on Fisher's z."""
    rv, _ = _parse(r, None, "r")
    return _no_effect(
        rv, r_interval(rv, n, 0.95), r_interval(rv, n, 0.90), bound, smallest_detectable_r(n), f"r (n = {n})"
    )


def no_coefficient_claim(beta, se, df: float, bound: float = SMALLEST_EFFECT_OF_INTEREST) -> NoEffectAssessment:
    """Can a printed coefficient with its SE support "no effect"?  t-based 95% and 90% intervals.
    Limits: ``bound`` is in the coefficient's own units, so it only means "small" if β is standardised."""
    from scipy import stats  # here, not at the top: only the chapters that use it pay for SciPy

    b, _ = _parse(beta, None, "beta")
    s, _ = _parse(se, None, "se")
    if s <= 0 or not df > 0:
        raise ValueError(f"need a positive SE and df, got se={se!r}, df={df!r}")
    t95, t90 = float(stats.t.ppf(0.975, df)), float(stats.t.ppf(0.95, df))
    return _no_effect(
        b,
        (b - t95 * s, b + t95 * s),
        (b - t90 * s, b + t90 * s),
        bound,
        smallest_detectable_coefficient(s, df),
        f"β (SE {s:g}, df {df:g})",
    )


# ----------------------------------------------------------------------------- impossible values


def f1_is_possible(precision, recall, reported_f1) -> tuple[bool, str]:
    """Could *any* precision and recall compatible with the printed ones give the printed F1?

    The harmonic mean of two numbers lies between them, so F1 is never below the smaller nor above
    the larger of precision and recall.  If the printed F1's rounding interval lies wholly outside
    [min(P, R) - h, max(P, R) + h], no inputs could produce it: the value is *impossible*, not just
    inconsistent.  Returns (possible, reason)."""
    p, dp = _parse(precision, None, "precision")
    r, dr = _parse(recall, None, "recall")
    f, df_ = _parse(reported_f1, None, "reported_f1")
    low, high = min(p - _half(dp), r - _half(dr)), max(p + _half(dp), r + _half(dr))
    f_low, f_high = f - _half(df_), f + _half(df_)
    if f_high < low or f_low > high:
        side = "below both" if f_high < low else "above both"
        return False, (
            f"F1 {_fmt(f)} lies {side} precision {_fmt(p)} and recall {_fmt(r)}; a harmonic mean "
            f"always lies between its two inputs, so no rounding of the inputs can produce it"
        )
    return True, f"F1 {_fmt(f)} lies within the range [{_fmt(low)}, {_fmt(high)}] that some inputs allow"


# ----------------------------------------------------------------------------- implied metrics


def implied_prevalence(accuracy, precision, recall) -> tuple[float, float, float]:
    """The share of positive cases a binary test set must have for accuracy, precision and recall
    to hold together: prevalence = (1 - A) / (R(1/P - 1) + 1 - R).

    Why it works: with prevalence π, TP = Rπ, FN = (1 - R)π and FP = TP(1/P - 1) (as shares of the
    test set), and 1 - A = FP + FN.  Accepts proportions or percentages (all three on one scale).
    Returns (point, low, high), the range taken over the printed values' rounding intervals.
    Limits: binary classification, precision and recall of the positive class, one test set; for
    micro-averaged multi-class metrics precision = recall = accuracy and the check does not apply."""
    values = [
        _parse(v, None, name) for v, name in ((accuracy, "accuracy"), (precision, "precision"), (recall, "recall"))
    ]
    scale = 100.0 if max(v for v, _ in values) > 1 else 1.0
    (a, da), (p, dp), (r, dr) = values
    ranges = [(a / scale, _half(da) / scale), (p / scale, _half(dp) / scale), (r / scale, _half(dr) / scale)]

    def prevalence(a_, p_, r_):
        return (1 - a_) / (r_ * (1 / p_ - 1) + 1 - r_)

    point = prevalence(*(v for v, _ in ranges))
    corners = [
        prevalence(a_, p_, r_)
        for a_ in (ranges[0][0] - ranges[0][1], ranges[0][0] + ranges[0][1])
        for p_ in (ranges[1][0] - ranges[1][1], min(ranges[1][0] + ranges[1][1], 1.0))
        for r_ in (ranges[2][0] - ranges[2][1], min(ranges[2][0] + ranges[2][1], 1.0))
    ]
    return point, min(corners), max(corners)


def shared_test_set(models: dict) -> AuditResult:
    """Can several models' (accuracy, precision, recall) come from one shared binary test set?

    Each model implies the test set's prevalence (:func:`implied_prevalence`); one test set has one
    prevalence, so the models' ranges must overlap.  ``models`` maps a name to (accuracy, precision,
    recall) as printed.  Verdict ``consistent`` if all ranges share a point, ``inconsistent`` if not
    (then the models were not evaluated on the same data, or a metric is wrong).  ``recomputed`` is
    the spread (max - min) of the point prevalences.  Limits as for :func:`implied_prevalence`."""
    if len(models) < 2:
        raise ValueError("need at least two models to compare")
    implied = {name: implied_prevalence(*metrics) for name, metrics in models.items()}
    # A prevalence of exactly 1 is a test set of positives only: degenerate, but a test set all the same.
    bad = [name for name, (point, _, _) in implied.items() if not 0 < point <= 1]
    listing = "; ".join(f"{name} {point:.3f} [{low:.3f}, {high:.3f}]" for name, (point, low, high) in implied.items())
    low = max(lo for _, lo, _ in implied.values())
    high = min(hi for _, _, hi in implied.values())
    spread = max(p for p, _, _ in implied.values()) - min(p for p, _, _ in implied.values())
    if bad:
        verdict, why = "inconsistent", f"{', '.join(bad)} imply a prevalence outside (0, 1], which no test set has"
    elif low <= high:
        verdict, why = "consistent", f"a prevalence in [{low:.3f}, {high:.3f}] fits every model"
    else:
        verdict, why = "inconsistent", "no single prevalence fits every model, so they cannot share one test set"
    return AuditResult(
        "shared test set",
        f"{len(models)} models",
        spread,
        verdict,
        f"Implied share of positive cases (point [range]): {listing}; {why}.",
    )


# ----------------------------------------------------------------------------- one-way ANOVA


def anova_plausibility(
    means,
    sds,
    n: int,
    labels: Sequence[str],
    claimed_significant: bool | None = None,
    alpha: float = ALPHA,
    min_group: int = 2,
) -> AuditResult:
    """The one-way ANOVA F and p that group means and SDs imply, over every possible split of n.

    F = [Σ n_g (m_g - m)² / (k - 1)] / [Σ (n_g - 1) s_g² / (n - k)] with m the pooled mean; the paper
    prints no group sizes, so every split of n into k groups of at least ``min_group`` is tried.
    ``recomputed`` is the smallest p over all splits; ``recomputed_range`` is (smallest, largest) p.
    With ``claimed_significant`` the verdict says whether *some* split agrees with the claim
    (``consistent``, with the share of splits that do in the reasoning) or *none* does
    (``inconsistent``).  Limits: assumes the groups partition the n rows and the SDs are sample
    SDs; printed rounding of means and SDs is ignored (it moves F far less than the split does)."""
    from scipy import stats  # here, not at the top: only the chapters that use it pay for SciPy

    m = [float(_parse(x, None, "mean")[0]) for x in means]
    s = [float(_parse(x, None, "sd")[0]) for x in sds]
    k = len(m)
    if len(s) != k or len(labels) != k or k < 2:
        raise ValueError(f"need the same number (>= 2) of means, SDs and labels, got {len(m)}, {len(s)}, {len(labels)}")
    if int(n) != n or n < k * min_group:
        raise ValueError(f"n = {n!r} cannot fill {k} groups of at least {min_group}")
    n = int(n)
    results = []
    for cuts in itertools.combinations(range(min_group, n - min_group + 1), k - 1):
        sizes = [b - a for a, b in zip((0, *cuts), (*cuts, n))]
        if min(sizes) < min_group:
            continue
        grand = sum(g * x for g, x in zip(sizes, m)) / n
        between = sum(g * (x - grand) ** 2 for g, x in zip(sizes, m)) / (k - 1)
        within = sum((g - 1) * sd**2 for g, sd in zip(sizes, s)) / (n - k)
        f = between / within
        results.append((float(stats.f.sf(f, k - 1, n - k)), f, sizes))
    p_min, f_max, split_min = min(results, key=lambda t: t[0])
    p_max, f_min, split_max = max(results, key=lambda t: t[0])
    share = sum(1 for p, _, _ in results if p < alpha) / len(results)
    describe = lambda sizes: ", ".join(f"{lab} {g}" for lab, g in zip(labels, sizes))  # noqa: E731
    reasoning = (
        f"Over all {len(results)} splits of n = {n} into {k} groups of at least {min_group}: F from "
        f"{f_min:.2f} ({describe(split_max)}) to {f_max:.2f} ({describe(split_min)}), p from {p_min:.3g} to "
        f"{p_max:.3g}; {share:.0%} of splits give p < {alpha:g}."
    )
    if claimed_significant is None:
        verdict = None
    else:
        agree = [p for p, _, _ in results if (p < alpha) == bool(claimed_significant)]
        verdict = "consistent" if agree else "inconsistent"
        reasoning += (
            f" The claim ({'significant' if claimed_significant else 'not significant'}) holds for "
            f"{len(agree)} of {len(results)} splits" + ("." if agree else ": no group sizes make it true.")
        )
    return AuditResult("one-way ANOVA from means and SDs", "not printed", p_min, verdict, reasoning, (p_min, p_max))


# ----------------------------------------------------------------------------- dates and promises


def date_is_possible(paper_year, statistic_year) -> tuple[str, str]:
    """Can a paper dated ``paper_year`` report a statistic first available in ``statistic_year``?

    ``paper_year`` may carry a "?" (uncertain) or be "n.d."; returns (verdict, reason) with verdict
    ``consistent``, ``impossible`` (the statistic is later than the paper) or ``inconclusive``
    (the paper is undated).  A year-level check: a statistic of the paper's own year is accepted."""
    text = str(paper_year).strip()
    if text in ("", "n.d."):
        return "inconclusive", "the paper prints no date, so no statistic can be too late for it"
    uncertain = text.endswith("?")
    year = int(text.rstrip("?"))
    stat = int(statistic_year)
    label = f"{year}{' (uncertain)' if uncertain else ''}"
    if stat > year:
        return "impossible", (
            f"a statistic from {stat} cannot appear in a paper dated {label}: either the date or the statistic is wrong"
        )
    return "consistent", f"{stat} is not later than the paper's date {label}"
