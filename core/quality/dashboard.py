"""Dashboard figures from ``quality_rollups``: two grouped queries on the rollups' primary key
(project, kind, day, ...), whatever the project's size. Every chart's rows are plain dicts, so
the CSV of a chart is the same rows the JSON has.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, and_, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ValidationFailed
from ..projects.models import ProjectCounters
from ..users.models import User
from .models import QualityRollup as R
from .rollups import ALL_TIME

CHARTS = ("progress", "throughput", "annotators", "labels", "agreement", "pairs", "label_agreement", "models")
PER_USER = ("done", "skipped", "lead", "label", "agree", "ahist", "gt")
PER_TASK = ("tagree", "thist", "plabel", "model_gt", "model_ann")
TOTAL_KINDS = ("done", "skipped", "lead", "label", "agree", "ahist", "gt", "pair", *PER_TASK)


@dataclass(frozen=True)
class Filters:
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    annotators: tuple[int, ...] = ()

    @classmethod
    def parse(cls, since: str | None, until: str | None, annotators: str | None) -> Filters:
        errors: dict[str, list[str]] = {}
        for name, value in (("from", since), ("to", until)):
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    errors[name] = [f"must be a date like 2026-01-31, got {value!r}"]
        ids: list[int] = []
        for part in (annotators or "").split(","):
            if part.strip():
                if not part.strip().isdigit():
                    errors.setdefault("annotators", []).append(f"{part.strip()!r} is not a user id")
                else:
                    ids.append(int(part))
        if since and until and not errors and since > until:
            errors["from"] = ["must not be after 'to'"]
        if errors:
            raise ValidationFailed("Invalid dashboard filters.", validation_errors=errors)
        return cls(since or None, until or None, tuple(sorted(set(ids))))


DAILY = func.length(R.day) == 10
MONTHLY = func.length(R.day) == 7


def _days(lo: date, hi: date) -> Any:
    return and_(DAILY, R.day >= lo.isoformat(), R.day <= hi.isoformat())


def periods(since: str | None, until: str | None) -> Any:
    """Rollup rows covering [since, until] exactly once: all-time rows without a range, else
    the whole months inside it plus the days of the partial months at its ends."""
    if not since and not until:
        return R.day == ALL_TIME
    lo = date.fromisoformat(since) if since else date(1, 1, 1)
    hi = date.fromisoformat(until) if until else date(9999, 12, 31)
    first_full = lo if lo.day == 1 else _next_month(lo)
    after_last_full = _next_month(hi) if _next_month(hi) - timedelta(days=1) == hi else hi.replace(day=1)
    if first_full >= after_last_full:  # no whole month inside
        return _days(lo, hi)
    parts = [and_(MONTHLY, R.day >= first_full.isoformat()[:7],
                  R.day <= (after_last_full - timedelta(days=1)).isoformat()[:7])]
    if lo < first_full:
        parts.append(_days(lo, first_full - timedelta(days=1)))
    if hi >= after_last_full:
        parts.append(_days(after_last_full, hi))
    return or_(*parts)


def _next_month(day: date) -> date:
    if day.year == 9999 and day.month == 12:
        return date(9999, 12, 31)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _scope(project_id: int, filters: Filters, *, rows: str = "period") -> list[Any]:
    """Conditions for one project's rollups in the filters' range: ``rows`` "period" (the
    fewest rows covering the range), "day" (day rows) or "month" (month rows, no range)."""
    conditions: list[Any] = [R.project_id == project_id]
    if rows == "month":
        conditions.append(MONTHLY)
    elif rows == "day":
        conditions.append(DAILY)
        if filters.since:
            conditions.append(R.day >= filters.since)
        if filters.until:
            conditions.append(R.day <= filters.until)
    else:
        conditions.append(periods(filters.since, filters.until))
    if filters.annotators:
        chosen = list(filters.annotators)
        conditions.append(
            or_(
                and_(R.kind.in_(PER_USER), R.user_a.in_(chosen)),
                and_(R.kind == "pair", or_(R.user_a.in_(chosen), R.user_b.in_(chosen))),
                R.kind.in_(PER_TASK),
            )
        )
    return conditions


def _mean(total: float, n: int) -> float | None:
    return round(total / n, 6) if n else None


BUCKETS = ((92, "day"), (366, "week"))  # data spanning up to N days: that bucket; else "month"


def bucket_for(first: str | None, last: str | None) -> str:
    """The time bucket of the progress and throughput charts, fitted to the days the data
    spans: a few dozen points whether it covers a week or years."""
    if not first or not last:
        return "day"
    span = (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
    return next((name for limit, name in BUCKETS if span <= limit), "month")


def bucket_start(day: str, bucket: str) -> str:
    """The first day (``YYYY-MM-DD``) of the bucket holding ``day`` (or month ``YYYY-MM``)."""
    if bucket == "month" or len(day) == 7:
        return day[:7] + "-01"
    if bucket == "week":  # ISO weeks, from Monday
        moment = date.fromisoformat(day)
        return (moment - timedelta(days=moment.weekday())).isoformat()
    return day


def _monday(dialect: str) -> Any:
    """The Monday (``YYYY-MM-DD``) of a day row's ISO week, so the database sums weeks."""
    if dialect == "postgresql":
        return func.to_char(func.date_trunc("week", cast(R.day, Date)), "YYYY-MM-DD")
    return func.date(R.day, "weekday 0", "-6 days")  # the next Sunday (or the day), back to Monday


