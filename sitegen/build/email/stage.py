"""The email stage: SitePlan → the same plan with each day's digest as an email among its jobs.
Pure.

Two jobs a day, rendered like any page (so incremental builds reuse them): `YYYY/MM/DD/email.html`
from the theme's `email.html` (its styles inlined as it renders, `sitegen.build.email.inline`)
and `YYYY/MM/DD/email.txt` from `email.txt`. Both see `email`, a view made for reading away from
the site: every link absolute and tagged with the configured UTM parameters, the lead image
absolute with its size. Without an absolute `base_url`, or with `email: false`, there are none.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sitegen.build.group import Day
from sitegen.build.plan import PageJob, SitePlan, newest_change
from sitegen.build.routes import Routes
from sitegen.build.views import View
from sitegen.core.config import SiteConfig

EMAIL_KIND = "email"  # the kind of both jobs: no sitemap entry, no metadata, styles inlined
EMAIL_TEMPLATES = {"html": "email.html", "txt": "email.txt"}
IMAGE_WIDTH = 600  # the email's frame: a lead image is drawn this wide


def plan_emails(plan: SitePlan) -> SitePlan:
    """The plan with an HTML email and its text twin for every day, after the other jobs;
    `email_bases` holds what each job's `email` view is made from (`email_basis`)."""
    config = plan.config
    if not (config.email.enabled and config.origin):
        return plan
    jobs: list[tuple[PageJob, View]] = []
    for day in plan.index.days:
        jobs += _day_emails(day, plan)
    bases = {job.path: basis for job, basis in jobs}
    return dataclasses.replace(
        plan, jobs=(*plan.jobs, *(job for job, _ in jobs)), email_bases=bases
    )


def email_subject(config: SiteConfig, day: Day) -> str:
    """The subject of a day's email: the site's title and the lead headline."""
    return _subject(config, day.lead.title if day.lead else None)


def _subject(config: SiteConfig, headline: str | None) -> str:
    return f"{config.title} — {headline}" if headline is not None else config.title


def _day_emails(day: Day, plan: SitePlan) -> Iterator[tuple[PageJob, View]]:
    basis = email_basis(day, plan)
    view = email_view(basis, plan.config, plan.routes)
    for suffix, template in EMAIL_TEMPLATES.items():
        job = PageJob(
            plan.routes.day_email(day.date, suffix),
            template,
            {"email": view},
            f"email of {day.date}",
            kind=EMAIL_KIND,
            modified=newest_change(day.articles),
        )
        yield job, basis


def email_basis(day: Day, plan: SitePlan) -> View:
    """All a day's `email_view` is made from besides the configuration (and the routes it
    makes), as plain data: the day's date and count, the views of its lead and of each
    section's other articles, each section's topic. Page fingerprints digest it in place of
    the view (the article views in it are digested for their own pages already)."""
    return {
        "date": day.date,
        "count": len(day.articles),
        "lead": plan.views[day.lead.path] if day.lead else None,
        "sections": [
            {
                "topic": {"name": s.topic.name, "slug": s.topic.slug} if s.topic else None,
                "rest": [plan.views[a.path] for a in s.rest],
            }
            for s in day.sections
            if s.rest
        ],
    }


def email_view(basis: View, config: SiteConfig, routes: Routes) -> View:
    """What `email.html` and `email.txt` see as `email` (documented in docs/email.md), made
    from the day's `email_basis` alone."""
    date, lead = basis["date"], basis["lead"]
    link = Tagger(config, date)

    def article(view: View) -> View:
        return {
            "title": view["title"],
            "url": link(view["absolute_url"]),
            "summary": view["summary"],
            "date": view["date"],
            "topic": view["topic"]["name"] if view["topic"] else None,
            "kicker": view["kicker"],
            "source": view["source"],
            "lang": view["lang"],
            "dir": view["dir"],
            "breaking": view["breaking"],
            "image": _image(view),
        }

    settings = config.email
    return {
        "date": date,
        "subject": _subject(config, lead["title"] if lead else None),
        "preheader": lead["summary"] if lead else "",
        "url": link(routes.absolute(routes.day(date))),
        "home_url": link(routes.absolute(routes.home())),
        "count": basis["count"],
        "lead": article(lead) if lead else None,
        "sections": [
            {
                "topic": {
                    "name": s["topic"]["name"],
                    "url": link(routes.absolute(routes.topic(s["topic"]["slug"]))),
                }
                if s["topic"]
                else None,
                "articles": [article(view) for view in s["rest"]],
            }
            for s in basis["sections"]
        ],
        "footer": settings.footer,
        "unsubscribe": settings.unsubscribe,
    }


def _image(view: View) -> View | None:
    """A lead image as an email shows it: absolute, `IMAGE_WIDTH` wide, with its height and
    alt text (the headline when it has none). Remote images, of unknown size, and SVG ones,
    which mail clients do not show, are left out."""
    image = view["image"]
    if not image or image["remote"] or not image["share"]:  # SVG: no share variant
        return None
    share = image["share"]
    return {
        "src": share["url"],
        "width": IMAGE_WIDTH,
        "height": round(IMAGE_WIDTH * share["height"] / share["width"]),
        "alt": image["alt"] or view["title"],
    }


class Tagger:
    """Adds the configured UTM parameters to a link (`{date}` in a value: the day)."""

    def __init__(self, config: SiteConfig, day: dt.date) -> None:
        utm = dataclasses.asdict(config.email.utm)
        date = day.isoformat()
        self.params = [
            (f"utm_{key}", value.replace("{date}", date)) for key, value in utm.items() if value
        ]

    def __call__(self, url: str) -> str:
        if not self.params:
            return url
        parts = urlsplit(url)
        query: list[tuple[str, Any]] = [*parse_qsl(parts.query, keep_blank_values=True)]
        query += self.params
        return urlunsplit(parts._replace(query=urlencode(query)))
