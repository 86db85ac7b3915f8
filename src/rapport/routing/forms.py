from __future__ import annotations

from django import forms

from rapport.domain.routing import DEFAULT_CAPACITY
from rapport.platform.forms import Form
from rapport.routing.models import MAX_CAPACITY, METHOD_CHOICES


class TeamRoutingForm(Form):
    method = forms.ChoiceField(
        label="Assignment method",
        choices=METHOD_CHOICES,
        widget=forms.RadioSelect,
        help_text=(
            "Round-robin gives cases out in turn; least-loaded to whoever holds the lightest load (open cases "
            "weighted by priority); skills-based to the least-loaded agent with every skill the case needs "
            "(Welsh, BSL relay, complaints or data-protection training, a product), or to nobody."
        ),
    )
    route_on_arrival = forms.BooleanField(
        label="Route new cases as they arrive",
        required=False,
        help_text="Off: cases wait in the team's queue until someone assigns them or asks for them to be routed.",
    )
    capacity = forms.IntegerField(
        label="Capacity (open cases per agent)",
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=DEFAULT_CAPACITY,
        help_text="Routing passes over an agent holding this many open cases, unless their own capacity is set.",
    )


class CapacityForm(Form):
    capacity = forms.IntegerField(
        label="Own capacity",
        min_value=0,
        max_value=MAX_CAPACITY,
        required=False,
        help_text="Open cases; leave blank to follow the team's.",
    )


class RouteForm(Form):
    method = forms.ChoiceField(label="Method", choices=[("", "The team's own"), *METHOD_CHOICES], required=False)
