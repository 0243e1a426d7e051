"""For which build times a build stays valid: a build of the same inputs at another time makes
the same files only between the moments its output changes as time passes."""

from __future__ import annotations

import datetime as dt
import math

from sitegen.build.plan import SitePlan


def valid_interval(
    plan: SitePlan, hidden_until: float | None, future: bool
) -> tuple[float | None, float | None]:
    """The build times at which an unchanged build may reuse this one: from the last moment
    up to `plan.now` when the output changed, to the next (not included); None: no bound.

    Those moments are when an article appears (at its date, unless `future`; `hidden_until`
    is when the next hidden future article does), enters the news sitemap (at its date) or
    leaves it (just after `news_hours`); an empty feed is dated `now`: valid at no other time.
    """
    now = plan.now.timestamp()
    before: list[float] = []
    after = [] if hidden_until is None else [hidden_until]
    if any(not feed["entries"] for feed in plan.feeds.values()):
        before.append(now)  # neither earlier
        after.append(now)  # nor later
    articles = plan.articles
    if not future:
        before += [a.date.timestamp() for a in articles]
    if plan.config.sitemap.news:
        hours = dt.timedelta(hours=plan.config.sitemap.news_hours)
        for article in articles:
            left = math.nextafter((article.date + hours).timestamp(), math.inf)
            for moment in (article.date.timestamp(), left):
                (before if moment <= now else after).append(moment)
    return max(before, default=None), min(after, default=None)