async def dashboard(db: AsyncSession, project_id: int, filters: Filters) -> dict[str, Any]:
    # 1. Sums per annotator (pair) and key over the range: all-time or month rows, few.
    totals = await db.execute(
        select(R.kind, R.user_a, R.user_b, R.key, func.sum(R.n), func.sum(R.total))
        .where(*_scope(project_id, filters), R.kind.in_(TOTAL_KINDS))
        .group_by(R.kind, R.user_a, R.user_b, R.key)
    )
    # 2. The days the range's annotations span (two index probes), which fit the bucket.
    day_scope = [*_scope(project_id, filters, rows="day"), R.kind.in_(("done", "skipped"))]
    first, last = (await db.execute(select(func.min(R.day), func.max(R.day)).where(*day_scope))).one()
    bucket = bucket_for(first, last)
    # 3. Progress and throughput per bucket: from day rows up to weeks, else from month rows
    # (plus the days of partial months at the range's ends).
    if bucket == "month":
        period = func.substr(R.day, 1, 7)
        scope = _scope(project_id, filters, rows="period" if filters.since or filters.until else "month")
    else:
        period = R.day if bucket == "day" else _monday(db.get_bind().dialect.name)
        scope = _scope(project_id, filters, rows="day")
    daily = await db.execute(
        select(period, R.kind, func.sum(R.n)).where(*scope, R.kind.in_(("done", "skipped"))).group_by(period, R.kind)
    )
    throughput = await db.execute(
        select(period, R.user_a, func.sum(R.n)).where(*scope, R.kind == "done").group_by(period, R.user_a)
    )
    by_kind: dict[str, list[tuple[int, int, str, int, float]]] = defaultdict(list)
    for kind, user_a, user_b, key, n, total in totals:
        if n:
            by_kind[kind].append((user_a, user_b, key, int(n), float(total or 0.0)))

    progress: dict[str, dict[str, int]] = {}
    for day, kind, n in daily:
        if n:
            progress.setdefault(bucket_start(day, bucket), {"done": 0, "skipped": 0})[kind] += int(n)
    per_user_period: dict[tuple[str, int], int] = defaultdict(int)
    for day, user, n in throughput:
        if n:
            per_user_period[(bucket_start(day, bucket), user)] += int(n)
    per_period_user = sorted((p, u, n) for (p, u), n in per_user_period.items())
    per_user: dict[int, dict[str, Any]] = defaultdict(lambda: {"done": 0, "skipped": 0})
    for kind in ("done", "skipped"):
        for user, _, _, n, _ in by_kind[kind]:
            per_user[user][kind] += n
    cumulative = 0
    progress_rows = []
    for day in sorted(progress):
        cumulative += progress[day]["done"]
        progress_rows.append({"day": day, "done": progress[day]["done"], "skipped": progress[day]["skipped"],
                              "cumulative": cumulative})

    for kind, field in (("lead", "lead_time"), ("agree", "agreement"), ("gt", "gt_score")):
        for user, _, _, n, total in by_kind[kind]:
            per_user[user][field] = _mean(total, n)
            per_user[user][field + "_n"] = n
    users = await _names(db, per_user.keys())
    annotators = [
        {"user": user, "name": users.get(user, f"User {user}"), "done": v["done"], "skipped": v["skipped"],
         "lead_time": v.get("lead_time"), "agreement": v.get("agreement"), "gt_score": v.get("gt_score"),
         "gt_n": v.get("gt_score_n", 0)}
        for user, v in sorted(per_user.items())
        if not filters.annotators or user in filters.annotators
    ]

    labels: dict[str, int] = defaultdict(int)
    for _, _, key, n, _ in by_kind["label"]:
        labels[key] += n
    # With annotators chosen, the distribution is of their annotations' agreement.
    hist_kind = "ahist" if filters.annotators else "thist"
    buckets = [0] * 10
    for _, _, key, n, _ in by_kind[hist_kind]:
        buckets[int(key)] += n
    pair_sums: dict[tuple[int, int], list[float]] = {}
    for a, b, _, n, total in by_kind["pair"]:
        entry = pair_sums.setdefault((a, b), [0, 0.0])
        entry[0] += n
        entry[1] += total
    label_sums: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for _, _, key, n, total in by_kind["plabel"]:
        label_sums[key][0] += n
        label_sums[key][1] += total
    models: dict[str, dict[str, Any]] = defaultdict(dict)
    for kind, field in (("model_gt", "gt_score"), ("model_ann", "agreement")):
        for _, _, key, n, total in by_kind[kind]:
            models[key][field] = _mean(total, n)
            models[key][field + "_n"] = n
    tagree = by_kind["tagree"]
    summary_n = sum(n for *_, n, _ in tagree)
    counters = await db.get(ProjectCounters, project_id)
    users.update(await _names(db, {u for pair in pair_sums for u in pair} - users.keys()))
    return {
        "filters": {"from": filters.since, "to": filters.until, "annotators": list(filters.annotators)},
        "bucket": bucket,  # progress and throughput: "day", "week" or "month" (each row its first day)
        "summary": {
            "tasks": counters.task_number if counters else 0,
            "finished_tasks": counters.finished_task_number if counters else 0,
            "annotations": sum(p["done"] for p in progress_rows),
            "skipped": sum(p["skipped"] for p in progress_rows),
            "scored_tasks": summary_n,
            "agreement": _mean(sum(t for *_, t in tagree), summary_n),
        },
        "progress": progress_rows,
        "throughput": [{"period": p, "user": u, "name": users.get(u, f"User {u}"), "done": n}
                       for p, u, n in per_period_user if not filters.annotators or u in filters.annotators],
        "annotators": annotators,
        "labels": [{"label": k, "count": v} for k, v in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))],
        "agreement": [{"bucket": f"{i * 10}-{i * 10 + 10}%", "from": i / 10, "to": (i + 1) / 10, "count": c,
                       "scope": "annotations" if filters.annotators else "tasks"} for i, c in enumerate(buckets)],
        "pairs": [{"user_a": a, "user_b": b, "name_a": users.get(a, f"User {a}"), "name_b": users.get(b, f"User {b}"),
                   "agreement": _mean(v[1], int(v[0])), "n": int(v[0])} for (a, b), v in sorted(pair_sums.items())],
        "label_agreement": [{"label": k, "agreement": _mean(v[1], int(v[0])), "n": int(v[0])}
                            for k, v in sorted(label_sums.items())],
        "models": [{"model_version": k, "gt_score": v.get("gt_score"), "gt_n": v.get("gt_score_n", 0),
                    "agreement": v.get("agreement"), "n": v.get("agreement_n", 0)} for k, v in sorted(models.items())],
    }


async def _names(db: AsyncSession, ids: Any) -> dict[int, str]:
    wanted = sorted(i for i in ids if i)
    if not wanted:
        return {}
    rows = await db.execute(select(User.id, User.email, User.first_name, User.last_name).where(User.id.in_(wanted)))
    out = {}
    for uid, email, first, last in rows:
        name = " ".join(p for p in (first, last) if p) or email or f"User {uid}"
        out[uid] = name
    return out


def chart_csv(data: dict[str, Any], chart: str) -> str:
    rows: Sequence[dict[str, Any]] = data[chart]
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()
