"""Prompt templates take plain named placeholders only: no format specs, conversions, attributes or indexes,
when saved and when rendered."""
import pytest

from core.ai.prompts import VariantError, render_template, validate_template

BAD = [
    ("{attendee} {candidates} top {k:>999999999}", r"format spec"),
    ("{attendee!r} {candidates}", r"conversion"),
    ("{attendee!s:^20} {candidates}", r"conversion|format spec"),
    ("{attendee.__class__} {candidates}", r"attribute or item"),
    ("{attendee.__class__.__init__.__globals__} {candidates}", r"attribute or item"),
    ("{attendee[0]} {candidates}", r"attribute or item"),
    ("{attendee} {candidates} {k:{k}}", r"format spec"),
    ("{0} {attendee} {candidates}", r"plain name"),
]


@pytest.mark.parametrize("template, message", BAD)
def test_validation_refuses_anything_but_plain_placeholders(template, message):
    with pytest.raises(VariantError, match=message):
        validate_template(template)


@pytest.mark.parametrize("template, message", BAD)
def test_rendering_refuses_them_too(template, message):
    with pytest.raises(VariantError, match=message):
        render_template(template, attendee="A", candidates="C", k=3)


def test_plain_templates_render_as_before_with_literal_braces():
    rendered = render_template('{attendee} / {candidates} / top {k} as [{{"userId": "P1"}}]',
                               attendee="A", candidates="C", k=3)
    assert rendered == 'A / C / top 3 as [{"userId": "P1"}]'


def test_values_are_inserted_verbatim_and_never_re_rendered():
    assert render_template("{attendee} {candidates}", attendee="{k}", candidates="{attendee.__class__}", k=1) == (
        "{k} {attendee.__class__}")
