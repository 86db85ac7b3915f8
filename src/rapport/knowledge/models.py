"""The knowledge base: articles in categories and sections, every version kept, the rules they
cite, what customers said about them, and what searches found (or did not)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rapport.domain import knowledge as rules
from rapport.platform import settings_history


class Audience(models.TextChoices):
    INTERNAL = rules.INTERNAL, "Internal (staff only)"
    PUBLIC = rules.PUBLIC, "Public"


class Status(models.TextChoices):
    DRAFT = rules.DRAFT, "Draft"
    REVIEW = rules.REVIEW, "In review"
    PUBLISHED = rules.PUBLISHED, "Published"


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category__position", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="kb_section_unique")]

    def __str__(self) -> str:
        return f"{self.category.name}: {self.name}"


class Article(models.Model):
    """The article as staff edit it. ``version`` is the number of its latest version (the
    optimistic-concurrency check of every edit) and ``status`` that version's place in the
    workflow. Readers see ``live``, the version last published: an edit to a published article is
    a new draft, and readers keep the published text until the draft is approved in its turn."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Markdown.")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_due = models.DateField(null=True, blank=True)
    review_reason = models.CharField(max_length=300, blank=True, help_text="Why it was flagged for review early.")
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    version = models.PositiveIntegerField(default=1)
    live = models.ForeignKey(
        "ArticleVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version readers see: the latest one approved or published.",
    )
    latest_author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["status", "audience", "title"], name="kb_article_listing"),
            models.Index(fields=["live", "title"], name="kb_article_live"),
            models.Index(fields=["owner", "review_due"], name="kb_article_owner_review"),
            models.Index(fields=["review_due"], name="kb_article_review_due"),
            models.Index(fields=["updated_at", "id"], name="kb_article_updated"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    """Every change kept: who, when, what (the fields it changed, the author's note) and the whole
    article as it then was, so any version can be shown, compared or rolled back to."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    audience = models.CharField(max_length=10, choices=Audience.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    changed = models.JSONField(default=list)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="kb_version_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleDocument(models.Model):
    """What search finds: one row per published article, its text without Markdown. The full-text
    index lives beside it (an FTS5 table on SQLite, a GIN index on PostgreSQL: migration 0002).
    The portal's suggestions have a smaller index of their own over the title and summary of public
    documents only (migration 0003)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    public = models.BooleanField()
    category = models.ForeignKey(Category, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, default="")
    body = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["public", "category"], name="kb_doc_public_category")]

    def __str__(self) -> str:
        return self.title


class Word(models.Model):
    """The words of published articles, by audience, for "did you mean" (typo tolerance on both
    engines). ``initial`` and ``length`` narrow the candidates for a word to a few hundred."""

    word = models.CharField(max_length=40)
    public = models.BooleanField()
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["word", "public"], name="kb_word_unique")]
        indexes = [models.Index(fields=["initial", "length", "public"], name="kb_word_candidates")]

    def __str__(self) -> str:
        return self.word


def attachment_path(instance: ArticleFile, filename: str) -> str:
    return f"kb/{instance.article_id}/{filename}"


class ArticleFile(models.Model):
    """An image or attachment of an article, kept in the configured storage."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=300, blank=True)
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class RuleCitation(models.Model):
    """A rule an article states (an authority limit, a statutory right, an SLA policy): a tracked
    setting, by its history key (model label and id). A change to it after ``checked_at`` flags
    the article for review."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    setting = models.CharField(max_length=100, help_text="The setting's model, e.g. sla.slapolicy.")
    object_id = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    checked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "setting", "object_id"], name="kb_citation_unique")]
        indexes = [models.Index(fields=["setting", "object_id"], name="kb_citation_rule")]

    def __str__(self) -> str:
        return self.label


@settings_history.track()
class Synonym(models.Model):
    """Words customers and staff use for the same thing ("refund, money back"): a search for any
    phrase of the group also finds the others."""

    phrases = models.CharField(max_length=300, unique=True, help_text="Phrases separated by commas.")

    def __str__(self) -> str:
        return self.phrases


class CaseArticle(models.Model):
    """The article that answered a case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="answered")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "article"], name="kb_case_article_unique")]
        indexes = [models.Index(fields=["article", "case"], name="kb_case_article_article")]

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.article_id}"


class Reason(models.TextChoices):
    NOT_ANSWERED = "not_answered", "It didn't answer my question"
    UNCLEAR = "unclear", "It was hard to understand"
    OUT_OF_DATE = "out_of_date", "It looks wrong or out of date"
    OTHER = "other", "Something else"


class Feedback(models.Model):
    """ "Was this helpful?" from a reader: yes, or no and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    comment = models.TextField(blank=True, max_length=1000)
    public = models.BooleanField(help_text="Given by a customer or visitor (not staff).")
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["article", "helpful"], name="kb_feedback_article"),
            models.Index(fields=["at", "helpful"], name="kb_feedback_at"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {'yes' if self.helpful else 'no'}"


class SearchLog(models.Model):
    """A search and how many articles it found: the searches that found nothing are gaps."""

    query = models.CharField(max_length=200)
    public = models.BooleanField()
    results = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["results", "at"], name="kb_search_gaps")]

    def __str__(self) -> str:
        return self.query


class Outcome(models.TextChoices):
    PENDING = "pending", "Not known yet"
    DEFLECTED = "deflected", "Did not raise a case"
    RAISED = "raised", "Raised a case anyway"


class Deflection(models.Model):
    """A customer who opened a suggested article while writing a new case: whether they then
    raised it (``raised``, with the case) or gave up raising it (``deflected``: they said the
    article answered it, or no case followed within ``DEFLECTION_WINDOW``)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["customer", "outcome", "at"], name="kb_deflection_customer"),
            models.Index(fields=["outcome", "at"], name="kb_deflection_outcome"),
            models.Index(fields=["article", "outcome"], name="kb_deflection_article"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.outcome}"
