from django import template

from rapport.domain.worktime import hours_minutes, in_words

register = template.Library()
register.filter("duration", in_words)
register.filter("hours_minutes", hours_minutes)
