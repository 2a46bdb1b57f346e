"""Knowledge articles (FAQ): search them (200.4, the first-line attempt) and draft new ones
from a resolution (200.10, "knowledge updated").

Drafting follows the incident use cases: resolve the actor, check the permission, then write
in one IMMEDIATE transaction; for a linked incident, the link and a "note" history row go in
the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN, Case

from desk.db import write_transaction
from desk.domain.errors import NotFound, ValidationError
from desk.i18n import t
from desk.models import Agent, Article, Incident, IncidentArticle
from desk.services import actors, history, records

MAX_TITLE = 500
MAX_BODY = 1_000_000
STATUSES = ("draft", "published", "retired")


@dataclass(frozen=True)
class ArticleView:
    id: int
    title: str
    body: str
    faq_category: str
    status: str
    author: str
    updated_at: datetime


def _view(article: Article, author: str = "") -> ArticleView:
    return ArticleView(article.id, article.title, article.body, article.faq_category, article.status, author,
                       article.updated_at)


def _words(text: str) -> list[str]:
    return [w for w in (text or "").split() if w][:8]


def search(desk, text: str = "", *, limit: int = 50, include_drafts: bool = True,
           include_retired: bool = False) -> list[ArticleView]:
    """Articles whose title or body holds every word of `text` (case-insensitive); published
    ones first, then the most recently updated."""
    query = (Article.select(Article, Agent.login).join(Agent, JOIN.LEFT_OUTER, on=(Article.author == Agent.id)))
    statuses = ["published"] + (["draft"] if include_drafts else []) + (["retired"] if include_retired else [])
    query = query.where(Article.status.in_(statuses))
    for word in _words(text):
        needle = f"%{word}%"
        query = query.where((Article.title ** needle) | (Article.body ** needle))
    published_first = Case(None, [(Article.status == "published", 0)], 1)
    query = query.order_by(published_first, Article.updated_at.desc(), Article.id.desc()).limit(max(limit, 0))
    return [_view(a, a.author.login if a.author_id else "") for a in query]


def get(desk, article_id: int) -> ArticleView:
    article = Article.get_or_none(Article.id == article_id)
    if article is None:
        raise NotFound(kind="article", id=article_id)
    author = Agent.get_or_none(Agent.id == article.author_id) if article.author_id else None
    return _view(article, author.login if author else "")


def for_incident(desk, incident_id: int) -> list[ArticleView]:
    query = (Article.select().join(IncidentArticle).where(IncidentArticle.incident == incident_id)
             .order_by(Article.id))
    return [_view(a) for a in query]


def draft(desk, login: str | None = None, *, title: str, body: str, faq_category: str = "general",
          incident_id: int | None = None) -> ArticleView:
    """A new draft article; linked to `incident_id` (with a note in its history) when given."""
    title = records.text(title, "title", MAX_TITLE, required=True)
    body = records.text(body, "body", MAX_BODY, required=True)
    if faq_category not in desk.config.codes("faq_category"):
        raise ValidationError("error.unknown_code", table="faq_category", code=faq_category)

    def work(actor: actors.Actor) -> ArticleView:
        actors.require(actor, "knowledge.draft")
        with write_transaction(desk.db):
            now = desk.now()
            if incident_id is not None and Incident.get_or_none(Incident.id == incident_id) is None:
                raise NotFound(kind="incident", id=incident_id)
            article = Article.create(title=title.strip(), body=body, faq_category=faq_category, status="draft",
                                     author=actor.id, created_at=now, updated_at=now)
            if incident_id is not None:
                IncidentArticle.insert(incident=incident_id, article=article.id).on_conflict_ignore().execute()
                note = t("actions.knowledge.history_note", desk.lang, id=article.id, title=article.title)
                # A history row is a change: the version counts it (and the row lock orders the chain).
                Incident.update(version=Incident.version + 1, updated_at=now).where(
                    Incident.id == incident_id).execute()
                history.append("incident", incident_id, actor.id, "note", {"article": [None, article.id]}, note, now,
                               desk=desk)
        return _view(article, actor.login)

    return records.guarded(desk, login, "knowledge.draft", "incident", incident_id, work)
