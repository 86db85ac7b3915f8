"""A form field as the desk lays it out (``web/_field.html``): label, hint, error and widget.

Every form on the desk is laid out by this block (about twenty per case page); written as template
nodes it cost more than the widgets themselves. The markup is the one the template held
(``tests/web/components/test_field_block.py`` keeps that template and compares): a fieldset and
legend for radio groups, the label after a checkbox, "(optional)" on optional fields unless
``quiet``, and hint and error ids that the widget's aria-describedby names.

Fields of forms nobody has submitted lay out the same every time, so their blocks are remembered
(``platform.caches``: keyed by everything the markup depends on, bounded in number).
"""

from __future__ import annotations

from typing import Any

from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from rapport.platform import caches

_BLOCKS_KEPT = 4096
_LONGEST_VALUE = 200

_OPTIONAL = format_html(' <span class="{}">{}</span>', "optional", "(optional)")


def field_widget(field: BoundField, extra_describedby: str = "") -> SafeString:
    """The field's widget, tied to its hint and error text so screen readers announce them."""
    described = [extra_describedby] if extra_describedby else []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


def field_block(field: BoundField, *, quiet: bool = False) -> SafeString:
    """The laid-out ``field``: remembered when it is a field of an unsubmitted form."""
    key = _block_key(field, quiet)
    if key is None:
        return lay_out(field, quiet=quiet)
    block = _blocks.get(key)
    if block is None:
        if len(_blocks) >= _BLOCKS_KEPT:
            _blocks.clear()
        block = _blocks[key] = lay_out(field, quiet=quiet)
    return block


def lay_out(field: BoundField, *, quiet: bool) -> SafeString:
    """The block's markup, laid out afresh."""
    if field.is_hidden:
        return format_html("{}", field)  # Django's own widget markup, escaped by it
    kind = field.widget_type
    hint = format_html('<p class="hint" id="{}-hint">{}</p>', field.auto_id, field.help_text) if field.help_text else ""
    error = (
        format_html(
            '<p class="error-message" id="{}-error"><span class="visually-hidden">Error:</span> {}</p>',
            field.auto_id,
            format_html_join(" ", "{}", ((e,) for e in field.errors)),
        )
        if field.errors
        else ""
    )
    widget = field_widget(field)
    css = "field" + (" field-error" if field.errors else "") + (" field-checkbox" if kind == "checkbox" else "")
    if kind == "radioselect":
        inner = format_html(
            "<fieldset>\n<legend>{}</legend>\n{}\n{}\n{}\n</fieldset>", field.label, hint, error, widget
        )
    elif kind == "checkbox":
        label = format_html('<label for="{}">{}</label>', field.id_for_label, field.label)
        inner = format_html("{}\n{}\n{}\n{}", error, widget, label, hint)
    else:
        optional = _OPTIONAL if not field.field.required and not quiet else ""
        label = format_html('<label for="{}">{}{}</label>', field.id_for_label, field.label, optional)
        inner = format_html("{}\n{}\n{}\n{}", label, hint, error, widget)
    return format_html('\n<div class="{}">\n{}\n</div>\n', css, inner)


def error_anchor(field: BoundField) -> str:
    """Where an error-summary link should take focus: the first radio of a group, else the field."""
    if field.widget_type == "radioselect":
        return f"{field.auto_id}_0"
    return str(field.auto_id)


# Laid-out fields of unbound forms, by everything their markup depends on (``_block_key``).
_blocks: dict[tuple[Any, ...], SafeString] = {}
caches.register(
    "web.field_blocks",
    clear=_blocks.clear,
    key="the field's widget (class, attributes, choices), name, id, value, label, hint, flags; quiet",
    max_age=None,
)


def _block_key(field: BoundField, quiet: bool) -> tuple[Any, ...] | None:
    """What a field's block is a function of, or None when it should be laid out afresh.

    A field of a form nobody has submitted, with no errors, lays out the same whenever its widget
    (class and every attribute of it, choices included), name, id, value, label, hint and flags are
    the same: the case page and the complaint panel lay out forty such fields on every view, mostly
    the same selects with the same options. Submitted forms, errors, choices read lazily from the
    database and anything unhashable are never remembered.
    """
    form = field.form
    if form.is_bound or form._errors:
        return None
    widget = field.field.widget
    state: list[tuple[str, Any]] = []
    for name, value in vars(widget).items():
        if name == "attrs":
            value = tuple(sorted(value.items()))
        elif name in ("choices", "_choices"):
            if not isinstance(value, list | tuple):
                return None  # a queryset's iterator: reading it for a key would cost a query
            value = tuple(value)
        state.append((name, value))
    value = field.value()
    if isinstance(value, str) and len(value) > _LONGEST_VALUE:
        return None  # a paragraph someone wrote: rarely shown twice, and not worth the memory
    key = (
        type(field.field),
        type(widget),
        tuple(state),
        field.html_name,
        field.auto_id,
        type(value),  # 0 and False are equal keys, but a checkbox shows them apart
        value,
        field.label,
        field.help_text,
        field.field.required,
        field.field.disabled,
        field.field.show_hidden_initial,
        form.use_required_attribute,
        type(form.renderer),
        quiet,
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key
