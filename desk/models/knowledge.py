"""Knowledge articles (FAQ) and their links to incidents."""

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from desk.models.base import BaseModel
from desk.models.incident import Incident
from desk.models.people import Agent


class Article(BaseModel):
    title = TextField()
    body = TextField(default="")
    faq_category = CharField(default="general")
    status = CharField(default="published")  # draft, published, retired
    author = ForeignKeyField(Agent, null=True, on_delete="RESTRICT")
    created_at = DateTimeField()
    updated_at = DateTimeField()


class IncidentArticle(BaseModel):
    incident = ForeignKeyField(Incident, on_delete="RESTRICT", backref="article_links")
    article = ForeignKeyField(Article, on_delete="RESTRICT", backref="incident_links")

    class Meta:
        indexes = ((("incident", "article"), True),)
